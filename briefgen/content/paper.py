"""Paper by name: the one table of the sizes a brief is printed on, read by the workspace
settings, the theme, the command line and the server alike.

It lives with the content because the settings file (the earliest stage to need it) names a
paper; the theme and the renderers take it from there.
"""
from __future__ import annotations

# width, height in points: A4 (210 x 297 mm) and US letter (8.5 x 11 in)
PAPER_SIZES = {"A4": (595.2756, 841.8898), "letter": (612.0, 792.0)}
# names the workspace settings take besides the table's (the theme and --paper do not)
SETTINGS_ALIASES = {"us-letter": "letter"}

_BY_LOWER = {name.lower(): name for name in PAPER_SIZES}


def paper_name(text: str) -> str | None:
    """The table's name for ``text`` in any case ('a4' -> 'A4'); None when it names no paper."""
    return _BY_LOWER.get(text.lower())
