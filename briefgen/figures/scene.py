"""A neutral picture description that both figure backends draw.

Coordinates are points, origin at the TOP-LEFT corner, y growing DOWN (layout reads like a page).
The reportlab backend (PDF) flips y; the Pillow backend (PNG) draws y down as it is.
Colours are ``#rrggbb`` strings; ``None`` means no fill / no stroke.

Text is measured with the advance widths of the TTF files (briefgen/fonts/ttf.py reads only the
cmap and hmtx tables): the same numbers as reportlab's ``stringWidth`` for those files, without
importing reportlab or parsing whole fonts. The PDF renderer registers the faces with reportlab
and hands their names to the reportlab backend (``draw.to_drawing``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import BriefgenError
from ..fonts import ttf
from ..fonts.faces import DEJAVU_DIR
from .labels import GlyphRun, Labeller

# the ink extent of a DejaVu line of text, as a fraction of the font size (reportlab's metrics)
ASCENT = 0.76
DESCENT = 0.24


@dataclass
class Line:
    points: list[tuple[float, float]]  # a polyline
    stroke: str
    width: float = 0.75
    dash: tuple[float, ...] | None = None


@dataclass
class Rect:
    x: float
    y: float  # top edge
    w: float
    h: float
    fill: str | None
    stroke: str | None = None
    width: float = 0.5
    radius: float = 0.0


@dataclass
class Circle:
    cx: float
    cy: float
    r: float
    fill: str | None
    stroke: str | None = None
    width: float = 0.5


@dataclass
class Polygon:
    points: list[tuple[float, float]]
    fill: str | None
    stroke: str | None = None
    width: float = 0.5


@dataclass
class TextItem:
    x: float
    y: float  # baseline
    text: str
    face: str  # "regular" | "bold" | "italic"
    size: float
    colour: str
    anchor: str = "start"  # "start" | "middle" | "end"
    box: tuple[float, float, float, float] = (0, 0, 0, 0)  # x0, y0(top), x1, y1(bottom): ink box
    # the text as shaped glyph runs, left to right (labels.py), when it needs fallback faces,
    # shaping or reordering; None: one glyph per character of ``face``
    runs: tuple[GlyphRun, ...] | None = None


Shape = Line | Rect | Circle | Polygon | TextItem


@dataclass
class Scene:
    width: float
    height: float
    items: list[Shape] = field(default_factory=list)
    fonts: dict[str, str] = field(default_factory=dict)  # face -> TTF path

    def texts(self) -> list[TextItem]:
        return [i for i in self.items if isinstance(i, TextItem)]


def mix(a: str, b: str, t: float) -> str:
    """``a`` blended towards ``b`` by ``t`` (0 = a, 1 = b), as #rrggbb."""
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(ca, cb))


ELLIPSIS = "…"


class Advances:
    """Advance widths of one face, summed exactly as reportlab's ``stringWidth`` sums them.

    ``ttf.Face.width_1000`` gives the same width up to the last bit of a float; the layout is
    iterative (force layout, pushing boxes apart), so a last-bit difference can move a big map.
    Summing the same per-character floats in the same order, as reportlab's Python code does,
    keeps the layouts, and so the PDFs, identical to what reportlab's metrics gave. (reportlab's
    optional C accelerator, rl_accel, which briefgen does not install, rounds differently in the
    last bit; layouts no longer depend on whether it is installed.)
    """

    def __init__(self, face: ttf.Face):
        self.face = face
        self.scale = 1000 / face.units_per_em  # reportlab: aw * (1000 / unitsPerEm)
        self.default = face.advances[0] * self.scale  # glyph 0 for characters not in the font
        self.cache: dict[str, float] = {}
        space = face.cmap.get(0x20)  # reportlab gives NBSP the width of the space
        if space is not None:
            self.cache["\u00a0"] = face.advances[min(space, len(face.advances) - 1)] * self.scale

    def char(self, ch: str) -> float:
        g = self.face.cmap.get(ord(ch))
        adv = self.face.advances
        w = self.default if g is None or g >= len(adv) else adv[g] * self.scale
        self.cache[ch] = w
        return w

    def width(self, text: str, size: float) -> float:
        get, char = self.cache.get, self.char
        return 0.001 * size * sum([get(ch) or char(ch) for ch in text])


@lru_cache(maxsize=64)
def advances(path: str) -> Advances:
    """The advance widths of the TTF file at ``path`` (cached per path for the process).

    Raises BriefgenError when the file cannot be read as a font."""
    try:
        return Advances(ttf.face(path))
    except (OSError, ttf.FontFileError) as exc:
        detail = getattr(exc, "strerror", None) or exc
        raise BriefgenError(f"cannot use font file {path}: {detail}") from None


class Pen:
    """Fonts and colours of one theme, and text measuring (advance widths of the TTF files).

    Both backends draw with the same TTF files at these advances, so widths measured here hold
    for the PDF and the PNG alike.
    """

    def __init__(self, theme):
        fam = theme.heading_font  # figures use the sans family (DejaVu Sans by default)
        self.fonts = {"regular": str(fam.regular), "bold": str(fam.bold),
                      "italic": str(fam.italic)}
        self._advances = {face: advances(path) for face, path in self.fonts.items()}
        # characters a face lacks: the theme's fallbacks and the built-in script faces, then
        # its families, as in the PDF body; an Arabic-script run goes to the first of those
        # first, as there, when the pen's face is a DejaVu one (some Arabic, not all Pashto)
        families: list[tuple[str, str, str, str]] = []
        preferred = theme.fallbacks
        for fam in (*preferred, theme.heading_font, theme.body_font, theme.mono_font):
            files = tuple(str(p) for p in fam.faces)
            if files not in families:
                families.append(files)
        partial = {path for path in self.fonts.values() if Path(path).parent == DEJAVU_DIR}
        self.labels = Labeller(self.fonts, families, len(preferred), partial)
        self.ink = theme.text_colour
        self.accent = theme.accent_colour
        self.muted = theme.muted_colour
        self.rule = mix(theme.muted_colour, "#FFFFFF", 0.55)
        self.faint = mix(theme.muted_colour, "#FFFFFF", 0.85)
        self.stripe = theme.table_stripe_fill
        self._widths: dict[tuple[str, str, float], float] = {}

    def scene(self, width: float, height: float) -> Scene:
        return Scene(float(width), float(height), [], dict(self.fonts))

    def width(self, text: str, face: str, size: float) -> float:
        key = (text, face, size)
        w = self._widths.get(key)
        if w is None:
            runs = None if text.isascii() else self.labels.runs(text, face)
            if runs is None:
                w = self._advances[face].width(text, size)
            else:
                w = sum(run.width(size) for run in runs)
            self._widths[key] = w
        return w

    def text(self, x: float, y: float, text: str, face: str, size: float, colour: str,
             anchor: str = "start") -> TextItem:
        w = self.width(text, face, size)
        x0 = x - (w if anchor == "end" else w / 2 if anchor == "middle" else 0)
        box = (x0, y - ASCENT * size, x0 + w, y + DESCENT * size)
        runs = None if text.isascii() else self.labels.runs(text, face)
        return TextItem(x, y, text, face, size, colour, anchor, box, runs)

    def fit(self, text: str, face: str, size: float, max_width: float) -> str:
        """``text`` shortened with an ellipsis so that it is at most ``max_width`` wide."""
        if self.width(text, face, size) <= max_width:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + ELLIPSIS, face, size) <= max_width:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo].rstrip() + ELLIPSIS

    def wrap(self, text: str, face: str, size: float, max_width: float,
             max_lines: int) -> list[str]:
        """Greedy word wrap into at most ``max_lines``; text left over ends in an ellipsis."""
        lines: list[str] = []
        cur = ""
        for word in text.split():
            trial = f"{cur} {word}" if cur else word
            if self.width(trial, face, size) <= max_width:
                cur = trial
                continue
            if cur:
                lines.append(cur)
            cur = word
            while self.width(cur, face, size) > max_width and len(cur) > 1:  # split a long word
                cut = len(self.fit(cur, face, size, max_width)) - 1
                cut = max(cut, 1)
                lines.append(cur[:cut])
                cur = cur[cut:]
        if cur:
            lines.append(cur)
        if len(lines) > max_lines:
            rest = " ".join(lines[max_lines - 1:])
            lines = lines[:max_lines - 1] + [self.fit(rest, face, size, max_width)]
        return lines or [""]


def boxes_overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float],
                  gap: float = 0.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


LEGEND_LINE = 13.0  # baseline-to-baseline of legend lines


def flow(pen: Pen, entries: list[tuple[float, str]], width: float,
         size: float) -> tuple[list[tuple[float, float]], float]:
    """Legend entries (swatch width, text) flowed into lines across ``width``: the
    (x, baseline) of each entry's swatch, and the height the legend takes."""
    out = []
    x, line = 0.0, 0
    for swatch, text in entries:
        w = swatch + pen.width(text, "regular", size)
        if x > 0 and x + w > width:
            x, line = 0.0, line + 1
        out.append((x, 8.0 + line * LEGEND_LINE))
        x += w + 10
    return out, 16.0 + line * LEGEND_LINE


def shrink_to_height(scene: Scene, max_height: float) -> None:
    """Scale the whole picture (text too) down to ``max_height``, centred in the same width."""
    f = max_height / scene.height
    ox = scene.width * (1 - f) / 2
    for it in scene.items:
        if isinstance(it, (Line, Polygon)):
            it.points = [(ox + x * f, y * f) for x, y in it.points]
        elif isinstance(it, Rect):
            it.x, it.y, it.w, it.h = ox + it.x * f, it.y * f, it.w * f, it.h * f
            it.radius *= f
        elif isinstance(it, Circle):
            it.cx, it.cy, it.r = ox + it.cx * f, it.cy * f, it.r * f
        else:
            it.x, it.y, it.size = ox + it.x * f, it.y * f, it.size * f
            b = it.box
            it.box = (ox + b[0] * f, b[1] * f, ox + b[2] * f, b[3] * f)
        if not isinstance(it, TextItem):
            it.width *= f
    scene.height = max_height
