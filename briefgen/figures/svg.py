"""The third backend of a figure scene: inline SVG, for the HTML output.

The scene's coordinates (points, origin top-left, y down) are SVG's own, so items are written as
they are, in order (later items on top), in a ``viewBox`` of the scene's size: the picture scales
with the width the page gives it. Text is in the family the figures were measured with (the
theme's heading family, named for the browser by ``font_family``); labels were fitted with that
family's advance widths, so with another family installed they may run a little long or short.

Every text and attribute value is escaped; colours are checked to be ``#rrggbb``. The output is
the same string for the same scene (numbers are rounded to 0.01 pt).
"""
from __future__ import annotations

import re
from html import escape

from .scene import Circle, Line, Polygon, Rect, Scene, TextItem

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
_FACES = {"regular": "", "bold": ' font-weight="bold"', "italic": ' font-style="italic"'}


def _n(v: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros ("12", "3.5", "-0.25")."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _colour(v: str | None) -> str:
    if v is None:
        return "none"
    if not isinstance(v, str) or not _HEX.fullmatch(v):
        raise ValueError(f"figure colour {v!r} is not #rrggbb")
    return v.upper()


def _paint(fill: str | None, stroke: str | None, width: float) -> str:
    out = f' fill="{_colour(fill)}"'
    if stroke:
        out += f' stroke="{_colour(stroke)}" stroke-width="{_n(width)}"'
    return out


def _points(points) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def to_svg(scene: Scene, font_family: str, label: str = "", label_id: str = "") -> str:
    """The scene as an ``<svg>`` element (a string), ``scene.width`` x ``scene.height`` points.

    ``font_family``: a CSS font-family list for its text (escaped here). ``label``: what a reader
    who cannot see the figure is told (the figure's alt text); ``label_id``: the id of an element
    that names it instead (its caption) when there is no ``label``. Without either the picture is
    left out of the accessibility tree (``aria-hidden``): the caption beside it still reads.
    """
    w, h = _n(scene.width), _n(scene.height)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}pt" '
            f'height="{h}pt" font-family="{escape(font_family, quote=True)}"')
    if label:
        head += f' role="img" aria-label="{escape(label, quote=True)}">'
        head += f"<title>{escape(label, quote=False)}</title>"
    elif label_id:
        head += f' role="img" aria-labelledby="{escape(label_id, quote=True)}">'
    else:
        head += ' aria-hidden="true">'
    out = [head]
    for it in scene.items:
        if isinstance(it, TextItem):
            anchor = "" if it.anchor == "start" else f' text-anchor="{escape(it.anchor)}"'
            out.append(f'<text x="{_n(it.x)}" y="{_n(it.y)}" font-size="{_n(it.size)}" '
                       f'fill="{_colour(it.colour)}"{_FACES.get(it.face, "")}{anchor}>'
                       f"{escape(it.text, quote=False)}</text>")
        elif isinstance(it, Line):
            dash = f' stroke-dasharray="{" ".join(_n(d) for d in it.dash)}"' if it.dash else ""
            out.append(f'<polyline points="{_points(it.points)}" fill="none" '
                       f'stroke="{_colour(it.stroke)}" stroke-width="{_n(it.width)}"{dash}/>')
        elif isinstance(it, Rect):
            r = f' rx="{_n(it.radius)}"' if it.radius else ""
            out.append(f'<rect x="{_n(it.x)}" y="{_n(it.y)}" width="{_n(it.w)}" '
                       f'height="{_n(it.h)}"{r}{_paint(it.fill, it.stroke, it.width)}/>')
        elif isinstance(it, Circle):
            out.append(f'<circle cx="{_n(it.cx)}" cy="{_n(it.cy)}" r="{_n(it.r)}"'
                       f'{_paint(it.fill, it.stroke, it.width)}/>')
        elif isinstance(it, Polygon):
            out.append(f'<polygon points="{_points(it.points)}"'
                       f'{_paint(it.fill, it.stroke, it.width)}/>')
        else:  # pragma: no cover - the scene builders only make the types above
            raise TypeError(f"unknown scene item {type(it).__name__}")
    out.append("</svg>")
    return "".join(out)
