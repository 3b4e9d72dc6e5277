"""Paragraphs with right-to-left or complex-script text, laid out in the PDF.

reportlab lays text out left to right, one character one glyph. A paragraph whose text needs
more (``needs_shaping``: Arabic-script letters that join, marks, ligatures) is laid out here with
the format-independent core the figures use too (briefgen/fonts: ``shaping`` for HarfBuzz,
``bidi`` for UAX #9):

- embedding levels for the whole paragraph, base direction from the text's language where one
  is known, else the first strong character, else the document's language;
- lines filled greedily in logical order with HarfBuzz-measured widths;
- each line cut into runs of one font and one level, shaped in the run's direction, the runs
  reordered by rule L2 and the glyphs drawn by glyph id (through reportlab's subset);
- the text layer gives the characters as written (harakat, ZWNJ), not the glyphs (ligatures,
  contextual forms): a glyph without a character of its own is drawn through a private-use
  character that the ToUnicode map sends to its source text (``_glyph_char``).

Right-to-left paragraphs are right-aligned (justified ones stay justified). Inline styling comes
from reportlab's own markup parser (fonts, sizes, colours), so the markup is the one other
paragraphs get. Latin-only paragraphs never come here: they keep reportlab's faster path.
"""
from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable
from reportlab.platypus.paraparser import ParaParser

from ...fonts import bidi
from ...fonts.bidi import BREAK as _BREAK, SPACES as _SPACES, embedding_levels
from ...fonts.glyph_writer import GlyphWriter
from ...fonts.shaping import Glyph, Shaper, needs_shaping, shaper
from .internals import ReportlabChanged, logical

__all__ = ["needs_shaping", "ShapedParagraph", "shape", "embedding_levels", "visual_text",
           "glyph_text"]


def _hb_font(face: str) -> Shaper:
    """The HarfBuzz shaper of the registered face ``face``, made from the bytes reportlab read."""
    def data() -> bytes:
        got = getattr(getattr(pdfmetrics.getFont(face), "face", None), "_ttf_data", None)
        if got is None:
            raise ReportlabChanged("the TrueType face's font data (face._ttf_data)")
        return got
    return shaper(face, data)


def shape(text: str, face: str, rtl: bool) -> tuple[Glyph, ...]:
    """HarfBuzz's glyphs for ``text`` in the registered face ``face``, in visual order."""
    return _hb_font(face).shape(text, rtl)


def _width(text: str, face: str, size: float, rtl: bool) -> float:
    font = _hb_font(face)
    return font.advance(text, rtl) * size / font.upem


def visual_text(text: str, face: str) -> str:
    """One line for ``canvas.drawString`` in ``face`` (running heads, banners, watermark): its
    runs reordered by rule L2, each shaped by HarfBuzz, as the characters that draw HarfBuzz's
    glyphs (private-use ones for glyphs without a character; the text layer maps them back).
    Advances are the glyphs' own: the canvas draws no mark offsets or kerning."""
    if not needs_shaping(text):
        return text
    _, levels = embedding_levels(text)
    ttf = pdfmetrics.getFont(face)
    out = []
    for i, j in bidi.visual_runs(levels, 0, len(text)):
        for gid, advance, _, _, _, source in shape(text[i:j], face, levels[i] % 2 == 1):
            ch = _glyph_char(ttf, gid, advance, source)
            if ch is not None:
                out.append(ch)
    return "".join(out)


class _Text:
    """A parsed paragraph: its logical text, the frag (font, size, colour) of each character and
    the embedding levels."""

    def __init__(self, markup: str, style, base: int | None = None,
                 language: str | None = None, default_language: str | None = None):
        parsed = ParaParser().parse(markup, style)
        if parsed is None:
            raise ValueError("paragraph markup could not be parsed")
        chars: list[str] = []
        frags: list[object] = []
        index: list[int] = []
        self.callbacks: list[tuple[int, object]] = []  # (at character, anchor or onDraw)
        for frag in parsed[1]:
            if hasattr(frag, "cbDefn"):
                if frag.cbDefn.kind == "img":
                    raise ValueError("inline images are not drawn in right-to-left paragraphs")
                self.callbacks.append((sum(map(len, chars)), frag.cbDefn))
                continue
            if getattr(frag, "lineBreak", False):
                text = _BREAK
            else:
                text = frag.text
            frags.append(frag)
            chars.append(text)
            index.extend([len(frags) - 1] * len(text))
        self.text = "".join(chars)
        self.frags = frags
        self.frag_of = index
        if base is None:
            base = bidi.base_level(self.text, language, default_language)
        self.base, self.levels = embedding_levels(self.text, base)

    def words(self, start: int, end: int):
        return bidi.words(self.text, start, end)

    def runs(self, start: int, end: int):
        """(start, end) runs of one frag and one level inside text[start:end]."""
        return bidi.level_runs(self.levels, start, end, self.frag_of.__getitem__)

    def width(self, start: int, end: int) -> float:
        total = 0.0
        for i, j in self.runs(start, end):
            frag = self.frags[self.frag_of[i]]
            total += _width(self.text[i:j], frag.fontName, frag.fontSize, self.levels[i] % 2 == 1)
        return total


class ShapedParagraph(Flowable):
    """A paragraph laid out with HarfBuzz and the bidi algorithm (see the module's docstring).
    Splits between lines across frames and pages like reportlab's Paragraph."""

    # the base level; None: from ``language`` (the language the text is written in) where one is
    # known, else the first strong character, else ``default_language`` (the document's)
    direction: int | None = None

    def __init__(self, markup: str, style, _text: _Text | None = None,
                 _span: tuple[int, int] | None = None, language: str | None = None,
                 default_language: str | None = None):
        super().__init__()
        self.style = style
        self.t = _text or _Text(markup, style, self.direction, language, default_language)
        self.span = _span or (0, len(self.t.text))
        self.lines: list[tuple[int, int, bool]] = []  # (start, end, ends the paragraph/break)
        self._wrapped_at: float | None = None

    def _first(self) -> bool:
        return self.span[0] == 0

    def _break_lines(self, width: float) -> None:
        room = width - self.style.leftIndent - self.style.rightIndent
        first_room = room - (self.style.firstLineIndent if self._first() else 0)
        lines = bidi.fill_lines(self.t.words(*self.span), self.t.width, first_room, room)
        self.lines = lines or [(self.span[0], self.span[0], True)]

    def wrap(self, availWidth, availHeight):
        if availWidth != self._wrapped_at:
            self._break_lines(availWidth)
            self._wrapped_at = availWidth
        self.width = availWidth
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        fit = int((availHeight + 1e-6) // self.style.leading)
        if fit >= len(self.lines):
            return [self]
        if fit < 1:
            return []
        cut = self.lines[fit][0]
        head = type(self)("", self.style, self.t, (self.span[0], cut))
        tail = type(self)("", self.style, self.t, (cut, self.span[1]))
        return [head, tail]

    def draw(self) -> None:
        style = self.style
        align = style.alignment
        rtl = self.t.base % 2 == 1
        if rtl and align == TA_LEFT:
            align = TA_RIGHT
        y = self.height - style.fontSize
        callbacks = [(i, cb) for i, cb in self.t.callbacks
                     if self.span[0] <= i < self.span[1] or (i == self.span[0] == self.span[1])
                     or (i == self.span[1] == len(self.t.text))]
        # the text font and colour set here are graphics state: restored for what follows
        self.canv.saveState()
        try:
            self._draw_lines(y, callbacks, rtl, align)
        finally:
            self.canv.restoreState()

    def _draw_lines(self, y: float, callbacks, rtl: bool, align: int) -> None:
        style = self.style
        for n, (start, end, last) in enumerate(self.lines):
            indent = style.firstLineIndent if n == 0 and self._first() else 0
            left = style.leftIndent + (0 if rtl else indent)
            room = self.width - style.leftIndent - style.rightIndent - indent
            x0, x1 = self._draw_line(start, end, left, y, room, align, last)
            upto = self.lines[n + 1][0] if n + 1 < len(self.lines) else len(self.t.text) + 1
            for i, cb in callbacks:
                if (n == 0 or i >= start) and i < upto:
                    self._callback(cb, x0, x1, y, rtl)
            y -= style.leading

    def _callback(self, cb, x0: float, x1: float, y: float, rtl: bool) -> None:
        """An anchor (a note's or heading's destination) at the line's start; an onDraw callback
        told where the line's text ends, as reportlab's Paragraph does."""
        canv = self.canv
        if cb.kind == "anchor":
            canv.bookmarkHorizontal(cb.name, x1 if rtl else x0, y + self.style.leading)
            return
        func = canv.getNamedCB(cb.name)
        if not func:
            raise ValueError(f"missing {cb.kind} callback {cb.name!r}")
        # the text's right end: a contents entry's leader dots start there, also when the
        # entry reads right to left
        canv._curr_tx_info = dict(tx=None, cur_x=x1, cur_y=y,
                                  leading=self.style.leading, xs=None)
        try:
            func(canv, cb.kind, getattr(cb, "label", None))
        finally:
            del canv._curr_tx_info

    def _draw_line(self, start: int, end: int, left: float, y: float, room: float, align: int,
                   last: bool) -> tuple[float, float]:
        t = self.t
        runs = []
        for i, j in t.runs(start, end):
            frag = t.frags[t.frag_of[i]]
            runs.append((t.levels[i], (i, j, frag)))
        visual = bidi.reorder(runs)
        natural = sum(_width(t.text[i:j], f.fontName, f.fontSize, t.levels[i] % 2 == 1)
                      for i, j, f in visual)
        gap_extra = 0.0
        x = left
        if align == TA_RIGHT:
            x = left + room - natural
        elif align == TA_CENTER:
            x = left + (room - natural) / 2
        elif align == TA_JUSTIFY and not last:
            spaces = sum(1 for ch in t.text[start:end] if ch in _SPACES)
            if spaces:
                gap_extra = max(0.0, room - natural) / spaces
            if t.base % 2 == 1 and not spaces:
                x = left + room - natural
        elif t.base % 2 == 1:
            x = left + room - natural
        start_x = x
        tx = self.canv.beginText()
        decorations = []
        for i, j, frag in visual:
            run_x = x
            x = self._draw_run(tx, t.text[i:j], frag, t.levels[i] % 2 == 1, x, y, gap_extra)
            if frag.link or frag.us_lines:
                decorations.append((frag, run_x, x))
        self.canv.drawText(tx)
        for frag, x0, x1 in decorations:
            self._decorate(frag, x0, x1, y)
        return start_x, x

    def _decorate(self, frag, x0: float, x1: float, y: float) -> None:
        """Links (a clickable rectangle over the run), underline and strike-through."""
        canv = self.canv
        size = frag.fontSize
        for _, href in frag.link:
            rect = (x0, y - size / 8, x1, y - size / 8 + self.style.leading)
            if href.startswith("#"):
                canv.linkRect("", href[1:], rect, relative=1)
            else:
                canv.linkURL(href, rect, relative=1)
        for line in frag.us_lines:
            at = y + (0.25 * size if line[1] == "strike" else -0.125 * size)
            canv.saveState()
            canv.setStrokeColor(frag.textColor)
            canv.setLineWidth(size / 14)
            canv.line(x0, at, x1, at)
            canv.restoreState()

    @staticmethod
    def _draw_run(tx, text: str, frag, rtl: bool, x: float, y: float, gap_extra: float) -> float:
        face, size = frag.fontName, frag.fontSize
        ttf = pdfmetrics.getFont(face)
        upem = _hb_font(face).upem
        scale = size / upem
        tx.setFont(face, size)
        tx.setFillColor(frag.textColor)
        rise = getattr(frag, "rise", 0) or 0
        out = GlyphWriter(tx, size, ttf.face.charWidths, ttf.face.defaultWidth)
        for gid, advance, x_off, y_off, cluster, source in shape(text, face, rtl):
            ch = _glyph_char(ttf, gid, advance, source)
            if ch is not None:
                out.put(ch, (x + x_off * scale, y + rise + y_off * scale))
            x += advance * scale
            if gap_extra and text[cluster] in _SPACES:
                x += gap_extra
        out.close()
        return x


def glyph_text(faces: dict[str, str]):
    """For figure labels shaped outside the renderer (figures/labels.py): a function giving, for
    glyphs of the font file ``path``, its registered name (``faces``: file -> name) and the
    character that draws each glyph (``_glyph_char``)."""
    def chars(path: str, glyphs) -> tuple[str, list[str | None]]:
        name = faces[path]
        ttf = pdfmetrics.getFont(name)
        return name, [_glyph_char(ttf, gid, advance, source)
                      for gid, advance, _, _, _, source in glyphs]
    return chars


def _glyph_char(ttf, gid: int, advance: int, source: str) -> str | None:
    """A character that reportlab's subset maps to glyph ``gid`` and the text layer to
    ``source``: the glyph's own character where the font's cmap has one that stands for
    ``source``, else a private-use character registered for (glyph, source) in
    ``face.briefgen_shaped`` (internals.ExtractableTTFont writes it into the ToUnicode CMap)."""
    face = ttf.face
    if gid == 0 and len(source) == 1:
        return source  # not in the font: reportlab's empty box, as in other paragraphs
    for code in face.glyphToChar.get(gid, ()):
        if logical(code) == source:
            return chr(code)
    private = getattr(face, "briefgen_private", None)
    if private is None:
        private = face.briefgen_private = {}
        face.briefgen_shaped = {}
        face.briefgen_next = 0xE000
    code = private.get((gid, source))
    if code is None:
        code = face.briefgen_next
        while code in face.charToGlyph:
            code += 1
        face.briefgen_next = code + 1
        face.charToGlyph[code] = gid
        face.glyphToChar.setdefault(gid, []).append(code)
        face.charWidths[code] = face._pdfScale(advance)
        private[(gid, source)] = code
        # a glyph after the first of its cluster stands for no text (the first has it all):
        # mapped to nothing, or a mark a font draws as two glyphs would be read twice
        face.briefgen_shaped[code] = source
    return chr(code)
