"""The JSON Schema of each kind of workspace file (``briefgen schema KIND``): content files from
content/schema.py, theme files from the theme's own schema. Assembled here, in the app layer,
because content comes before the theme in the pipeline and may not import it."""
from __future__ import annotations

from .content import schema as content_schema

KINDS = (*content_schema.KINDS, "theme")


def schema_for(kind: str) -> dict:
    """The JSON Schema of a file of ``kind`` (actor, development, source, brief, settings,
    theme)."""
    if kind == "theme":
        from .theme.loader import theme_schema
        return content_schema.with_head("theme", "briefgen theme file", theme_schema())
    return content_schema.schema_for(kind)
