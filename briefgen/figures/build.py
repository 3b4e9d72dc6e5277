"""Figures drawn from data: the timeline and the relation map.

One layout, three outputs. ``build_scene`` lays a figure out ONCE into a neutral ``Scene``
(scene.py: lines, rects, circles, polygons and text items in points, origin top-left,
y down); draw.py turns the scene into a reportlab ``Drawing`` (vector, for the PDF) or a
PNG drawn with Pillow (for the DOCX), svg.py into inline SVG (for the HTML). Text is measured
with the advance widths of the same TTF files (DejaVu Sans by default) that the PDF and PNG
backends draw with, read straight from the files (briefgen/fonts/ttf.py), so labels that fit in
the PDF fit in the PNG (and in the SVG, where the browser has the family). A label that needs
more (a fallback face, Arabic-script shaping, right-to-left order) is shaped once in the scene
(labels.py): the PDF and PNG draw the same glyphs; the SVG gives the browser the text with its
direction.

- ``figure_size(fig, width, theme)``: (width, height) in points. The width is always the width
  asked for; the height follows from the content (it grows with the number of events/actors and
  is capped so that a figure fits on one page of the theme's paper).
- ``figure_drawing(..., font_names)``: a ``reportlab.graphics.shapes.Drawing`` of exactly that
  size, its text in the faces the PDF renderer registered for the theme's heading family; place
  it as it is (no scaling needed, fonts are at their print size).
- ``figure_png(..., dpi=200)``: PNG bytes ``round(width / 72 * dpi)`` pixels wide; insert it into
  the DOCX at ``width`` points wide. Deterministic: same input, same bytes.
- ``figure_svg(...)``: an inline ``<svg>`` element for the HTML output (svg.py).

Layout and PNG need neither reportlab nor matplotlib nor numpy: a DOCX build loads none of
them. reportlab is imported only by ``figure_drawing``.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..document.nodes import Figure, RelationMapData, TimelineData
from ..document.periods import aggregated
from ..errors import BriefgenError
from .scene import Pen, Scene
from ..theme.model import Theme

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

FIGURE_KINDS = ("timeline", "relation-map")

# The last few scenes, so that figure_size followed by figure_drawing/figure_png lays out once,
# and a process that renders the same brief again (briefgen serve's workers: another format,
# copy or watermark) does not lay its figures out again. Compared by value: the layout depends
# on the kind, the data, the width and the theme only.
_CACHE: list[tuple[Figure, object, float, Theme, Scene]] = []
_CACHE_SIZE = 8
_CACHE_LOCK = threading.Lock()


def build_scene(fig: Figure, width: float, theme: Theme) -> Scene:
    """Lay ``fig`` out for ``width`` points (cached per kind, data, width and theme).

    The scene is shared with the cache: treat it as read-only.
    """
    with _CACHE_LOCK:
        for f, data, w, t, scene in _CACHE:
            if f.kind == fig.kind and w == width and data == fig.data and t == theme:
                return scene
    scene = _layout(fig, float(width), theme)
    with _CACHE_LOCK:
        _CACHE.append((fig, fig.data, width, theme, scene))
        del _CACHE[:-_CACHE_SIZE]
    return scene


def _layout(fig: Figure, width: float, theme: Theme) -> Scene:
    if width <= 0:
        raise BriefgenError(f"figure {fig.kind!r}: no room to draw it (width {width:g} pt)",
                            line=fig.line or None)
    pen = Pen(theme)
    max_height = max_figure_height(theme)
    if fig.kind == "timeline":
        if not isinstance(fig.data, TimelineData):
            raise BriefgenError("figure 'timeline' needs timeline data", line=fig.line or None)
        if aggregated(fig.data.events):
            from .timeline_counts import counts_scene
            return counts_scene(fig.data, width, pen, max_height)
        from .timeline import timeline_scene
        return timeline_scene(fig.data, width, pen, max_height)
    if fig.kind == "relation-map":
        if not isinstance(fig.data, RelationMapData):
            raise BriefgenError("figure 'relation-map' needs relation data",
                                line=fig.line or None)
        from .relation_map import map_scene
        return map_scene(fig.data, width, pen, max_height, line=fig.line)
    raise BriefgenError(f"unknown figure kind {fig.kind!r} (known: {', '.join(FIGURE_KINDS)})",
                        line=fig.line or None)


def max_figure_height(theme: Theme) -> float:
    """The tallest figure that still fits on a page with its caption and a heading above."""
    page_h = theme.page_size[1]
    return max(200.0, page_h - theme.margin_top - theme.margin_bottom - 4 * theme.leading
               - 2 * theme.heading_sizes[1])


def figure_size(fig: Figure, width: float, theme: Theme) -> tuple[float, float]:
    scene = build_scene(fig, width, theme)
    return scene.width, scene.height


def figure_drawing(fig: Figure, width: float, theme: Theme, font_names,
                   glyph_text=None) -> Drawing:
    """``font_names``: the reportlab names of ``theme.heading_font``'s faces, which the figures
    are drawn in (the PDF renderer's ``FaceNames`` for that family); ``glyph_text``: how the
    renderer draws a shaped label's glyphs (draw.to_drawing)."""
    from .draw import to_drawing
    return to_drawing(build_scene(fig, width, theme), font_names, glyph_text)


def figure_png(fig: Figure, width: float, theme: Theme, dpi: int = 200) -> bytes:
    from .draw import to_png
    if dpi < 72:
        raise BriefgenError(f"figure resolution {dpi} dpi is too low")
    return to_png(build_scene(fig, width, theme), dpi)


def figure_svg(fig: Figure, width: float, theme: Theme, font_family: str, label: str = "",
               label_id: str = "") -> str:
    """The figure as an inline ``<svg>`` (see svg.py), laid out for ``width`` points."""
    from .svg import to_svg
    return to_svg(build_scene(fig, width, theme), font_family, label, label_id)
