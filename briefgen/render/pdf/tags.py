"""Tagged PDF: the structure elements and the marked content that ties the page text to them.

reportlab has no tagging API. The renderer builds the structure tree while it makes the
flowables, in document order (``Tags.open``/``close``/``leaf``), so the tree's reading order is
the document's whatever the layout. Each leaf flowable (a paragraph, a heading, a picture, a
table cell's text, a contents entry) is given its element with ``tag``; when it is drawn, its
drawing is wrapped in ``/Role <</MCID n>> BDC ... EMC`` and the element learns (page, MCID).

Everything else on a page is an artifact: a page starts in an ``/Artifact BMC`` sequence that a
tagged leaf closes and reopens around itself, so borders, fills, rules, list bullets and the
cover's bands need no code of their own, and nothing drawn is left neither tagged nor artifact.
The running heads, page numbers, copy lines and markings (``onPage``) and the watermark
(``onPageEnd``) are pagination artifacts with their subtype (``artifact``).

``tag`` sets ``drawOn`` and ``split`` on the flowable itself rather than in a class: paragraphs
split into new instances of their class (reportlab's, bidi_para's, toc's), inside frames, table
cells and list items; the wrapper hands the element on to every piece wherever that happens,
without a subclass of each flowable class. The PDF objects are written by structure.py.
"""
from __future__ import annotations

from .internals import (ReportlabChanged, line_text_out, list_bullets, page_annotations,
                        page_code)

__all__ = ["Element", "Tags", "tag", "tagged"]


class Element:
    """A structure element: its standard role, attributes, child elements (made while the
    document is rendered) and its marked content (``(page index, MCID)`` and link annotations,
    recorded while it is drawn)."""

    __slots__ = ("role", "parent", "kids", "alt", "attrs", "lang", "content", "actual", "id",
                 "verbatim")

    def __init__(self, role: str, parent: "Element | None", alt: str | None = None,
                 attrs: dict | None = None, lang: str | None = None, actual: str | None = None,
                 id: str | None = None):
        self.role = role
        self.parent = parent
        self.kids: list[Element] = []
        self.alt = alt
        self.attrs = attrs
        self.lang = lang
        self.actual = actual  # /ActualText (a list label)
        self.id = id  # /ID (a note, so that its reference can point to it)
        self.verbatim = False  # code: its lines are the text, no space added where they end
        self.content: list = []  # (page, mcid) and ("link", page, annotation name, text)
        if parent is not None:
            parent.kids.append(self)

    def __repr__(self) -> str:  # for test failures
        return f"<{self.role} {len(self.kids)} kids {len(self.content)} marks>"


class Tags:
    """The structure tree of one document and the page state of its marked content."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.root = Element("Document", None)
        self.stack = [self.root]
        self._heading = 0  # level of the last heading, so that the tree never skips a level
        self.links: dict[str, str] = {}  # link target -> its text, for the annotation's /Contents
        self.reset()

    # --- building the tree (render time) --------------------------------------------------------

    @property
    def current(self) -> Element:
        return self.stack[-1]

    def open(self, role: str, **kw) -> Element:
        element = Element(role, self.current, **kw)
        self.stack.append(element)
        return element

    def close(self) -> None:
        self.stack.pop()

    def leaf(self, flowables, role: str, **kw) -> Element:
        """A new element (child of the current one) for ``flowables``' text."""
        element = Element(role, self.current, **kw)
        for f in flowables:
            tag(f, element)
        return element

    def first(self, role: str) -> Element:
        """A new element before all others (what the cover says before the title)."""
        element = Element(role, self.root)
        self.root.kids.insert(0, self.root.kids.pop())
        return element

    def heading(self, level: int) -> str:
        """The role of a heading of ``level`` (1-6): H1-H6, one deeper than the last at most."""
        level = max(1, min(level, self._heading + 1, 6))
        self._heading = level
        return f"H{level}"

    # --- marked content (draw time) -------------------------------------------------------------

    def reset(self) -> None:
        """Forget what was drawn: each reportlab build pass draws on a new canvas."""
        self.pages: list[list[Element]] = []  # per page: MCID -> element (the parent tree)
        self.annotations: list[tuple[Element, object]] = []  # link elements, annotation ref
        # which pass this is: a flowable marks the pass it was drawn in, so that one drawn again
        # (a table's header row on the next page) is an artifact; not a set of ids, which a
        # new flowable can reuse once a drawn one is freed
        self.pass_id = getattr(self, "pass_id", 0) + 1
        self._depth = 0
        self._artifact = False
        self._furniture: str | None = None  # the pagination artifact being drawn
        self._open: Element | None = None  # the element of the marked content being drawn
        self._clear(self.root)

    def _clear(self, element: Element) -> None:
        element.content = []
        for kid in element.kids:
            if kid.role == "Link":
                continue
            self._clear(kid)
        element.kids = [k for k in element.kids if k.role != "Link"]

    def page_begin(self, canv) -> None:
        self.pages.append([])
        self._depth = 0
        self._artifact = False

    def artifact(self, canv, draw, subtype: str | None) -> None:
        """``draw()`` as a pagination artifact (Header, Footer, Watermark or none)."""
        code = page_code(canv)
        was = self._artifact
        if was:
            code.append("EMC")
        sub = f" /Subtype /{subtype}" if subtype else ""
        self._furniture = f"/Artifact <</Type /Pagination{sub}>> BDC"
        code.append(self._furniture)
        self._artifact = False
        draw()
        code.append("EMC")
        self._furniture = None
        self._artifact = was
        if was:
            code.append("/Artifact BMC")

    def said(self, canv, element: Element, draw) -> None:
        """``draw()`` while drawing furniture, as content of ``element`` (the cover's marking,
        which a reader must hear once)."""
        furniture = self._furniture
        code = page_code(canv)
        if furniture:
            code.append("EMC")
            self._furniture = None
        before = self.begin(canv, element)
        draw()
        self.end(canv, element, before)
        if furniture:
            code.append(furniture)
            self._furniture = furniture

    def aside(self, canv, draw) -> None:
        """``draw()`` inside a tagged leaf, as an artifact (a contents entry's leader dots):
        the leaf's marked content ends before it and goes on, with a new MCID, after it."""
        element = self._open
        if self._depth != 1 or element is None:
            draw()
            return
        code = page_code(canv)
        code.append("EMC")
        code.append("/Artifact BMC")
        draw()
        code.append("EMC")
        marks = self.pages[-1]
        element.content.append((len(self.pages) - 1, len(marks)))
        code.append(f"/{element.role} <</MCID {len(marks)}>> BDC")
        marks.append(element)

    def background(self, canv, on: bool) -> None:
        """Start (or end) the artifact that is everything not drawn by a tagged leaf."""
        if on != self._artifact:
            page_code(canv).append("/Artifact BMC" if on else "EMC")
            self._artifact = on

    def begin(self, canv, element: Element):
        if self._depth:  # a leaf drawn inside another (a contents entry): part of the outer
            self._depth += 1
            return None
        code = page_code(canv)
        if self._artifact:
            if code and code[-1] == "/Artifact BMC":  # nothing drawn since the last leaf
                code.pop()
            else:
                code.append("EMC")
        marks = self.pages[-1]
        mcid = len(marks)
        marks.append(element)
        element.content.append((len(self.pages) - 1, mcid))
        code.append(f"/{element.role} <</MCID {mcid}>> BDC")
        self._depth = 1
        self._open = element
        return len(page_annotations(canv))

    def end(self, canv, element: Element, annotations_before) -> None:
        self._depth -= 1
        if self._depth:
            return
        self._open = None
        code = page_code(canv)
        code.append("EMC")
        if self._artifact:
            code.append("/Artifact BMC")
        refs = page_annotations(canv)
        for ref in refs[annotations_before:]:  # the links this leaf made: Link with an OBJR
            link = Element("Link", element)
            self.annotations.append((link, ref))
            link.content.append(("link", len(self.pages) - 1, ref))


def tag_labels(list_flowable, labels: list[Element]) -> None:
    """Draw the bullets or numbers of a reportlab ListFlowable's items as ``labels`` (Lbl)."""
    bullets = list_bullets(list_flowable)
    if len(bullets) != len(labels):
        raise ReportlabChanged(f"ListFlowable's items ({len(bullets)} bullets for "
                               f"{len(labels)} items)")
    for bullet, element in zip(bullets, labels):
        cls_draw_on = type(bullet).drawOn

        def draw_on(indenter, canv, x, y, _sW=0, bullet=bullet, element=element):
            tags = getattr(canv, "briefgen_tags", None)
            if tags is None:
                return cls_draw_on(bullet, indenter, canv, x, y, _sW)
            before = tags.begin(canv, element)
            try:
                return cls_draw_on(bullet, indenter, canv, x, y, _sW)
            finally:
                tags.end(canv, element, before)
        bullet.drawOn = draw_on


def space_line_ends(text_object, tags: Tags) -> None:
    """End each line of tagged text that reportlab's Paragraph draws with a space.

    reportlab draws a paragraph line by line without the space where the line broke, so text
    read from the structure tree (``pdfinfo -struct-text``, screen readers that do not guess
    from positions) ran the last word of a line into the first of the next: "Central" +
    "Asian" read "CentralAsian". The space is drawn after the line's last glyph, where it
    shows nothing and moves nothing.
    """
    text_out = line_text_out(text_object)

    def out(text, TStar=0):
        if TStar and tags._depth and text and not text[-1].isspace() and \
                not tags._open.verbatim:
            text += " "
        text_out(text, TStar)
    text_object._textOut = out


def tagged(flowable):
    """The element ``flowable`` was tagged with, or None."""
    return flowable.__dict__.get("_briefgen_element")


def tag(flowable, element: Element) -> None:
    """Draw ``flowable`` (and every piece it splits into) as marked content of ``element``."""
    d = flowable.__dict__
    if "_briefgen_element" in d:
        return
    d["_briefgen_element"] = element
    cls = type(flowable)
    cls_draw_on, cls_split = cls.drawOn, cls.split

    def draw_on(canvas, x, y, _sW=0):
        tags = getattr(canvas, "briefgen_tags", None)
        if tags is None or d.get("_briefgen_drawn") == tags.pass_id:  # drawn again: a
            return cls_draw_on(flowable, canvas, x, y, _sW)  # repeated header row, an artifact
        d["_briefgen_drawn"] = tags.pass_id
        before = tags.begin(canvas, element)
        try:
            return cls_draw_on(flowable, canvas, x, y, _sW)
        finally:
            tags.end(canvas, element, before)

    def split(availWidth, availHeight):
        parts = cls_split(flowable, availWidth, availHeight)
        for part in parts:
            if part is not flowable:
                tag(part, element)
        return parts

    d["drawOn"] = draw_on
    d["split"] = split


def page_callbacks(tags: Tags, on_page, on_page_end):
    """A page template's ``onPage`` and ``onPageEnd`` with what they draw as pagination
    artifacts, and the page's untagged drawing as an artifact between them."""
    def begin(canv, doc):
        tags.page_begin(canv)
        tags.artifact(canv, lambda: on_page(canv, doc), None)
        tags.background(canv, True)

    def end(canv, doc):
        tags.background(canv, False)
        tags.artifact(canv, lambda: on_page_end(canv, doc), "Watermark")
    return begin, end
