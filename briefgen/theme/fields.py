"""The fields of Theme, by type: the walk over ``dataclasses.fields(Theme)`` that both the
value reader (values.py) and the JSON Schema (schema.py) follow, so the two cannot drift apart,
and the facts about fields that are not in their types (which are colours, sizes, paths).
"""
from __future__ import annotations

import dataclasses
import re
import types
import typing

from .model import Theme

HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
FACES = ("regular", "bold", "italic", "bold_italic")
# Fields that hold a file path even if a renderer declares them as plain text.
PATH_FIELDS = ("logo", "reference_docx")
LIST_LENGTHS = {"heading_sizes": 6}  # one size per heading level
MAX_SIZE = 400.0  # points; what the renderers accept for a font size
MIN_SIZE = 1.0  # points; the smallest font size both renderers accept

# One line per field for the schema and for error messages; a field without one still loads.
FIELD_DOCS = {
    "paper": "Paper size: A4 or letter (the workspace's 'paper' setting and --paper win).",
    "margin_top": "Top page margin in points (72 pt = 1 inch = 25.4 mm).",
    "margin_bottom": "Bottom page margin in points.",
    "margin_left": "Left page margin in points.",
    "margin_right": "Right page margin in points.",
    "body_font": "Font family of body text.",
    "heading_font": "Font family of headings, cover, tables, header and footer.",
    "mono_font": "Font family of code.",
    "fallback_fonts": "Font families tried in order for characters the body/heading font lacks.",
    "body_size": "Body text size in points.",
    "leading": "Distance between body lines in points.",
    "heading_sizes": "Sizes of heading levels 1 to 6 in points.",
    "small_size": "Size of header, footer and table text in points.",
    "marking_size": "Size of the marking banner in points.",
    "logo": "Image (PNG, JPEG or GIF) printed on the cover.",
    "reference_docx": "A .docx whose styles and page setup the DOCX output starts from "
                      "(as pandoc's --reference-doc).",
}


def theme_fields() -> list[tuple[dataclasses.Field, object]]:
    """(field, type hint) for every init field of Theme, in declaration order."""
    hints = typing.get_type_hints(Theme)
    return [(f, hints[f.name]) for f in dataclasses.fields(Theme) if f.init]


def field_default(f: dataclasses.Field):
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        return f.default_factory()  # type: ignore[misc]
    return None


def is_colour(name: str, default) -> bool:
    return (isinstance(default, str) and bool(HEX.match(default))) or \
        name.endswith(("_colour", "_color", "_fill"))


def is_size(name: str) -> bool:
    return "size" in name or "leading" in name


def split_optional(hint) -> tuple[object, bool]:
    """X | None -> (X, True); X -> (X, False)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) < len(typing.get_args(hint)) and len(args) == 1:
            return args[0], True
    return hint, False
