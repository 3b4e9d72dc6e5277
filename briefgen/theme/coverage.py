"""Which characters of the content no font of the theme can draw (a build warning, and the PDF
renderer's choice of fallback runs); the work is fonts/coverage.py's, on the theme's faces."""
from __future__ import annotations

from ..content.models import Actor, Brief, Development, Source
from ..errors import Problem
from ..fonts.coverage import faces_coverage, glyph_warnings
from .model import Theme


def theme_coverage(theme: Theme) -> frozenset[int]:
    return faces_coverage(face for family in theme.families for face in family.faces)


def coverage_warnings(items: list[Actor | Development | Source | Brief],
                      theme: Theme) -> list[Problem]:
    return glyph_warnings(items, theme_coverage(theme))
