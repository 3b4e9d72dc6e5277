"""Glyph masks drawn from a glyph's outline, for shaped labels in the PNG backend.

Pillow draws text a character at a time; a shaped label (labels.py) is glyph ids, some of which
no character maps to (Pashto's contextual forms, marks placed by HarfBuzz). So each glyph's
outline, read through HarfBuzz (the same font object that shaped it), is filled here: contours
flattened to polygons, filled by the even-odd rule (XOR of the contours, which holes need) at
OVERSAMPLE times the pixel size, then box-reduced to an anti-aliased coverage mask.
"""
from __future__ import annotations

import math

from ..fonts.shaping import file_shaper

OVERSAMPLE = 4
_STEPS = 6  # line segments per curve: at label sizes a segment is under a pixel
_KEEP = 4096  # masks kept; a long-running process (watch) stays bounded
_MASKS: dict[tuple[str, int, int], tuple[object, int, int, int, int] | None] = {}


class _Contours:
    """A pen (the fontTools protocol uharfbuzz draws with) that flattens curves."""

    def __init__(self):
        self.contours: list[list[tuple[float, float]]] = []
        self.cur: list[tuple[float, float]] = []

    def moveTo(self, p):
        self.closePath()
        self.cur = [p]

    def lineTo(self, p):
        self.cur.append(p)

    def qCurveTo(self, *points):
        # TrueType: implied on-curve points halfway between consecutive off-curve ones
        start = self.cur[-1]
        offs, end = list(points[:-1]), points[-1]
        for n, c in enumerate(offs):
            last = end if n == len(offs) - 1 else ((c[0] + offs[n + 1][0]) / 2,
                                                   (c[1] + offs[n + 1][1]) / 2)
            for s in range(1, _STEPS + 1):
                t = s / _STEPS
                u = 1 - t
                self.cur.append((u * u * start[0] + 2 * u * t * c[0] + t * t * last[0],
                                 u * u * start[1] + 2 * u * t * c[1] + t * t * last[1]))
            start = last

    def curveTo(self, c1, c2, end):
        x0, y0 = self.cur[-1]
        for s in range(1, _STEPS + 1):
            t = s / _STEPS
            u = 1 - t
            self.cur.append((u ** 3 * x0 + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0]
                             + t ** 3 * end[0],
                             u ** 3 * y0 + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1]
                             + t ** 3 * end[1]))

    def closePath(self):
        if len(self.cur) >= 3:
            self.contours.append(self.cur)
        self.cur = []

    endPath = closePath


def glyph_mask(path: str, size: int, gid: int):
    """(mask, dx, dy, width, height) of glyph ``gid`` of the font at ``path`` drawn ``size``
    pixels to the em: the mask a Pillow core image of coverage, (dx, dy) its top-left corner
    relative to the glyph's origin on the baseline (y down); None for a blank glyph."""
    key = (path, size, gid)
    if key in _MASKS:
        return _MASKS[key]
    from PIL import Image, ImageChops, ImageDraw

    shaper = file_shaper(path)
    pen = _Contours()
    shaper.font.draw_glyph_with_pen(gid, pen)
    pen.closePath()
    out = None
    if pen.contours:
        k = size * OVERSAMPLE / shaper.upem
        contours = [[(x * k, -y * k) for x, y in c] for c in pen.contours]
        xs = [x for c in contours for x, _ in c]
        ys = [y for c in contours for _, y in c]
        ox = math.floor(min(xs) / OVERSAMPLE) * OVERSAMPLE
        oy = math.floor(min(ys) / OVERSAMPLE) * OVERSAMPLE
        w = math.ceil((max(xs) - ox + 1) / OVERSAMPLE) * OVERSAMPLE
        h = math.ceil((max(ys) - oy + 1) / OVERSAMPLE) * OVERSAMPLE
        acc = Image.new("1", (w, h), 0)
        for c in contours:
            one = Image.new("1", (w, h), 0)
            ImageDraw.Draw(one).polygon([(x - ox - 0.5, y - oy - 0.5) for x, y in c], fill=1)
            acc = ImageChops.logical_xor(acc, one)
        mask = acc.convert("L").reduce(OVERSAMPLE)
        out = (mask.im, ox // OVERSAMPLE, oy // OVERSAMPLE, mask.size[0], mask.size[1])
    if len(_MASKS) >= _KEEP:
        _MASKS.clear()
    _MASKS[key] = out
    return out
