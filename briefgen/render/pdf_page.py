"""Page machinery of the PDF renderer: the doc template, running heads, page count, outline.

"Page N of M" needs M while page 1 is drawn. The usual ``NumberedCanvas`` recipe (buffer the pages,
draw footers at save time) breaks the outline, and a second layout pass (``multiBuild`` with a
page-counting ``IndexingFlowable``) doubles the render time. Instead each page draws its "Page N of M"
as a PDF form XObject named after N, referenced at once and defined just before the canvas is saved,
when M is known (reportlab allows forms to be defined after use). One layout pass; text extraction
(pypdf, pdftotext) and viewers see the form's text as page text. ``multiBuild`` is still what builds,
so indexing flowables (a table of contents) can be added later.
Headings register their outline entry when they are drawn (see ``HeadingParagraph``), so an entry
points at the page, and the spot on it, where the heading really is, also inside boxes and tables.
"""
from __future__ import annotations

import datetime
import hashlib

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from ..document import DocumentInfo
from ..theme import marking_colours
from .pdf_styles import Styles, colour


class _Canvas(Canvas):
    """A canvas that runs ``before_save`` (if set) just before it writes the PDF."""

    before_save = None

    def save(self):
        if self.before_save is not None:
            self.before_save(self)
        super().save()


class HeadingParagraph(Paragraph):
    """A heading that adds its bookmark and outline entry where it is drawn."""

    outline: tuple[str, str, int] | None = None  # (key, title, level starting at 0)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if parts and parts[0] is not self:
            parts[0].outline = self.outline  # only the first piece carries the entry
            if "keepWithNext" in self.__dict__:  # the pieces inherit an override of the style
                for part in parts:
                    part.keepWithNext = self.keepWithNext
        return parts

    def draw(self) -> None:
        if self.outline is not None:
            template = getattr(self.canv, "_doctemplate", None)
            if isinstance(template, BriefDocTemplate):
                template.add_outline(self.canv, self.height, *self.outline)
        super().draw()


def _pdf_date(created: datetime.datetime) -> str:
    """``D:YYYYMMDDHHmmSS+HH'mm'``; a naive ``created`` is taken as UTC."""
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.timezone.utc)
    offset = int(created.utcoffset().total_seconds() // 60)
    sign = "-" if offset < 0 else "+"
    hh, mm = divmod(abs(offset), 60)
    return created.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hh:02d}'{mm:02d}'"


class BriefDocTemplate(BaseDocTemplate):
    """One page template (body frame inside the theme margins) with running heads."""

    def __init__(self, buf, *, styles: Styles, info: DocumentInfo, created: datetime.datetime,
                 **kwargs):
        theme = styles.theme
        super().__init__(buf, pagesize=kwargs.pop("pagesize"), leftMargin=theme.margin_left,
                         rightMargin=theme.margin_right, topMargin=theme.margin_top,
                         bottomMargin=theme.margin_bottom, invariant=1,
                         initialFontName=styles.body_font.regular, displayDocTitle=1, **kwargs)
        self._pdf_date = _pdf_date(created)
        self._outline_level = -1
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.heads = RunningHeads(styles, info, self.pagesize,
                                  (self.leftMargin, self.leftMargin + self.width),
                                  (self.bottomMargin, self.bottomMargin + self.height))
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self.heads)])

    def _makeCanvas(self, filename=None, canvasmaker=_Canvas):
        canv = super()._makeCanvas(filename=filename, canvasmaker=_Canvas)
        stamp = self._pdf_date
        canv.setDateFormatter(lambda *_: stamp)
        # reportlab seeds the file ID with its (invariant) clock, which SOURCE_DATE_EPOCH changes;
        # seed it with ``created`` instead, so that the output depends on the arguments only
        canv._doc.signature = hashlib.md5(b"briefgen " + stamp.encode(), usedforsecurity=False)
        canv.before_save = self.heads.finish
        canv.showOutline()
        return canv

    def handle_documentBegin(self):
        self._outline_level = -1  # each multiBuild pass draws on a fresh canvas
        self.heads.pages = 0
        super().handle_documentBegin()

    def add_outline(self, canv, top: float, key: str, title: str, level: int) -> None:
        level = max(0, min(level, self._outline_level + 1))  # an outline may not skip levels
        self._outline_level = level
        canv.bookmarkHorizontal(key, 0, top + 6)
        canv.addOutlineEntry(title, key, level=level, closed=level >= 1)


def fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut at a word boundary, with an ellipsis, so that it is at most ``width`` wide."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits together with the ellipsis
        mid = (lo + hi + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    space = cut.rfind(" ")
    if space > lo * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…" if cut else ""


class RunningHeads:
    """Draws header and footer on every page (the ``onPage`` callback)."""

    def __init__(self, styles: Styles, info: DocumentInfo, pagesize: tuple[float, float],
                 across: tuple[float, float], up: tuple[float, float]):
        theme = styles.theme
        self.pages = 0
        self.page_w, self.page_h = pagesize
        self.x0, self.x1 = across  # the body frame
        self.bottom, self.top = up
        self.font = styles.heading_font.regular
        self.bold = styles.heading_font.bold
        self.size = theme.small_size
        self.muted = styles.muted
        self.rule = styles.rule
        self.banner_colour = styles.banner
        self.date = " ".join(info.date.split())

        marking = " ".join(info.marking.split())
        self.marking = marking
        self.mark_size = max(theme.marking_size, 12.0)  # TLP 2.0: at least 12 pt
        tlp = marking_colours(marking) if marking else None
        self.tlp = (colour(tlp[0]), colour(tlp[1])) if tlp else None
        self.box_w = 0.0
        if self.tlp:
            self.marking = marking.upper()
            self.box_w = stringWidth(self.marking, self.bold, self.mark_size) + self.mark_size * 0.8
        elif marking:  # a banner is never cut: a very long one gets a smaller size instead
            room = self.page_w - 36
            self.mark_size = min(self.mark_size, self.mark_size * room /
                                 stringWidth(marking, self.bold, self.mark_size))
        room = self.x1 - self.x0 - (self.box_w + 18 if self.box_w else 0)
        self.title = fit(info.title, self.font, self.size, room)
        self.head_y = self.top + 12 + 8
        self.foot_y = self.bottom - 12 - 7 - self.size

    def __call__(self, canv, doc) -> None:
        canv.saveState()
        head_rule, foot_rule = self.top + 12, self.bottom - 12
        canv.setStrokeColor(self.rule)
        canv.setLineWidth(0.5)
        canv.line(self.x0, head_rule, self.x1, head_rule)
        canv.line(self.x0, foot_rule, self.x1, foot_rule)

        canv.setFillColor(self.muted)
        canv.setFont(self.font, self.size)
        head_y, foot_y = self.head_y, self.foot_y
        if self.title:
            canv.drawString(self.x0, head_y, self.title)
        if self.date:
            canv.drawString(self.x0, foot_y, self.date)
        self.pages = doc.page
        canv.doForm(_page_form(doc.page))  # "Page N of M", defined by finish()

        if self.tlp:
            self._label(canv, head_y)
            self._label(canv, foot_y)
        elif self.marking:
            canv.setFillColor(self.banner_colour)
            canv.setFont(self.bold, self.mark_size)
            mid = self.page_w / 2
            canv.drawCentredString(mid, min(self.page_h - 8 - self.mark_size, head_y + 22),
                                   self.marking)
            canv.drawCentredString(mid, max(8.0, foot_y - 22), self.marking)
        canv.restoreState()

    def finish(self, canv) -> None:
        """Define each page's "Page N of M" form, now that M is known."""
        total = self.pages
        for n in range(1, total + 1):
            canv.beginForm(_page_form(n), 0, 0, self.page_w, self.page_h)
            canv.setFillColor(self.muted)
            canv.setFont(self.font, self.size)
            canv.drawCentredString((self.x0 + self.x1) / 2, self.foot_y, f"Page {n} of {total}")
            canv.endForm()

    def _label(self, canv, baseline: float) -> None:
        """TLP 2.0: the label in its colour on a black box, right-aligned."""
        text_colour, background = self.tlp
        size = self.mark_size
        pad_x, below, above = size * 0.4, size * 0.35, size * 0.95
        canv.setFillColor(background)
        canv.rect(self.x1 - self.box_w, baseline - below, self.box_w, below + above,
                  stroke=0, fill=1)
        canv.setFillColor(text_colour)
        canv.setFont(self.bold, size)
        canv.drawRightString(self.x1 - pad_x, baseline, self.marking)


def _page_form(n: int) -> str:
    return f"briefgen-page-{n}"
