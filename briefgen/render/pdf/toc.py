"""The table of contents: reportlab's TableOfContents, filled before the build, numbered at save.

The entries (the level-2 and level-3 headings after a ``Contents`` node) are known from the
document tree, so the table is filled before layout and has its final height in the first pass.
Its page numbers are forms (one per entry) that the doc template defines when the canvas is saved,
from the page on which each heading was drawn (page.py). So ``multiBuild`` is satisfied after
one pass. Each entry's text and number link to the heading's bookmark.
"""
from __future__ import annotations

import itertools

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from .bidi_para import ShapedParagraph, needs_shaping
from .internals import doc_template, text_end
from .tags import tag

_ids = itertools.count(1)
_NUMBER_ROOM = 30.0  # right of the entry text: room for a page number up to four digits
_DOT = " ."


class _EntryMixin:
    """An entry's paragraph; the leader and number are drawn after its text, so that text
    extraction and screen readers meet "title ... page" in that order."""

    toc: "ContentsTable"

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:  # an entry taller than a page goes on over the next
            part.toc = self.toc
        return parts

    def draw(self):
        self.toc._pending = []
        super().draw()
        for args in self.toc._pending:
            self.toc._draw_end(self.canv, *args)
        self.toc._pending = []


class _Entry(_EntryMixin, Paragraph):
    """An entry drawn by reportlab's Paragraph."""


class _ShapedEntry(_EntryMixin, ShapedParagraph):
    """An entry with right-to-left or complex-script text (bidi_para.py); left to right like
    the other entries, so that its leader dots run to the page number."""

    direction = 0


class ContentsTable(TableOfContents):
    """A table of contents whose entries are added by the renderer as it meets the headings."""

    def __init__(self, level_styles: list[ParagraphStyle], dot_colour, dot_font: str):
        styles = [ParagraphStyle(f"{s.name}-entry", parent=s, rightIndent=_NUMBER_ROOM + 8)
                  for s in level_styles]
        # reportlab sets each cell's font (Helvetica unless told) even for Paragraph cells
        super().__init__(levelStyles=styles, dotsMinLevel=0,
                         tableStyle=TableStyle([("FONT", (0, 0), (-1, -1), dot_font, 10),
                                                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                                ("TOPPADDING", (0, 0), (-1, -1), 0),
                                                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
        self.ident = next(_ids)  # per process; only names a canvas callback, never in the PDF
        self.dot_colour = dot_colour
        self.dot_font = dot_font
        self._pending: list[tuple] = []
        self.entries: list[tuple[int, str, str]] = []  # (level, markup, bookmark key)
        self.forms: list[str] = []
        self.elements: list = []

    # the entries are complete before the build: nothing to wait for
    def beforeBuild(self):
        pass

    def isSatisfied(self):
        return True

    def add(self, level: int, markup: str, key: str, form: str, element=None) -> None:
        """An entry; ``element``: its structure element (tags.py), if the PDF is tagged."""
        self.entries.append((level, markup, key))
        self.forms.append(form)
        self.elements.append(element)

    def wrap(self, availWidth, availHeight):
        callback = f"briefgen_toc_{self.ident}"
        self.canv.setNamedCB(callback, self._entry_end(availWidth))
        data = []
        for i, (level, markup, key) in enumerate(self.entries):
            style = self.getLevelStyle(level)
            cls = _ShapedEntry if needs_shaping(markup) else _Entry
            para = cls(f'<a href="#{key}">{markup}</a><onDraw name="{callback}" '
                       f'label="{i}"/>', style)
            para.toc = self
            if self.elements[i] is not None:
                tag(para, self.elements[i])
            data.append([para])
        if not data:
            self.width, self.height = availWidth, 0
            self._table = None
            return self.width, self.height
        commands = list(self.tableStyle.getCommands())
        for i, (level, _, _) in enumerate(self.entries):  # space above a level-0 entry
            before = self.getLevelStyle(level).spaceBefore
            if before and i:
                commands.append(("TOPPADDING", (0, i), (0, i), before))
        # splitInRow: an entry taller than the page (a heading of thousands of characters)
        # splits inside its row instead of failing the layout
        self._table = Table(data, colWidths=(availWidth,), style=TableStyle(commands),
                            splitInRow=1)
        self.width, self.height = self._table.wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        if self._table is None:
            return []
        return self._table.splitOn(self.canv, availWidth, availHeight)

    def drawOn(self, canvas, x, y, _sW=0):
        if self._table is not None:
            self._table.drawOn(canvas, x, y, _sW)

    def _entry_end(self, width: float):
        def record(canv, kind, label):
            """Where the entry's text ends (called while the paragraph is being drawn)."""
            x, y = text_end(canv)
            self._pending.append((int(label), x, y, width))
        return record

    def _draw_end(self, canv, i: int, x: float, y: float, width: float) -> None:
        """Leader dots after the entry's text, then the page number (a form) at the right."""
        level, _, key = self.entries[i]
        style = self.getLevelStyle(level)
        size = style.fontSize
        dot_w = stringWidth(_DOT, self.dot_font, size)
        right = width - _NUMBER_ROOM + 6
        n = int((right - x - 6) / dot_w)
        canv.saveState()
        if n > 0:
            def dots():
                canv.setFillColor(self.dot_colour)
                canv.setFont(self.dot_font, size)
                canv.drawRightString(right, y, _DOT * n)
            tags = getattr(canv, "briefgen_tags", None)
            if tags is not None:  # a reader hears the title and the page, not the dots
                tags.aside(canv, dots)
            else:
                dots()
        template = doc_template(canv)
        form = self.forms[i]
        if hasattr(template, "toc_numbers"):
            template.toc_numbers[form] = (key, style.fontName, size, style.textColor)
        canv.translate(width, y)
        canv.doForm(form)
        canv.restoreState()
        canv.linkRect("", key, (width - _NUMBER_ROOM, y - 2, width, y + size), relative=1)
