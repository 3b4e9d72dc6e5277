"""Page estimates for the DOCX contents: on which page each bookmarked heading will land.

A Word file has no pages until a word processor lays it out, but the TOC's cached PAGEREF
results are printed as they are (LibreOffice never updates them, Word only on request). So the
finished body XML is laid out roughly here: paragraphs are broken into lines with the advance
widths of the theme's TTF faces, line heights follow the paragraph's style and direct formatting
(both worked out by formatting.py); then lines, table rows and pictures are poured into pages with
Word's rules for page breaks, keep-with-next, keep-lines-together, widow/orphan control,
unsplittable rows, repeated header rows and the room footnotes take at the page foot.

It is an estimate: hyphenation, kerning and font substitution are not modelled, and fonts the
theme does not ship (a reference document's Calibri, say) are measured with the body face's
widths. Checked against LibreOffice on about 680 entries in 20 documents (the test briefs and the
sample workspace, A4 and letter), all but 15 were right and those were one page off (14 of them
in one document where LibreOffice leaves a third of a page empty before a heading). Word's own
layout differs from LibreOffice's by about as much.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ...theme.model import Theme
from . import xml as x
from .formatting import AVERAGE_EM, Fonts, Props, StyleSheet, apply_ppr, is_on

_TAB_PT = 24.0
_DEFAULT_CELL_MARGIN = (0, 108, 0, 108)  # twips: Word's defaults (top, left, bottom, right)
_FOOTNOTE_SEPARATOR = 13.5  # points: the separator line and the space around it

W = x.w
_T, _TAB, _BR, _DRAWING, _FNREF = W("t"), W("tab"), W("br"), W("drawing"), W("footnoteReference")
_R, _P, _TBL = W("r"), W("p"), W("tbl")
_BOOKMARK = W("bookmarkStart")
# attribute and tag names the paragraph loop reads thousands of times
_W_ID, _W_ILVL, _W_IND, _W_NAME, _W_NUMPR = W("id"), W("ilvl"), W("ind"), W("name"), W("numPr")
_W_PPR, _W_PSTYLE, _W_RPR, _W_RSTYLE = W("pPr"), W("pStyle"), W("rPr"), W("rStyle")
_W_TYPE, _W_VAL, _W_SZ, _W_RFONTS = W("type"), W("val"), W("sz"), W("rFonts")
_W_ASCII, _W_B = W("ascii"), W("b")
_WP_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"


@dataclass
class _Block:
    """A paragraph as lines, or a table as rows: what the page filler needs."""

    lines: list[float]            # heights, points (a table: its rows)
    before: float = 0.0
    after: float = 0.0
    keep_next: bool = False
    keep_lines: bool = False
    page_break: bool = False
    bookmarks: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    header: float = 0.0           # a table: height of its repeated header rows
    table: bool = False
    rigid: list[bool] = field(default_factory=list)  # a table: per row, cantSplit


class _Layout:
    def __init__(self, styles: StyleSheet, fonts: Fonts):
        self.styles, self.fonts = styles, fonts
        self._words: dict[int, dict[str, float]] = {}  # per face (widths table): word -> em
        self._paragraphs: dict[bytes | None, Props] = {}
        self._runs: dict[tuple, tuple[dict[int, float], float, float, dict[str, float]]] = {}

    def paragraph_props(self, ppr: etree._Element | None) -> Props:
        """The props of a paragraph with these paragraph properties (shared: do not change).

        Paragraphs repeat a few dozen pPr elements, so the result is cached by their XML."""
        key = etree.tostring(ppr) if ppr is not None else None
        props = self._paragraphs.get(key)
        if props is None:
            style = ppr.find(_W_PSTYLE) if ppr is not None else None
            props = self.styles.paragraph(style.get(_W_VAL) if style is not None else None)
            if ppr is not None:
                props = props.copy()
                apply_ppr(props, ppr)
                numpr = ppr.find(_W_NUMPR)
                if numpr is not None and ppr.find(_W_IND) is None:
                    ilvl = numpr.find(_W_ILVL)
                    level = int(ilvl.get(_W_VAL, 0)) if ilvl is not None else 0
                    props.left, props.first = 18.0 * (level + 1), -18.0
            self._paragraphs[key] = props
        return props

    def run_format(self, props: Props, rpr: etree._Element | None
                   ) -> tuple[dict[int, float], float, float, dict[str, float]]:
        """(widths, line factor, size, word cache) of a run in a paragraph with ``props``.

        Runs repeat a handful of formats (plain, bold, a footnote mark), so the result is cached
        per the paragraph's character properties and the run's style, size, font and bold.
        """
        rstyle = size = font = bold = None
        if rpr is not None:
            for child in rpr:
                tag = child.tag
                if tag == _W_RSTYLE:
                    rstyle = child.get(_W_VAL)
                elif tag == _W_SZ:
                    size = int(child.get(_W_VAL)) / 2
                elif tag == _W_RFONTS:
                    font = child.get(_W_ASCII) or font
                elif tag == _W_B:
                    bold = is_on(child)
        key = (props.size, props.font, props.bold, rstyle, size, font, bold)
        hit = self._runs.get(key)
        if hit is None:
            base = self.styles.character(props, rstyle) if rstyle is not None else props
            widths, factor = self.fonts.get(font or base.font,
                                            base.bold if bold is None else bold)
            words_em = self._words.setdefault(id(widths), {})
            hit = (widths, factor, base.size if size is None else size, words_em)
            self._runs[key] = hit
        return hit

    # paragraphs ----------------------------------------------------------------------------
    def paragraph(self, p: etree._Element, width: float) -> _Block:
        props = self.paragraph_props(p.find(_W_PPR))
        avail = max(36.0, width - props.left - props.right)
        lines: list[float] = []
        line_w = props.first if props.first > 0 else 0.0
        pending_space = 0.0
        tallest = 0.0
        pictures: list[float] = []
        footnotes: list[str] = []
        bookmarks = [b.get(_W_NAME) for b in p.iter(_BOOKMARK)]
        line_breaks = 0

        for r in p.iter(_R):
            widths, factor, size, words_em = self.run_format(props, r.find(_W_RPR))
            for el in r:
                tag = el.tag
                if tag == _T:
                    text = el.text or ""
                    if not text:
                        continue
                    tallest = max(tallest, size * factor)
                    words = text.split(" ")
                    for i, word in enumerate(words):
                        if i:
                            pending_space += (widths.get(32, AVERAGE_EM)) * size
                        if not word:
                            continue
                        em = words_em.get(word)
                        if em is None:  # words repeat: measure each once per face
                            em = words_em[word] = sum(widths.get(ord(ch), AVERAGE_EM)
                                                      for ch in word)
                        ww = em * size
                        if line_w > 0 and line_w + pending_space + ww > avail:
                            lines.append(0.0)
                            line_w = 0.0
                        elif line_w > 0:
                            line_w += pending_space
                        pending_space = 0.0
                        while ww > avail:  # a word longer than the line
                            lines.append(0.0)
                            ww -= avail
                        line_w += ww
                elif tag == _TAB:
                    line_w += _TAB_PT
                elif tag == _BR and el.get(_W_TYPE) in (None, "textWrapping"):
                    lines.append(0.0)
                    line_w, pending_space = 0.0, 0.0
                    line_breaks += 1
                elif tag == _DRAWING:
                    extent = el.find(f".//{_WP_EXTENT}")
                    if extent is not None:
                        pictures.append(int(extent.get("cy", 0)) / 12700)
                elif tag == _FNREF:
                    footnotes.append(el.get(_W_ID))
        lines.append(0.0)
        natural = tallest or props.size * self.fonts.get(props.font, props.bold)[1]
        if props.rule == "exact":
            height = props.line / 20
        elif props.rule == "atLeast":
            height = max(props.line / 20, natural)
        else:
            height = natural * props.line / 240
        heights = [height] * len(lines)
        if pictures:
            heights[-1] = max(heights[-1], sum(pictures) + natural * 0.2)
        heights[0] += props.border  # top and bottom rules and their spacing, roughly
        return _Block(heights, props.before, props.after, props.keep_next,
                      props.keep_lines, props.page_break, bookmarks, footnotes)

    # tables ----------------------------------------------------------------------------------
    def table(self, tbl: etree._Element, width: float) -> _Block:
        tblpr = tbl.find(W("tblPr"))
        margins = list(_DEFAULT_CELL_MARGIN)
        mar = tblpr.find(W("tblCellMar")) if tblpr is not None else None
        if mar is not None:
            for i, side in enumerate(("top", "left", "bottom", "right")):
                el = mar.find(W(side))
                if el is not None and el.get(W("w")) is not None:
                    margins[i] = int(el.get(W("w")))
        block = _Block([], table=True)
        leading_header = True
        for tr in tbl.iterchildren(W("tr")):
            trpr = tr.find(W("trPr"))
            rigid = trpr is not None and trpr.find(W("cantSplit")) is not None
            is_header = trpr is not None and trpr.find(W("tblHeader")) is not None
            height = 0.0
            for tc in tr.iterchildren(W("tc")):
                tcw = tc.find(f"{W('tcPr')}/{W('tcW')}")
                cell_w = (int(tcw.get(W("w"))) / 20 if tcw is not None and tcw.get(W("w"))
                          else width) - (margins[1] + margins[3]) / 20
                content = 0.0
                for child in tc:
                    sub = (self.paragraph(child, cell_w) if child.tag == _P else
                           self.table(child, cell_w) if child.tag == _TBL else None)
                    if sub is None:
                        continue
                    content += sub.before + sum(sub.lines) + sub.after
                    block.bookmarks += sub.bookmarks
                    block.footnotes += sub.footnotes
                height = max(height, content)
            height += (margins[0] + margins[2]) / 20 + 0.5  # and a hairline between rows
            block.lines.append(height)
            block.rigid.append(rigid)
            leading_header = leading_header and is_header
            if leading_header:
                block.header += height
        return block


class _Pages:
    """Pours blocks into pages."""

    def __init__(self, height: float, footnote_heights: dict[str, float]):
        self.height = height
        self.page = 1
        self.y = 0.0
        self.foot = 0.0  # room the footnotes of this page take
        self.last_after = 0.0  # "after" spacing of the paragraph just placed
        self.notes = footnote_heights
        self.placed: dict[str, int] = {}
        self.start = 1  # the page the block placed last begins on

    def new_page(self) -> None:
        self.page += 1
        self.y = 0.0
        self.foot = 0.0

    @property
    def room(self) -> float:
        return self.height - self.foot - self.y

    def reserve_footnotes(self, ids: list[str]) -> None:
        for fid in ids:
            h = self.notes.get(fid, 0.0)
            if not self.foot:
                h += _FOOTNOTE_SEPARATOR
            self.foot += h

    def head(self, block: _Block, after: float) -> float:
        """Height that must share a page with a keep-with-next paragraph before ``block``
        (whose "after" is ``after``): a table's header and first row, a paragraph's first two
        lines (all of it up to three: widow control leaves no single line behind)."""
        if block.table:
            return block.header + (block.lines[0] if block.lines else 0.0)
        lines = block.lines if len(block.lines) <= 3 else block.lines[:2]
        return max(0.0, block.before - after) + sum(lines)

    def place(self, block: _Block, following: list[_Block]) -> None:
        if block.page_break and (self.y > 0 or self.foot):
            self.new_page()
        if block.table:
            self.last_after = 0.0
            return self._table(block)
        # Word and LibreOffice put the larger of "after" and the next "before" between two
        # paragraphs, not their sum; "before" is dropped at the top of a page.
        before = max(0.0, block.before - self.last_after) if self.y > 0 else 0.0
        total = before + sum(block.lines)
        if block.keep_next and self.y > 0:
            need, after = total + block.after, block.after
            for nxt in following:  # the whole keep-with-next chain and the head of what follows
                if nxt.keep_next and not nxt.table:
                    need += max(0.0, nxt.before - after) + sum(nxt.lines) + nxt.after
                    after = nxt.after
                    continue
                need += self.head(nxt, after)
                break
            if need > self.room and need <= self.height:
                self.new_page()
                before = 0.0
        lines = block.lines
        fits = self._fitting(before, lines)
        if fits < len(lines):
            if self.y > 0 and (block.keep_lines or len(lines) <= 3 or fits < 2):
                self.new_page()
                before = 0.0
                fits = self._fitting(0.0, lines)
        start_page = self.start = self.page
        for name in block.bookmarks:
            self.placed.setdefault(name, start_page)
        self.y += before
        remaining = list(lines)
        if fits < len(remaining) and len(remaining) - fits < 2 and fits > 2:
            fits = len(remaining) - 2  # widow control: two lines move on together
        while remaining:
            fits = max(1, min(fits, len(remaining)))
            self.y += sum(remaining[:fits])
            remaining = remaining[fits:]
            if remaining:
                self.new_page()
                fits = self._fitting(0.0, remaining)
        self.reserve_footnotes(block.footnotes)
        self.y += block.after
        self.last_after = block.after
        if self.room <= 0:
            self.new_page()

    def _fitting(self, before: float, lines: list[float]) -> int:
        room = self.room - before
        n = 0
        for h in lines:
            if h > room:
                break
            room -= h
            n += 1
        return n

    def _table(self, block: _Block) -> None:
        for name in block.bookmarks:
            self.placed.setdefault(name, self.page)
        self.start = self.page
        for i, h in enumerate(block.lines):
            if h > self.room and self.y > 0:
                if block.rigid[i] or h <= self.height:
                    self.new_page()
                    if i and block.header:
                        self.y += block.header
                    elif not i:
                        self.start = self.page
            self.y += h
            while self.y > self.height - self.foot:  # a row taller than a page splits
                spill = self.y - (self.height - self.foot)
                self.new_page()
                self.y = spill
        self.reserve_footnotes(block.footnotes)


def measure_body(word, footnotes_root: etree._Element | None, theme: Theme,
                 geometry: tuple[int, int, tuple[int, int, int, int]]):
    """The body's paragraphs and tables, their blocks, and a page filler (``_Pages``) for them."""
    page_w, page_h, (top, right, bottom, left) = geometry
    width = (page_w - left - right) / 20
    height = (page_h - top - bottom) / 20
    layout = _Layout(StyleSheet(word.styles.element), Fonts(theme))

    notes: dict[str, float] = {}
    if footnotes_root is not None:
        for footnote in footnotes_root.iterchildren(W("footnote")):
            if footnote.get(W("type")) in (None, "normal"):
                blocks = [layout.paragraph(p, width) for p in footnote.iterchildren(_P)]
                notes[footnote.get(W("id"))] = sum(b.before + sum(b.lines) + b.after
                                                   for b in blocks)
    elements, blocks = [], []
    for child in word.element.body:
        if child.tag == _P:
            blocks.append(layout.paragraph(child, width))
        elif child.tag == _TBL:
            blocks.append(layout.table(child, width))
        else:
            continue
        elements.append(child)
    return elements, blocks, _Pages(height, notes)


def estimate_pages(word, footnotes_root: etree._Element | None, theme: Theme,
                   geometry: tuple[int, int, tuple[int, int, int, int]],
                   measured: tuple[list, _Pages] | None = None) -> dict[str, int]:
    """Bookmark name -> estimated page number, for every bookmark in the body. ``measured``:
    the body's blocks and an empty page filler, if measured already (floats.py)."""
    if measured is None:
        _, blocks, pages = measure_body(word, footnotes_root, theme, geometry)
    else:
        blocks, pages = measured
    for i, block in enumerate(blocks):
        pages.place(block, blocks[i + 1:i + 8])
    return pages.placed
