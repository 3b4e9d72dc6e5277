"""The two backends of a figure scene: reportlab.graphics (vector, PDF) and Pillow (PNG, DOCX).

Both draw the items of a ``Scene`` in order (later items on top). The scene has its origin at the
top-left with y down; reportlab's origin is bottom-left, so y is flipped there. Each backend
imports its library when called: a DOCX build never loads reportlab, a PDF build never loads
Pillow's drawing code for figures.
"""
from __future__ import annotations

import math
import struct
import zlib
from typing import TYPE_CHECKING

from ..fonts.glyph_writer import GlyphWriter
from .scene import Circle, Line, Polygon, Rect, Scene, TextItem, advances

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

_ANCHOR_RL = {"start": "start", "middle": "middle", "end": "end"}


def to_drawing(scene: Scene, font_names, glyph_text=None) -> Drawing:
    """The scene as a reportlab Drawing of exactly ``scene.width`` x ``scene.height`` points.

    ``font_names`` has the reportlab names of the scene's faces as attributes ``regular``,
    ``bold`` and ``italic`` (the PDF renderer's ``FaceNames``, registered by the renderer: the
    registry is reportlab's, and the renderer owns it). ``glyph_text(path, glyphs)`` gives, for
    a shaped label's run (labels.GlyphRun), the registered font name of the file ``path`` and
    for each glyph the character that draws it in that font (None: nothing to draw); needed
    only when the scene has such labels."""
    from reportlab.graphics import shapes
    from reportlab.lib.colors import HexColor

    H = scene.height
    d = shapes.Drawing(scene.width, scene.height)
    colours: dict[str, object] = {}
    names = {face: getattr(font_names, face) for face in ("regular", "bold", "italic")}

    def col(v):
        if v is None:
            return None
        c = colours.get(v)
        if c is None:
            c = colours[v] = HexColor(v)
        return c

    for it in scene.items:
        if isinstance(it, TextItem) and it.runs is not None:
            d.add(_shaped_label(it, H, glyph_text, col(it.colour)))
        elif isinstance(it, TextItem):
            d.add(shapes.String(it.x, H - it.y, it.text, fontName=names[it.face],
                                fontSize=it.size, fillColor=col(it.colour),
                                textAnchor=_ANCHOR_RL[it.anchor]))
        elif isinstance(it, Line):
            pts = [v for x, y in it.points for v in (x, H - y)]
            kw = {"strokeDashArray": list(it.dash)} if it.dash else {}
            if len(it.points) == 2:
                d.add(shapes.Line(*pts, strokeColor=col(it.stroke), strokeWidth=it.width, **kw))
            else:
                d.add(shapes.PolyLine(pts, strokeColor=col(it.stroke), strokeWidth=it.width,
                                      **kw))
        elif isinstance(it, Rect):
            d.add(shapes.Rect(it.x, H - it.y - it.h, it.w, it.h, rx=it.radius, ry=it.radius,
                              fillColor=col(it.fill), strokeColor=col(it.stroke),
                              strokeWidth=it.width if it.stroke else 0))
        elif isinstance(it, Circle):
            d.add(shapes.Circle(it.cx, H - it.cy, it.r, fillColor=col(it.fill),
                                strokeColor=col(it.stroke),
                                strokeWidth=it.width if it.stroke else 0))
        elif isinstance(it, Polygon):
            pts = [v for x, y in it.points for v in (x, H - y)]
            d.add(shapes.Polygon(pts, fillColor=col(it.fill), strokeColor=col(it.stroke),
                                 strokeWidth=it.width if it.stroke else 0))
        else:  # pragma: no cover - the scene builders only make the types above
            raise TypeError(f"unknown scene item {type(it).__name__}")
    return d


def _shaped_label(it: TextItem, H: float, glyph_text, colour):
    """A shaped label as one PDF text object drawn straight onto the canvas: a new text position
    only where HarfBuzz moved a glyph from where the previous one's own advance left it (marks,
    kerning), as the PDF body does (render/pdf/bidi_para.py). One text object keeps a word with
    its marks together for text extraction; a String per position would cut it into lines."""
    from reportlab.graphics.shapes import DirectDraw
    from reportlab.pdfbase import pdfmetrics

    if glyph_text is None:
        raise TypeError("a shaped figure label needs the renderer's glyph_text")

    class ShapedLabel(DirectDraw):
        def getBounds(self):
            x0, y0, x1, y1 = it.box
            return x0, H - y1, x1, H - y0

        def drawDirectly(self, renderer):
            canvas = renderer._canvas
            x = it.x
            if it.anchor != "start":
                w = sum(run.width(it.size) for run in it.runs)
                x -= w if it.anchor == "end" else w / 2
            size = it.size
            canvas.saveState()  # the text's font and colour are graphics state
            tx = canvas.beginText()
            tx.setFillColor(colour)
            for run in it.runs:
                name, chars = glyph_text(run.path, run.glyphs)
                face = pdfmetrics.getFont(name).face
                tx.setFont(name, size)
                scale = size / run.upem
                out = GlyphWriter(tx, size, face.charWidths, face.defaultWidth)
                for (_, advance, x_off, y_off, _, _), ch in zip(run.glyphs, chars):
                    if ch is not None:
                        out.put(ch, (x + x_off * scale, H - it.y + y_off * scale))
                    x += advance * scale
                out.close()
            canvas.drawText(tx)
            canvas.restoreState()

    return ShapedLabel()


# Drawn this many times larger, then each SUPERSAMPLE x SUPERSAMPLE block averaged into one pixel:
# Pillow draws shapes without anti-aliasing, the averaging smooths every edge (text included).
SUPERSAMPLE = 2
# The picture is drawn in bands of this many (final) pixel rows, each band's canvas reduced and
# encoded before the next is drawn: a page-high figure on one canvas (35 MB at 200 dpi) spends
# more time in page faults and memory traffic than in drawing; in bands both figures of the
# 300-development brief take ~1/3 less time.
BAND = 64


def to_png(scene: Scene, dpi: int) -> bytes:
    """The scene as PNG bytes, ``round(width / 72 * dpi)`` pixels wide; identical bytes per input.

    Drawn with Pillow on a white canvas ``SUPERSAMPLE`` times the final size, then reduced (box
    filter), which anti-aliases lines, curves and text alike. Strokes are centred on the outline
    as in the PDF. Text is drawn glyph by glyph from the scene's TTF files, each glyph at the
    advance the layout measured (the files' own advance widths, as reportlab uses them), so a
    label sits exactly where the layout put it and ends where its box ends; no kerning, and
    glyph positions are not hinted. A shaped label (labels.py) is drawn from its glyphs' outlines
    (outlines.py) where HarfBuzz placed them. The PNG holds the picture and its resolution,
    nothing else.
    """
    from PIL import Image, ImageDraw

    W, H = scene.width, scene.height
    px_w, px_h = max(1, round(W / 72 * dpi)), max(1, round(H / 72 * dpi))
    ss = SUPERSAMPLE
    k = dpi / 72 * ss  # canvas pixels per point
    items = [(top * k, bottom * k, it) for it in scene.items for top, bottom in [_extent(it)]]
    white = (255, 255, 255)
    pen = _Raster(k, scene.fonts)
    z = zlib.compressobj(1)  # deflate's quickest level: flat colour compresses well anyway
    # PNG rows each start with their filter type, 0 (none): Pillow writes every row followed
    # by a zero byte (a stride one byte longer than the row), so one zero goes in front of the
    # first row and the zero after the last row is dropped
    idat = [z.compress(b"\0")]
    canvas = None
    for b0 in range(0, px_h, BAND):
        b1 = min(px_h, b0 + BAND)
        size = (px_w * ss, (b1 - b0) * ss)
        if canvas is None or canvas.size != size:
            canvas = Image.new("RGB", size, white)
            draw = ImageDraw.Draw(canvas)
        else:  # the same memory again, wiped: no page faults for a new canvas
            canvas.paste(white, (0, 0) + size)
        pen.start(canvas, draw, b0 * ss)
        lo, hi = b0 * ss - 2, b1 * ss + 2
        for top, bottom, it in items:
            if bottom >= lo and top <= hi:
                pen.draw_item(it)
        band = canvas.reduce(ss) if ss > 1 else canvas
        rows = band.tobytes("raw", ("RGB", 3 * px_w + 1))
        idat.append(z.compress(rows if b1 < px_h else rows[:-1]))
    idat.append(z.flush())
    return _png(b"".join(idat), px_w, px_h, dpi)


def _extent(it) -> tuple[float, float]:
    """Top and bottom of everything ``it`` may paint, in points (generous: strokes, joints,
    accents above capitals and descenders below the ink box all fit)."""
    if isinstance(it, TextItem):
        return it.y - 1.3 * it.size, it.y + 0.6 * it.size
    if isinstance(it, Rect):
        return it.y - it.width, it.y + it.h + it.width
    if isinstance(it, Circle):
        return it.cy - it.r - it.width, it.cy + it.r + it.width
    ys = [y for _, y in it.points] or [0.0]
    return min(ys) - it.width * 2, max(ys) + it.width * 2


def _png(idat: bytes, width: int, height: int, dpi: int) -> bytes:
    """A PNG file of 8-bit RGB pixels from its deflated rows ``idat``. Rows without a filter at
    deflate level 1 are smaller, for these flat-colour pictures, and take half the time of
    Pillow's encoder with its adaptive row filters. Nothing goes into the file but the picture
    and its resolution (no time, no software name)."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    ppm = round(dpi / 0.0254)  # pixels per metre
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
            + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


class _Raster:
    """Draws scene items onto a Pillow image at ``k`` pixels per point.

    Pillow addresses pixels by index; a scene coordinate ``c`` (in points) lies at the continuous
    position ``c * k``, whose pixel index is ``c * k - 0.5`` for shape outlines (the pixel whose
    centre is nearest). Fills and centred strokes: the outline grown by half the stroke width in
    the stroke colour, then the outline shrunk by half the stroke width in the fill colour.
    """

    def __init__(self, k: float, fonts: dict[str, str]):
        self.k, self.fonts = k, fonts
        self.colours: dict[str, tuple[int, int, int]] = {}
        self.image = self.draw = None
        self.oy = 0  # the canvas row (in pixels) at the top of the band being drawn

    def start(self, image, draw, oy: int) -> None:
        self.image, self.draw, self.oy = image, draw, oy

    def draw_item(self, it) -> None:
        if isinstance(it, TextItem):
            self.text(it)
        elif isinstance(it, Line):
            self.line(it)
        elif isinstance(it, Rect):
            self.rect(it)
        elif isinstance(it, Circle):
            self.circle(it)
        elif isinstance(it, Polygon):
            self.polygon(it)
        else:  # pragma: no cover - the scene builders only make the types above
            raise TypeError(f"unknown scene item {type(it).__name__}")

    def colour(self, value: str | None):
        if value is None:
            return None
        c = self.colours.get(value)
        if c is None:
            c = self.colours[value] = _rgb(value)
        return c

    def stroke_px(self, width: float) -> int:
        return max(1, round(width * self.k))

    def xy(self, points) -> list[tuple[float, float]]:
        k, oy = self.k, self.oy + 0.5
        return [(x * k - 0.5, y * k - oy) for x, y in points]

    # --- shapes -------------------------------------------------------------------------

    def line(self, it: Line) -> None:
        colour = self.colour(it.stroke)
        if colour is None or len(it.points) < 2:
            return
        px = self.stroke_px(it.width)
        runs = _dashes(it.points, it.dash) if it.dash else [it.points]
        for run in runs:
            self.draw.line(self.xy(run), fill=colour, width=px, joint="curve" if len(run) > 2
                           else None)

    def box(self, x0: float, y0: float, x1: float, y1: float, grow: float):
        """Pixel box (inclusive indices) of the scene rectangle x0..x1, y0..y1 grown by ``grow``
        points on each side; None when nothing is left of it."""
        k, oy = self.k, self.oy
        b = (round((x0 - grow) * k), round((y0 - grow) * k) - oy,
             round((x1 + grow) * k) - 1, round((y1 + grow) * k) - 1 - oy)
        return b if b[2] >= b[0] and b[3] >= b[1] else None

    def rect(self, it: Rect) -> None:
        self._boxed(it.x, it.y, it.x + it.w, it.y + it.h, it.fill, it.stroke, it.width,
                    it.radius)

    def circle(self, it: Circle) -> None:
        self._boxed(it.cx - it.r, it.cy - it.r, it.cx + it.r, it.cy + it.r, it.fill, it.stroke,
                    it.width, None)

    def _boxed(self, x0, y0, x1, y1, fill, stroke, width, radius) -> None:
        """A rectangle (``radius`` a number; rounded corners when > 0) or an ellipse (None)."""
        fill, stroke = self.colour(fill), self.colour(stroke)
        if stroke is None:
            if fill is not None:
                self._shape(x0, y0, x1, y1, radius, 0.0, fill=fill)
        elif fill is None:  # an outline only: Pillow draws it inside the box it is given
            self._shape(x0, y0, x1, y1, radius, width / 2, outline=stroke,
                        width=self.stroke_px(width))
        else:
            self._shape(x0, y0, x1, y1, radius, width / 2, fill=stroke)
            self._shape(x0, y0, x1, y1, radius, -width / 2, fill=fill)

    def _shape(self, x0, y0, x1, y1, radius, grow, **kw) -> None:
        b = self.box(x0, y0, x1, y1, grow)
        if b is None:
            return
        if radius is None:
            self.draw.ellipse(b, **kw)
        elif radius > 0 and radius + grow > 0:
            self.draw.rounded_rectangle(b, radius=round((radius + grow) * self.k), **kw)
        else:
            self.draw.rectangle(b, **kw)

    def polygon(self, it: Polygon) -> None:
        fill, stroke = self.colour(it.fill), self.colour(it.stroke)
        pts = self.xy(it.points)
        if len(pts) < 3:
            return
        if fill is not None:
            self.draw.polygon(pts, fill=fill)
        if stroke is not None:
            self.draw.line(pts + pts[:2], fill=stroke, width=self.stroke_px(it.width),
                           joint="curve")

    # --- text ---------------------------------------------------------------------------

    def text(self, it: TextItem) -> None:
        if it.runs is not None:
            self.glyph_runs(it)
            return
        colour = self.colour(it.colour)
        path = self.fonts[it.face]
        k = self.k
        size = max(1, round(it.size * k))  # the glyphs' pixel size
        adv = advances(path)  # the advances the layout measured with (figures.scene.Pen)
        width, char = adv.cache.get, adv.char
        paste = self.image.im.paste  # Image.paste without its per-call checks (~3x faster)
        x = it.x  # where the text starts: anchored as reportlab's String anchors it
        if it.anchor != "start":
            w = adv.width(it.text, it.size)
            x -= w if it.anchor == "end" else w / 2
        x, y = x * k, round(it.y * k) - self.oy
        scale = 0.001 * it.size * k
        glyphs = _GLYPHS.get((path, size))
        if glyphs is None:
            if len(_GLYPHS) >= _SIZES_KEPT:  # a long-running process (watch) stays bounded
                _GLYPHS.clear()
                _FONTS.clear()
            glyphs = _GLYPHS[(path, size)] = {}
        for ch in it.text:
            g = glyphs.get(ch, False)
            if g is False:
                g = glyphs[ch] = _glyph(path, size, ch)
            if g is not None:
                mask, dx, dy, w, h = g
                x0, y0 = round(x) + dx, y + dy
                paste(colour, (x0, y0, x0 + w, y0 + h), mask)
            x += (width(ch) or char(ch)) * scale


    def glyph_runs(self, it: TextItem) -> None:
        """A shaped label (labels.py): each glyph's outline where HarfBuzz placed it."""
        from .outlines import glyph_mask

        colour = self.colour(it.colour)
        k = self.k
        size = max(1, round(it.size * k))
        x = it.x
        if it.anchor != "start":
            w = sum(run.width(it.size) for run in it.runs)
            x -= w if it.anchor == "end" else w / 2
        x, y = x * k, it.y * k - self.oy
        paste = self.image.im.paste
        for run in it.runs:
            scale = it.size * k / run.upem
            for gid, advance, x_off, y_off, _, _ in run.glyphs:
                g = glyph_mask(run.path, size, gid)
                if g is not None:
                    mask, dx, dy, w, h = g
                    x0, y0 = round(x + x_off * scale) + dx, round(y - y_off * scale) + dy
                    paste(colour, (x0, y0, x0 + w, y0 + h), mask)
                x += advance * scale


# Glyph masks by (TTF path, pixel size), then character, kept across figures (a build draws
# several with the same faces and sizes); at most _SIZES_KEPT faces and sizes.
_SIZES_KEPT = 48
_GLYPHS: dict[tuple[str, int], dict[str, tuple[object, int, int, int, int] | None]] = {}
_FONTS: dict[tuple[str, int], object] = {}


def _glyph(path: str, size: int, ch: str):
    """The anti-aliased coverage mask of one glyph (Pillow's core image), where its top-left
    corner is relative to the glyph's origin on the baseline, and its size; None for a blank
    glyph or one Pillow cannot draw."""
    from PIL import ImageFont

    font = _FONTS.get((path, size))
    if font is None:
        # one character at a time, no shaping: the basic layout (Pillow < 9.1: LAYOUT_BASIC)
        basic = ImageFont.Layout.BASIC if hasattr(ImageFont, "Layout") else ImageFont.LAYOUT_BASIC
        font = _FONTS[(path, size)] = ImageFont.truetype(path, size, layout_engine=basic)
    g = None
    try:
        mask, (dx, dy) = font.getmask2(ch, "L", anchor="ls")
        if mask.size[0] > 0 and mask.size[1] > 0:
            g = (mask, dx, dy, mask.size[0], mask.size[1])
    except (ValueError, UnicodeError, OSError):  # e.g. a lone surrogate
        g = None
    return g


def _dashes(points, pattern) -> list[list[tuple[float, float]]]:
    """The "on" pieces of a polyline dashed with ``pattern`` (on, off, on, ... in points,
    starting with "on" at the first point, as a PDF dash array with phase 0)."""
    pattern = [max(0.0, float(p)) for p in pattern]
    if len(pattern) % 2:
        pattern *= 2
    if not pattern or sum(pattern) <= 0:
        return [list(points)]
    runs: list[list[tuple[float, float]]] = []
    i, left, on = 0, pattern[0], True
    cur = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        seg = math.hypot(x1 - x0, y1 - y0)
        pos = 0.0
        while seg - pos > left:
            pos += left
            t = pos / seg
            p = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
            if on:
                cur.append(p)
                runs.append(cur)
            else:
                cur = [p]
            on = not on
            i = (i + 1) % len(pattern)
            left = pattern[i]
        left -= seg - pos
        if on:
            cur.append((x1, y1))
    if on and len(cur) > 1:
        runs.append(cur)
    return [r for r in runs if len(r) > 1]
