"""Page machinery of the PDF renderer: the doc template, page templates, page count, outline.

"Page N of M" needs M while page 1 is drawn. The usual ``NumberedCanvas`` recipe (buffer the pages,
draw footers at save time) breaks the outline, and a second layout pass (``multiBuild`` with a
page-counting ``IndexingFlowable``) doubles the render time. Instead each page draws its "Page N of M"
as a PDF form XObject named after N, referenced at once and defined just before the canvas is saved,
when M is known (reportlab allows forms to be defined after use). One layout pass; text extraction
(pypdf, pdftotext) and viewers see the form's text as page text. ``multiBuild`` is what builds; it
stops after the first pass because the contents table is satisfied from the start (below).
Headings register their outline entry when they are drawn (see ``HeadingParagraph``), so an entry
points at the page, and the spot on it, where the heading really is, also inside boxes and tables.
The table of contents uses the same trick for its page numbers (toc.py): each number is a form
named after its entry, defined at save time from the page on which the heading was drawn. So the
contents cost no second pass either, and its numbers cannot disagree with the outline.

Two page templates: "page" (body frame, running heads) and, when the document has a title block,
"cover" (its own frame, no running heads; see furniture.py).
"""
from __future__ import annotations

import datetime
import functools

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

from ...document.nodes import DocumentInfo
from .bidi_para import ShapedParagraph
from .floats import FloatingFigures
from .furniture import Furniture
from .internals import doc_template, seed_file_id
from .keep import group_keep_with_next
from .structure import problems, write_structure
from .styles import Styles
from .tags import Tags, page_callbacks, space_line_ends


# Page, font and image streams are deflated; reportlab by default also wraps them in ASCII85,
# which costs ~4% of a build's time and makes the file ~8% larger for no reader's benefit.
rl_config.useA85 = 0


class _Canvas(Canvas):
    """A canvas with the document's fixed date and file ID that runs ``before_save`` just before
    it writes the PDF. Given to ``multiBuild`` as its ``canvasmaker``."""

    def __init__(self, *args, pdf_date: str, before_save, tags: Tags | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.briefgen_tags = tags  # the flowables tagged by tags.tag draw marked content
        self.setDateFormatter(lambda *_: pdf_date)
        # reportlab seeds the file ID with its (invariant) clock, which SOURCE_DATE_EPOCH changes;
        # seed it with the date instead, so that the output depends on the arguments only
        seed_file_id(self, pdf_date)
        self.before_save = before_save
        self.showOutline()

    def save(self):
        self.before_save(self)
        super().save()

    def beginText(self, *args, **kwargs):
        tx = super().beginText(*args, **kwargs)
        if self.briefgen_tags is not None:
            space_line_ends(tx, self.briefgen_tags)
        return tx


class WrapOnceParagraph(Paragraph):
    """A Paragraph that breaks its lines once per width.

    Frames, KeepTogether and keep-with-next groups all wrap a paragraph to measure it, mostly
    at the same width: the 300-development brief wrapped 1,684 paragraphs 2,996 times. Line
    breaking depends on the width alone (the height only decides splitting, which makes new
    paragraphs), so a repeat at the same width returns the size already worked out.
    """

    _wrapped_at: float | None = None

    def wrap(self, availWidth, availHeight):
        # split() deletes blPara when it pushes the paragraph on: then break the lines again
        if availWidth == self._wrapped_at and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth if size[1] != 0x7FFFFFFF else None
        return size


class _Outlined:
    """A heading that adds its bookmark and outline entry where it is drawn."""

    outline: tuple[str, str, int] | None = None  # (key, title, level starting at 0)
    not_text = True  # not the text a heading is kept with (keep.py)

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
            template = doc_template(self.canv)
            if isinstance(template, BriefDocTemplate):
                template.add_outline(self.canv, self.height, *self.outline)
        super().draw()


class HeadingParagraph(_Outlined, WrapOnceParagraph):
    """A heading drawn by reportlab's Paragraph."""


class ShapedHeading(_Outlined, ShapedParagraph):
    """A heading with right-to-left or complex-script text (bidi_para.py)."""


def _pdf_date(created: datetime.datetime) -> str:
    """``D:YYYYMMDDHHmmSS+HH'mm'``; a naive ``created`` is taken as UTC."""
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.timezone.utc)
    offset = int(created.utcoffset().total_seconds() // 60)
    sign = "-" if offset < 0 else "+"
    hh, mm = divmod(abs(offset), 60)
    return created.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hh:02d}'{mm:02d}'"


class BriefDocTemplate(FloatingFigures, BaseDocTemplate):
    """The body page template (frame inside the theme margins, running heads) and the cover."""

    def __init__(self, buf, *, styles: Styles, info: DocumentInfo, created: datetime.datetime,
                 tags: Tags | None = None, **kwargs):
        theme = styles.theme
        super().__init__(buf, pagesize=kwargs.pop("pagesize"), leftMargin=theme.margin_left,
                         rightMargin=theme.margin_right, topMargin=theme.margin_top,
                         bottomMargin=theme.margin_bottom, invariant=1,
                         initialFontName=styles.body_font.regular, displayDocTitle=1, **kwargs)
        self._pdf_date = _pdf_date(created)
        self._outline_level = -1
        self.heading_pages: dict[str, int] = {}  # bookmark key -> page it was drawn on
        self.toc_numbers: dict[str, tuple] = {}  # form name -> (key, font, size, colour)
        self.forced_pages: set[int] = set()  # pages a page break began (tighten.py)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.furniture = Furniture(styles, info, self.pagesize,
                                   (self.leftMargin, self.leftMargin + self.width),
                                   (self.bottomMargin, self.bottomMargin + self.height))
        cover_frame = Frame(*self.furniture.cover_frame, id="cover", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        self.cover_frame_height = self.furniture.cover_frame[3]
        self.tags = tags
        self.doc_title = info.title
        page, cover, end = self.furniture.page, self.furniture.cover, self.furniture.page_end
        if tags is not None:  # the furniture as artifacts (tags.py), but the cover's marking
            page, end = page_callbacks(tags, page, end)
            if info.marking:
                marking = tags.first("P")
                self.furniture.say_marking = lambda canv, draw: tags.said(canv, marking, draw)
            cover, _ = page_callbacks(tags, cover, end)
        self.addPageTemplates([
            PageTemplate(id="page", frames=[frame], onPage=page, onPageEnd=end),
            # a title block too long for the cover goes on over body pages
            PageTemplate(id="cover", frames=[cover_frame], onPage=cover, onPageEnd=end,
                         autoNextPageTemplate="page"),
        ])

    def build_story(self, story) -> None:
        """Lay out and draw ``story`` (one pass; see the module's docstring)."""
        self.multiBuild(story, maxPasses=4, canvasmaker=functools.partial(
            _Canvas, pdf_date=self._pdf_date, before_save=self.finish, tags=self.tags))

    def handle_pageBreak(self, slow=None):
        self.forced_pages.add(self.page + 1)
        super().handle_pageBreak(slow)

    def handle_keepWithNext(self, flowables):
        group_keep_with_next(self, flowables)

    def handle_documentBegin(self):
        self._outline_level = -1  # each multiBuild pass draws on a fresh canvas
        self.furniture.pages = 0
        self.furniture.numbered.clear()
        self.heading_pages.clear()
        self.toc_numbers.clear()
        self.forced_pages.clear()
        self.reset_floats()
        if self.tags is not None:
            self.tags.reset()
        super().handle_documentBegin()

    def add_outline(self, canv, top: float, key: str, title: str, level: int) -> None:
        level = max(0, min(level, self._outline_level + 1))  # an outline may not skip levels
        self._outline_level = level
        canv.bookmarkHorizontal(key, 0, top + 6)
        canv.addOutlineEntry(title, key, level=level, closed=level >= 1)
        self.heading_pages[key] = canv.getPageNumber()

    def finish(self, canv) -> None:
        """Define the forms referenced while drawing: page numbers, watermark, contents numbers."""
        self.furniture.finish(canv)
        for name, (key, font, size, fill) in self.toc_numbers.items():
            canv.beginForm(name, -200, -20, 0, 40)
            canv.setFillColor(fill)
            canv.setFont(font, size)
            canv.drawRightString(0, 0, str(self.heading_pages.get(key, "")))
            canv.endForm()
        if self.tags is not None:
            write_structure(canv, self.tags, self.doc_title, claim_ua=not problems(self.tags))
