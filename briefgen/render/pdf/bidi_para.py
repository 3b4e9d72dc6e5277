"""Paragraphs with right-to-left or complex-script text: HarfBuzz shaping, bidi line by line.

reportlab lays text out left to right, one character one glyph. Arabic script needs more: letters
join (Pashto ښ ګ ځ have no presentation forms to substitute), marks sit on their letters, and a
paragraph holding right-to-left text must be broken into lines in LOGICAL order and only then
reordered, line by line (UAX #9, rules L1-L2): reordering before breaking puts the last sentence on
the top line. So a paragraph whose text needs it (``needs_shaping``) is laid out here instead:

- embedding levels for the whole paragraph (python-bidi's algorithm module, rules P2-I2), base
  direction from the first strong character;
- words (split at spaces only: a ZWNJ, U+200C, stays inside its word) measured by HarfBuzz
  shaping, lines filled greedily in logical order;
- each line cut into runs of one font and one level, shaped by HarfBuzz in the run's direction,
  the runs reordered by rule L2 and the glyphs drawn by glyph id (through reportlab's subset);
- each line's text layer is its logical text, as an ActualText span: extraction, search and copy
  give the characters as written (harakat, ZWNJ), not the glyphs (ligatures, contextual forms).

Right-to-left paragraphs are right-aligned (justified ones stay justified). Inline styling comes
from reportlab's own markup parser (fonts, sizes, colours), so the markup is the one other
paragraphs get. Latin-only paragraphs never come here: they keep reportlab's faster path.
"""
from __future__ import annotations

import unicodedata

import uharfbuzz as hb
from bidi import algorithm as uax9
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable
from reportlab.platypus.paraparser import ParaParser

from .internals import ReportlabChanged, logical

__all__ = ["needs_shaping", "ShapedParagraph", "shape", "embedding_levels", "visual_text"]

_RTL_FIRST, _RTL_LAST = 0x0590, 0x08FF
_SPACES = frozenset(" \t\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000")
_BREAK = "\n"  # a <br/> in the paragraph: a forced line break
_STAND_IN = {"": "A", "LRI": "!", "RLI": "!", "FSI": "!", "PDI": "!"}


def needs_shaping(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters or combining marks (which HarfBuzz places)."""
    if text.isascii():
        return False
    for ch in text:
        code = ord(ch)
        if code >= 0x300 and (_RTL_FIRST <= code <= _RTL_LAST or 0xFB1D <= code <= 0xFEFC
                              or unicodedata.category(ch) == "Mn"):
            return True
    return False


_hb_fonts: dict[str, tuple[object, int]] = {}
_shaped: dict[tuple[str, str, bool], tuple[tuple[int, int, int, int, int, str], ...]] = {}


def _hb_font(face: str):
    got = _hb_fonts.get(face)
    if got is None:
        ttf = pdfmetrics.getFont(face)
        data = getattr(getattr(ttf, "face", None), "_ttf_data", None)
        if data is None:
            raise ReportlabChanged("the TrueType face's font data (face._ttf_data)")
        hb_face = hb.Face(hb.Blob(data))
        got = _hb_fonts[face] = (hb.Font(hb_face), hb_face.upem)
    return got


def shape(text: str, face: str, rtl: bool) -> tuple[tuple[int, int, int, int, int, str], ...]:
    """HarfBuzz's glyphs for ``text`` in ``face``, in visual order: (glyph id, x advance,
    x offset, y offset, index in ``text``, source text) in font units. Cached: the same words recur."""
    key = (text, face, rtl)
    out = _shaped.get(key)
    if out is None:
        font, _ = _hb_font(face)
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS  # a mark its own cluster
        hb.shape(font, buf, {"kern": True, "liga": True})
        infos = buf.glyph_infos
        starts = sorted({info.cluster for info in infos}) + [len(text)]
        ends = {start: end for start, end in zip(starts, starts[1:])}
        seen: set[int] = set()
        glyphs = []
        for info, pos in zip(infos, buf.glyph_positions):
            # the text a glyph stands for in the text layer: its cluster's characters, given
            # to the cluster's first glyph
            source = "" if info.cluster in seen else text[info.cluster:ends[info.cluster]]
            seen.add(info.cluster)
            glyphs.append((info.codepoint, pos.x_advance, pos.x_offset, pos.y_offset,
                           info.cluster, source))
        out = tuple(glyphs)
        if len(_shaped) > 20000:
            _shaped.clear()
        _shaped[key] = out
    return out


def _width(text: str, face: str, size: float, rtl: bool) -> float:
    _, upem = _hb_font(face)
    return sum(g[1] for g in shape(text, face, rtl)) * size / upem


def embedding_levels(text: str, base: int | None = None) -> tuple[int, list[int]]:
    """The paragraph's base level and each character's resolved embedding level (UAX #9 up to
    rule I2). Characters rule X9 removes (ZWNJ, ZWJ, embedding controls) take the level of the
    character before them, as the algorithm's note on X9 suggests. python-bidi's algorithm
    predates isolates and stops at unassigned code points: those are given as a neutral (ON) and
    a left-to-right letter (L, the default class of most unassigned code points)."""
    text = "".join(_STAND_IN.get(unicodedata.bidirectional(ch), ch) for ch in text)
    storage = uax9.get_empty_storage()
    if base is None:
        base = uax9.get_base_level(text)
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    uax9.get_embedding_levels(text, storage, False, False)
    uax9.explicit_embed_and_overrides(storage, False)
    uax9.resolve_weak_types(storage, False)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    chars = storage["chars"]
    levels: list[int] = []
    j, prev = 0, base
    for ch in text:  # rule L1 (spaces at a line's end) is kept by leaving those spaces out
        if j < len(chars) and chars[j]["ch"] == ch:
            prev = chars[j]["level"]
            j += 1
        levels.append(base if ch == _BREAK else prev)
    return base, levels


def _reorder(runs: list[tuple[int, object]]) -> list[object]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every sequence of
    runs at that level or higher. ``runs`` are (level, run) in logical order."""
    if not runs:
        return []
    order = list(runs)
    top = max(level for level, _ in order)
    low = min(level for level, _ in order)
    low_odd = low if low % 2 else low + 1
    for level in range(top, low_odd - 1, -1):
        i = 0
        while i < len(order):
            if order[i][0] >= level:
                j = i
                while j < len(order) and order[j][0] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return [run for _, run in order]


def visual_text(text: str, face: str) -> str:
    """One line for ``canvas.drawString`` in ``face`` (running heads, banners, watermark): its
    runs reordered by rule L2, each shaped by HarfBuzz, as the characters that draw HarfBuzz's
    glyphs (private-use ones for glyphs without a character; the text layer maps them back).
    Advances are the glyphs' own: the canvas draws no mark offsets or kerning."""
    if not needs_shaping(text):
        return text
    base, levels = embedding_levels(text)
    runs = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and levels[j] == levels[i]:
            j += 1
        runs.append((levels[i], (i, j)))
        i = j
    ttf = pdfmetrics.getFont(face)
    out = []
    for i, j in _reorder(runs):
        for gid, advance, _, _, _, source in shape(text[i:j], face, levels[i] % 2 == 1):
            ch = _glyph_char(ttf, gid, advance, source)
            if ch is not None:
                out.append(ch)
    return "".join(out)


class _Text:
    """A parsed paragraph: its logical text, the frag (font, size, colour) of each character and
    the embedding levels."""

    def __init__(self, markup: str, style, base: int | None = None):
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
        self.base, self.levels = embedding_levels(self.text, base)

    def words(self, start: int, end: int):
        """(start, end, kind) pieces of text[start:end]: kind "w" a word, "s" spaces, "b" a
        forced break."""
        text = self.text
        i = start
        while i < end:
            ch = text[i]
            if ch == _BREAK:
                yield i, i + 1, "b"
                i += 1
                continue
            space = ch in _SPACES
            j = i + 1
            while j < end and text[j] != _BREAK and (text[j] in _SPACES) == space:
                j += 1
            yield i, j, "s" if space else "w"
            i = j

    def runs(self, start: int, end: int):
        """(start, end) runs of one frag and one level inside text[start:end]."""
        i = start
        while i < end:
            j = i + 1
            key = (self.frag_of[i], self.levels[i])
            while j < end and (self.frag_of[j], self.levels[j]) == key:
                j += 1
            yield i, j
            i = j

    def width(self, start: int, end: int) -> float:
        total = 0.0
        for i, j in self.runs(start, end):
            frag = self.frags[self.frag_of[i]]
            total += _width(self.text[i:j], frag.fontName, frag.fontSize, self.levels[i] % 2 == 1)
        return total


class ShapedParagraph(Flowable):
    """A paragraph laid out with HarfBuzz and the bidi algorithm (see the module's docstring).
    Splits between lines across frames and pages like reportlab's Paragraph."""

    direction: int | None = None  # the base level; None: from the first strong character

    def __init__(self, markup: str, style, _text: _Text | None = None,
                 _span: tuple[int, int] | None = None):
        super().__init__()
        self.style = style
        self.t = _text or _Text(markup, style, self.direction)
        self.span = _span or (0, len(self.t.text))
        self.lines: list[tuple[int, int, bool]] = []  # (start, end, ends the paragraph/break)
        self._wrapped_at: float | None = None

    def _first(self) -> bool:
        return self.span[0] == 0

    def _break_lines(self, width: float) -> None:
        t = self.t
        lines: list[tuple[int, int, bool]] = []
        start = line_end = None
        used = 0.0
        room = width - self.style.leftIndent - self.style.rightIndent
        first_room = room - (self.style.firstLineIndent if self._first() else 0)
        pending = 0.0  # spaces after the last word, counted once a word follows
        for i, j, kind in t.words(*self.span):
            avail = first_room if not lines else room
            if kind == "b":
                lines.append((start if start is not None else i, line_end or i, True))
                start = line_end = None
                used = pending = 0.0
                continue
            if kind == "s":
                if start is not None:
                    pending += t.width(i, j)
                continue
            w = t.width(i, j)
            if start is None:
                start, line_end, used, pending = i, j, w, 0.0
            elif used + pending + w <= avail + 1e-6:
                line_end, used, pending = j, used + pending + w, 0.0
            else:
                lines.append((start, line_end, False))
                start, line_end, used, pending = i, j, w, 0.0
        if start is not None:
            lines.append((start, line_end, True))
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
        visual = _reorder(runs)
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
        _, upem = _hb_font(face)
        scale = size / upem
        tx.setFont(face, size)
        tx.setFillColor(frag.textColor)
        rise = getattr(frag, "rise", 0) or 0
        widths, default = ttf.face.charWidths, ttf.face.defaultWidth
        pen = None  # where the previous glyph left the text position (its /Widths advance)
        pending: list[str] = []  # glyphs drawn from one text position, in one string
        for gid, advance, x_off, y_off, cluster, source in shape(text, face, rtl):
            ch = _glyph_char(ttf, gid, advance, source)
            if ch is not None:
                at = (x + x_off * scale, y + rise + y_off * scale)
                # a new text position only where HarfBuzz moved the glyph: a text layer with a
                # position per glyph falls apart into words in some readers (and costs time)
                if pen is None or abs(pen[0] - at[0]) > 0.001 or pen[1] != at[1]:
                    if pending:
                        tx.textOut("".join(pending))
                        pending = []
                    tx.setTextOrigin(*at)
                pending.append(ch)
                pen = (at[0] + widths.get(ord(ch), default) * size / 1000, at[1])
            x += advance * scale
            if gap_extra and text[cluster] in _SPACES:
                x += gap_extra
        if pending:
            tx.textOut("".join(pending))
        return x


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
