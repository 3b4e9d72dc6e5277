"""DOCX renderer: Document tree -> Word file bytes (python-docx plus raw WordprocessingML).

``render_docx(doc, theme, created)`` is the only public function; it draws a resolved document
(document/resolve.py decides the cover, the subtitle, links, bookmark names, figure numbers).
Blocks and inlines are drawn by handlers looked up in one table per kind (``_BLOCKS``,
``_INLINES``); a node type missing from the tables is a BriefgenError, never silently skipped.
Output is reproducible: the same document, theme and ``created`` give the same bytes.

Module layout: this module walks the tree. styles.py turns the theme into Word styles,
setup.py starts the package (default template or the theme's reference document) and fills
in metadata, xml.py holds the raw element helpers; boxes.py (tables, callouts),
cover.py (cover page), toc.py (contents), notes.py (footnotes, sources),
figures.py (pictures), images.py (workspace images), heads.py (header, footer,
watermark), scripts.py (right-to-left and CJK runs), embed.py (the script faces they use) and pages.py (page estimates for
the contents) draw the rest.
"""
from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Callable, NamedTuple

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ...document.nodes import (BlockQuote, BulletList, Callout, Code, CodeBlock, Contents, Document,
                               Emph, Figure, Heading, HorizontalRule, Image, LineBreak, Link,
                               ListItem, NoteRef, NotesList, OrderedList, PageBreak, Paragraph,
                               Strike, Strong, Subtitle, Table, Text, plain_text,
                               require_resolved)
from ...errors import BriefgenError
from ...fonts.scripts import bidi_language, rtl_paragraph, segments
from ...theme.model import Theme
from . import boxes
from . import scripts
from . import setup
from . import xml as x
from .cover import cover
from .embed import embed_fonts
from .figures import Pictures, figure, place_figures
from .images import image
from .keep import keep_with_heading
from .heads import write_running_heads
from .notes import Notes
from .floats import float_figures
from .pages import estimate_pages
from .styles import (RULE_COLOUR, Look, StyleIds, look_from_theme, set_language, setup_styles,
                     word_family)
from .toc import contents, fill_page_numbers

QUOTE_INDENT = 340        # twips


def render_docx(doc: Document, theme: Theme, created: datetime.datetime,
                pictures: Pictures | None = None) -> bytes:
    """Render ``doc`` with ``theme``; ``created`` stamps the core properties and zip entries.

    ``pictures(figure, width_pt)`` may hand over a figure's picture drawn already (as
    ``draw_figure`` draws it), or None; the rest are drawn here.

    A naive ``created`` is taken as UTC. Raises BriefgenError for anything the user can fix
    (unknown node types, bad theme values, characters XML cannot hold).
    """
    require_resolved(doc, "render_docx")
    if not isinstance(created, datetime.datetime):
        raise BriefgenError(f"DOCX: the creation time must be a datetime, not {created!r}")
    if created.tzinfo is not None:
        created = created.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    created = created.replace(microsecond=0)

    page_w, page_h, margins = setup.page_geometry(theme)  # also checks the theme's sizes
    look = look_from_theme(theme)
    word, reference = setup.open_base(theme)
    setup.drop_template_extras(word)
    if reference:
        page_w, page_h, margins = setup.reference_geometry(word, theme)
    text_width = page_w - margins[1] - margins[3]
    ids = setup_styles(word, theme, look, text_width, reference=reference)
    set_language(word, setup.language_tag(doc.info.language))
    if not reference:
        setup.setup_section(word, page_w, page_h, margins)

    writer = _Writer(word, theme, look, ids, (text_width, page_h - margins[0] - margins[2]), doc)
    body = word.element.body
    sect_pr = body.sectPr
    for child in list(body):
        body.remove(child)
    frame = _Frame(parent=body, width=text_width)
    if doc.cover is not None:
        cover(writer, doc.cover, frame, doc.info)
    for k, node in enumerate(doc.children):
        writer.block(node, frame)
        keep_with_heading(writer, doc.children, k)
    place_figures(writer, pictures)
    body.append(sect_pr)
    measured = float_figures(word, writer.notes.root, theme, (page_w, page_h, margins),
                             ids.figure, ids.caption, ids.headings)
    if writer.toc_pages:
        fill_page_numbers(writer, estimate_pages(word, writer.notes.root, theme,
                                                 (page_w, page_h, margins), measured))
    write_running_heads(writer, word, doc.info, doc.cover is not None)
    setup.core_properties(word, doc, created)
    if reference:
        setup.drop_unused_rels(word)

    company = x.check_text(doc.info.organisation, "document organisation")
    replace = {"docProps/app.xml": lambda _old: x.app_properties(company),
               "word/fontTable.xml": x.font_table}
    for name, change in embed_fonts(word.part).items():  # after the hints: it names the parts
        replace[name] = _then(replace.get(name), change)
    return x.package_zip(word.part.package, created, replace)


def _then(first: Callable[[bytes], bytes] | None,
          second: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    return second if first is None else (lambda blob: second(first(blob)))


# --- the walk ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Frame:
    """Where blocks go and how they are placed; containers derive new frames, never mutate."""

    parent: etree._Element      # w:body, w:tc, w:hdr ...
    width: int                  # width of the container's text area, twips
    indent: int = 0             # left indent of ordinary paragraphs, twips
    list_level: int = -1        # ilvl of the innermost list item, -1 outside lists
    quote: bool = False         # inside a block quote: left rule
    titleblock: bool = False


class _Fmt(NamedTuple):
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    link: bool = False


_PLAIN = _Fmt()


class _Writer:
    PLAIN = _PLAIN

    def __init__(self, word, theme: Theme, look: Look, ids: StyleIds, text_area: tuple[int, int],
                 doc: Document):
        self.part = word.part
        self.body = word.element.body
        self.theme, self.look, self.ids = theme, look, ids
        self.text_width, self.text_height = text_area  # twips
        self.headings = doc.headings  # anchor -> heading, for internal links
        self.bookmark_ids = 0
        self.toc_pages: list[tuple[etree._Element, str]] = []  # PAGEREF results to fill in
        self.pending_figures: list = []  # figures whose pictures go in after the body
        self.shape_ids = 0
        self.pending_break = False  # the next body paragraph starts a new page
        self.rtl_seen = False       # the paragraph being written has right-to-left runs
        self._cjk_font: str | None | bool = False  # resolved on first use
        self.rels: dict[str, str] = {}
        self._story_rels: dict[str, dict[str, str]] = {}
        self.line = 0
        self.heading_styles = set(ids.headings) | {ids.title}
        self.section_title = ""  # the last heading's text: the title of a table under it
        self._numbering_setup(word.part.numbering_part.element)
        listed = any(isinstance(block, NotesList) for block in doc.children)
        self.notes = Notes(self, word, doc.notes,
                           footnotes=not (listed and doc.info.page_limit))

    def new_bookmark_id(self) -> int:
        self.bookmark_ids += 1
        return self.bookmark_ids

    @contextmanager
    def story(self, part):
        """Write into another part (footnotes): hyperlinks relate to that part."""
        saved = self.part, self.rels
        self.part = part
        self.rels = self._story_rels.setdefault(str(part.partname), {})
        try:
            yield
        finally:
            self.part, self.rels = saved

    def take_break(self, parent: etree._Element) -> bool:
        """Whether a block starting in ``parent`` must start a new page (after the cover or a
        PageBreak); only body-level blocks can."""
        if self.pending_break and parent is self.body:
            self.pending_break = False
            return True
        return False

    # errors -------------------------------------------------------------------------------
    def error(self, message: str) -> BriefgenError:
        where = f" (Markdown line {self.line})" if self.line else ""
        return BriefgenError(f"DOCX: {message}{where}", line=self.line or None)

    def where(self) -> str:
        return f"DOCX, Markdown line {self.line}" if self.line else "DOCX"

    # dispatch -----------------------------------------------------------------------------
    def block(self, node, frame: _Frame) -> None:
        line = getattr(node, "line", 0)
        if isinstance(line, int) and line:
            self.line = line
        _handler(_BLOCKS, node, self)(self, node, frame)

    def inlines(self, parent: etree._Element, nodes, fmt: _Fmt) -> None:
        for node in nodes:
            _handler(_INLINES, node, self)(self, parent, node, fmt)

    # paragraphs -----------------------------------------------------------------------------
    def new_p(self, frame: _Frame, style: str, *, num: tuple[int, int] | None = None,
              pbdr: etree._Element | None = None, spacing: dict | None = None,
              ind: dict | None = None, jc: str | None = None) -> etree._Element:
        parent = frame.parent
        last = x.last_child(parent)
        if last is not None and last.tag == x.TBL and style not in self.heading_styles:
            spacing = {"before": 160, **(spacing or {})}  # air below a table or box
        if ind is None:
            if num is not None:
                if frame.indent != x.LIST_STEP * num[1]:
                    ind = {"left": frame.indent + x.LIST_STEP, "hanging": x.LIST_STEP}
            elif frame.indent:
                ind = {"left": frame.indent}
        if pbdr is None and frame.quote:
            pbdr = x.borders("pBdr", {"left": (self.look.accent, 12, 8)})
        p = etree.SubElement(parent, x.P)
        p.append(x.make_ppr(style=style, num=num, pbdr=pbdr, spacing=spacing, ind=ind, jc=jc,
                            page_break=self.take_break(parent)))
        return p

    def finish_paragraph(self, p: etree._Element) -> None:
        """A paragraph whose letters are mostly Arabic script is right-to-left (w:bidi)."""
        if self.rtl_seen:
            self.rtl_seen = False
            if rtl_paragraph("".join(t.text or "" for t in p.iter(x.T))):
                x.set_ppr_child(p, x.new("bidi"))

    def is_heading(self, p: etree._Element) -> bool:
        style = p.find(f"{x.w('pPr')}/{x.w('pStyle')}")
        return style is not None and style.get(x.w("val")) in self.heading_styles

    def paragraph(self, node: Paragraph, frame: _Frame, num: tuple[int, int] | None = None):
        ids = self.ids
        if frame.titleblock:
            style = ids.meta
        elif frame.quote:
            style = ids.quote
        elif num is not None or frame.list_level >= 0:
            style = ids.list_paragraph
        else:
            style = ids.normal
        p = self.new_p(frame, style, num=num)
        self.inlines(p, node.children, _PLAIN)
        self.finish_paragraph(p)

    def heading(self, node: Heading, frame: _Frame) -> None:
        if not isinstance(node.level, int) or not 1 <= node.level <= 6:
            raise self.error(f"heading level must be 1 to 6, not {node.level!r}")
        if frame.titleblock and node.level == 1:
            style = self.ids.title
        else:
            style = self.ids.headings[node.level - 1]
        p = self.new_p(frame, style)
        self.section_title = " ".join(plain_text(node.children).split())
        name = node.bookmark
        if name:
            bid = self.new_bookmark_id()
            x.sub(p, "bookmarkStart", id=bid, name=name)
            self.inlines(p, node.children, _PLAIN)
            x.sub(p, "bookmarkEnd", id=bid)
        else:
            self.inlines(p, node.children, _PLAIN)
        self.finish_paragraph(p)

    def subtitle(self, node: Subtitle, frame: _Frame) -> None:
        p = self.new_p(frame, self.ids.subtitle)
        self.inlines(p, node.children, _PLAIN._replace(italic=True))
        self.finish_paragraph(p)

    def code_block(self, node: CodeBlock, frame: _Frame) -> None:
        ind = {"left": frame.indent + 100, "right": 100} if frame.indent else None
        p = self.new_p(replace(frame, quote=False), self.ids.code_block, ind=ind)
        text = node.text.replace("\r\n", "\n").rstrip("\n")
        x.add_text(etree.SubElement(p, x.R), x.check_text(text, self.where()))

    def page_break(self, node: PageBreak, frame: _Frame) -> None:
        """The next body block starts a new page (w:pageBreakBefore on its paragraph)."""
        if frame.parent is self.body and x.last_child(frame.parent) is not None:
            self.pending_break = True

    def horizontal_rule(self, node: HorizontalRule, frame: _Frame) -> None:
        rule = x.borders("pBdr", {"bottom": (RULE_COLOUR, 6, 1)})
        self.new_p(frame, self.ids.normal, pbdr=rule,
                   spacing={"before": 0, "after": 200, "line": 120, "lineRule": "exact"})

    def block_quote(self, node: BlockQuote, frame: _Frame) -> None:
        inner = replace(frame, indent=frame.indent + QUOTE_INDENT, quote=True)
        for child in node.children:
            self.block(child, inner)

    # lists ------------------------------------------------------------------------------------
    def _numbering_setup(self, numbering: etree._Element) -> None:
        """Two list definitions (bullets, numbers) next to the template's; one w:num for all
        bullet lists, and later one per ordered list."""
        self.numbering = numbering
        abstract_ids = [int(a.get(x.w("abstractNumId")))
                        for a in numbering.findall(x.w("abstractNum"))]
        num_ids = [int(n.get(x.w("numId"))) for n in numbering.findall(x.w("num"))]
        self.next_num = max(num_ids, default=0) + 1
        bullet_abs = max(abstract_ids, default=-1) + 1
        self.ordered_abs = bullet_abs + 1
        first_num = numbering.find(x.w("num"))  # every abstractNum must precede every num
        for el in (x.abstract_num(bullet_abs, False, self.look.heading_font),
                   x.abstract_num(self.ordered_abs, True, self.look.heading_font)):
            if first_num is not None:
                first_num.addprevious(el)
            else:
                numbering.append(el)
        self.bullet_num = self._add_num(bullet_abs, None)

    def _add_num(self, abstract_id: int, restart: tuple[int, int] | None) -> int:
        num_id, self.next_num = self.next_num, self.next_num + 1
        self.numbering.append(x.num(num_id, abstract_id, restart))
        return num_id

    def bullet_list(self, node: BulletList, frame: _Frame) -> None:
        self._list(node, frame, self.bullet_num)

    def ordered_list(self, node: OrderedList, frame: _Frame) -> None:
        start = node.start
        if not isinstance(start, int) or start < 0:
            raise self.error(f"an ordered list must start at a number >= 0, not {start!r}")
        level = min(frame.list_level + 1, 8)
        # a w:num of its own with a start override: each list counts from its own start
        self._list(node, frame, self._add_num(self.ordered_abs, (level, start)))

    def _list(self, node, frame: _Frame, num_id: int) -> None:
        level = min(frame.list_level + 1, 8)
        item_frame = replace(frame, list_level=level)
        body_frame = replace(frame, indent=frame.indent + x.LIST_STEP, list_level=level)
        for item in node.items:
            if not isinstance(item, ListItem):
                raise self.error(f"a list holds list items, not {type(item).__name__}")
            self.line = item.line or self.line
            rest = item.children
            if rest and isinstance(rest[0], Paragraph):
                self.paragraph(rest[0], item_frame, num=(num_id, level))
                rest = rest[1:]
            else:
                self.new_p(item_frame, self.ids.list_paragraph, num=(num_id, level))
            for child in rest:
                self.block(child, body_frame)
        last = x.last_child(frame.parent)
        if frame.list_level < 0 and last is not None and last.tag == x.P:
            x.set_spacing(last, after=120)  # items sit close; the list ends with air

    # inlines -------------------------------------------------------------------------------------
    def run(self, parent: etree._Element, text: str, fmt: _Fmt) -> etree._Element:
        if text and not text.isascii():
            pieces = segments(text)
            if len(pieces) > 1 or pieces[0][0]:
                for kind, piece in pieces:
                    r = self._run(parent, piece, fmt, kind)
                return r
        return self._run(parent, text, fmt, "")

    def _run(self, parent: etree._Element, text: str, fmt: _Fmt, script: str) -> etree._Element:
        """One ``w:r``; ``script`` is "" or "rtl" (Arabic script) or "cjk"."""
        r = etree.SubElement(parent, x.R)
        if fmt != _PLAIN or script:
            rpr = x.sub(r, "rPr")
            if fmt.link:
                x.sub(rpr, "rStyle", val=self.ids.hyperlink)
            elif fmt.code:
                x.sub(rpr, "rStyle", val=self.ids.inline_code)
            if fmt.link and fmt.code:
                rpr.append(x.fonts(self.look.mono_font))
            if script == "rtl":
                fonts = rpr.find(x.w("rFonts"))
                if fonts is None:
                    fonts = x.sub(rpr, "rFonts")
                fonts.set(x.w("cs"), scripts.complex_font(self._fallbacks(), word_family,
                                                           frozenset(text)))
            elif script == "cjk":
                fonts = rpr.find(x.w("rFonts"))
                if fonts is None:
                    fonts = x.sub(rpr, "rFonts")
                face = self.cjk_font()
                if face:
                    fonts.set(x.w("eastAsia"), face)
                fonts.set(x.w("hint"), "eastAsia")
            if fmt.bold:
                x.sub(rpr, "b")
                x.sub(rpr, "bCs")
            if fmt.italic:
                x.sub(rpr, "i")
                x.sub(rpr, "iCs")
            if fmt.strike:
                x.sub(rpr, "strike")
            if script == "rtl":
                self.rtl_seen = True
                x.sub(rpr, "rtl")
                x.sub(rpr, "lang", bidi=bidi_language(text))
        if text:
            x.add_text(r, x.check_text(text, self.where()))
        return r

    def cjk_font(self) -> str | None:
        if self._cjk_font is False:
            self._cjk_font = scripts.cjk_font(self._fallbacks(), word_family,
                                              getattr(self.theme, "fallback_fonts", None))
        return self._cjk_font

    def _fallbacks(self) -> tuple:
        return tuple(getattr(self.theme, "fallbacks", None) or
                     getattr(self.theme, "fallback_fonts", None) or ())

    def text(self, parent, node: Text, fmt: _Fmt) -> None:
        self.run(parent, node.text.replace("\r\n", " ").replace("\n", " "), fmt)

    def code(self, parent, node: Code, fmt: _Fmt) -> None:
        self.run(parent, node.text.replace("\n", " "), fmt._replace(code=True))

    def line_break(self, parent, node: LineBreak, fmt: _Fmt) -> None:
        x.sub(self.run(parent, "", fmt), "br")

    def link(self, parent, node: Link, fmt: _Fmt) -> None:
        if node.kind not in ("external", "internal"):  # resolve left it as text
            self.inlines(parent, node.children, fmt)
            return
        hyperlink = x.sub(parent, "hyperlink")
        if node.kind == "internal":
            hyperlink.set(x.w("anchor"), self.headings[node.target].bookmark)
        else:
            rid = self.rels.get(node.target)
            if rid is None:
                rid = self.rels[node.target] = self.part.relate_to(node.target, RT.HYPERLINK,
                                                                   is_external=True)
            hyperlink.set(qn("r:id"), rid)
        hyperlink.set(x.w("history"), "1")
        self.inlines(hyperlink, node.children, fmt._replace(link=True))


def _handler(table: dict[type, Callable], node, writer: _Writer) -> Callable:
    for cls in type(node).__mro__:
        handler = table.get(cls)
        if handler is not None:
            return handler
    raise writer.error(f"cannot render a {type(node).__name__} node; the DOCX renderer knows "
                       f"{', '.join(sorted(t.__name__ for t in table))}")


_BLOCKS: dict[type, Callable] = {
    Contents: contents,
    NotesList: lambda self, node, frame: self.notes.notes_list(node, frame),
    Figure: figure,
    Image: image,
    PageBreak: _Writer.page_break,
    Heading: _Writer.heading,
    Subtitle: _Writer.subtitle,
    Paragraph: _Writer.paragraph,
    BulletList: _Writer.bullet_list,
    OrderedList: _Writer.ordered_list,
    Table: boxes.table,
    BlockQuote: _Writer.block_quote,
    Callout: boxes.callout,
    CodeBlock: _Writer.code_block,
    HorizontalRule: _Writer.horizontal_rule,
}

_INLINES: dict[type, Callable] = {
    Text: _Writer.text,
    Strong: lambda self, parent, node, fmt: self.inlines(parent, node.children,
                                                         fmt._replace(bold=True)),
    Emph: lambda self, parent, node, fmt: self.inlines(parent, node.children,
                                                       fmt._replace(italic=True)),
    Strike: lambda self, parent, node, fmt: self.inlines(parent, node.children,
                                                         fmt._replace(strike=True)),
    Code: _Writer.code,
    Link: _Writer.link,
    LineBreak: _Writer.line_break,
    NoteRef: lambda self, parent, node, fmt: self.notes.ref(parent, node),
}
