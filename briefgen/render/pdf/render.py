"""Document -> PDF with reportlab platypus.

Every node type has one entry in a dispatch table (``block_table`` / ``inline_table``, and
``callout_table`` for the callout kinds); a node without an entry is an error, never skipped. It
draws a resolved document (document/resolve.py decides the cover, the subtitle, which links are
clickable and where they lead, bookmark names and figure numbers). All text goes into reportlab's
paragraph markup XML-escaped, so content can never inject markup. Everything splits across pages
(long words by character, tables by row and inside a row, boxes inside their one cell), so no
content raises reportlab's LayoutError. Text goes through pdf_fonts.TextMarkup, which switches to
a fallback font for characters the current face lacks and shapes and orders right-to-left runs.
The print-only blocks (cover, contents, notes, figures, page breaks) and note marks: print_marks.py.
Page templates, outline and page count: page.py; running heads and cover furniture:
furniture.py.
"""
from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, replace

from reportlab.platypus import (Flowable, HRFlowable, ListFlowable,
                                ListItem as RLListItem, Paragraph as _RLParagraphBase, Spacer)
from reportlab.platypus import Image as RLImage
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle
from reportlab.platypus.doctemplate import LayoutError
from reportlab.lib.styles import ParagraphStyle

from ...document.nodes import (CALLOUT_KINDS, BlockQuote, BulletList, Callout, Code, CodeBlock,
                               Contents, Document, Emph, Figure, Heading, HorizontalRule, Image,
                               LineBreak, Link, NoteRef, NotesList, OrderedList, PageBreak,
                               Paragraph, Strike, Strong, Subtitle, Table, Text, plain_text,
                               require_resolved, with_note_groups)
from ...errors import BriefgenError
from ...fonts.bidi import language_level
from ...fonts.scripts import bidi_language, rtl_paragraph
from ...document.images import print_size
from ...theme.model import PAPER_SIZES, Theme
from .bidi_para import ShapedParagraph, needs_shaping
from .compact import pack
from .fonts import effective_face, escape, text_markup
from .page import BriefDocTemplate, HeadingParagraph, ShapedHeading
from .keep import keep_after_heading
from .list_direction import mirrored, rtl_item
from .number_text import remember_number_text
from .page import WrapOnceParagraph as RLParagraph
from .print_marks import PrintBlocks, key, layout_problem, render_error
from .styles import Styles
from .tables import Tables
from .tighten import condense, tighter
from .tags import Element, Tags, tag, tag_labels

__all__ = ["render_pdf", "render_pdf_pages"]

_error = render_error
_esc = escape


def render_pdf(doc: Document, theme: Theme, created: datetime.datetime) -> bytes:
    """Render ``doc`` with ``theme``; ``created`` is the creation date embedded in the PDF.

    The same document, theme and ``created`` give byte-identical output.
    """
    return render_pdf_pages(doc, theme, created)[0]


def render_pdf_pages(doc: Document, theme: Theme, created: datetime.datetime
                     ) -> tuple[bytes, int]:
    """``render_pdf``'s bytes, and how many pages they hold (as laid out: nothing to parse)."""
    require_resolved(doc, "render_pdf")
    if theme.paper not in PAPER_SIZES:
        raise BriefgenError(f"theme: unknown paper size {theme.paper!r} "
                            f"(known: {', '.join(PAPER_SIZES)})")
    page_w, page_h = theme.page_size
    width = page_w - theme.margin_left - theme.margin_right
    height = page_h - theme.margin_top - theme.margin_bottom
    if width < 144 or height < 144:
        raise BriefgenError(f"theme: the margins leave a text area of {width:.0f} x {height:.0f} pt "
                            f"on {theme.paper} paper; it needs at least 144 x 144 pt")
    remember_number_text()
    data, template = _lay_out(doc, theme, created, 1.0, width, height)
    # a line or two alone on the last page: set the brief tighter (tighten.py)
    tight = tighter(template, lambda factor: _lay_out(doc, theme, created, factor, width, height))
    if tight is not None:
        data, template = tight
    return pack(data), template.page  # only the layout kept: the others are never packed


def _lay_out(doc: Document, theme: Theme, created: datetime.datetime, spaces: float,
             width: float, height: float) -> tuple[bytes, BriefDocTemplate]:
    """The PDF of ``doc`` as reportlab wrote it (packed by the caller) and the doc template
    that laid it out; ``spaces``: the vertical spaces' share of the theme's (tighten.py)."""
    styles = Styles(theme)
    if spaces != 1.0:
        condense(styles, spaces)
    tags = Tags(doc.info.language or "en")
    renderer = _Renderer(styles, doc, height, tags)
    story = renderer.document(doc, _Ctx(width, styles.body))
    if not story:  # reportlab would write a PDF without pages
        story.append(Spacer(0, 0))
    if story[-1].getKeepWithNext():
        # reportlab loops forever on a keepWithNext flowable taller than a page at the very end
        story[-1].keepWithNext = 0

    info = doc.info
    keywords: list[str] = []
    for k in (*info.keywords, info.marking):
        k = " ".join(str(k).split())
        if k and k not in keywords:
            keywords.append(k)
    buf = io.BytesIO()
    template = BriefDocTemplate(
        buf, styles=styles, info=info, created=created, pagesize=tuple(theme.page_size),
        title=info.title, author=", ".join(info.authors), subject=info.subtitle,
        creator="briefgen", keywords=keywords, lang=tags.lang, tags=tags)
    try:
        template.build_story(story)
    except LayoutError as exc:  # should not happen: everything splits; say where if it does
        raise _error(layout_problem(str(exc))) from None
    return buf.getvalue(), template


@dataclass(frozen=True)
class _Ctx:
    """Where blocks are being laid out: available width, paragraph style, list nesting."""

    width: float
    para: ParagraphStyle
    list_depth: int = 0
    line: int = 0  # Markdown line of the enclosing block, for error messages
    in_cell: bool = False  # inside a box (a one-cell table): nothing can be kept together there
    # lists: how far in an item of the next level starts from its own side (the enclosing
    # levels' indents), and how far in the enclosing items already are on the left and the
    # right (an item indents on the side its text begins: list_direction.mirrored)
    list_in: float = 0.0
    list_left: float = 0.0
    list_right: float = 0.0


_BULLETS = ("•", "–", "◦")
_BAR = 3.0  # width of a callout's left bar


_CHUNK_LINES = 60  # lines of a code block or of a paragraph with line breaks, per paragraph

# the structure element (tags.py) of each block; the others make their own (headings, figures,
# pictures, contents) or have no text (rules, page breaks)
_ROLES = {Paragraph: "P", Subtitle: "P", CodeBlock: "P", BulletList: "L", OrderedList: "L",
          NotesList: "L", Table: "Table", BlockQuote: "BlockQuote", Callout: "Div"}
_TEXT_FLOWABLES = (_RLParagraphBase, ShapedParagraph)


class _Renderer(Tables, PrintBlocks):
    def __init__(self, styles: Styles, doc: Document, frame_height: float, tags: Tags):
        self.s = styles
        self.tags = tags
        self.block_table = {
            Heading: self.heading, Paragraph: self.paragraph, BulletList: self.bullet_list,
            OrderedList: self.ordered_list, Table: self.table, BlockQuote: self.quote,
            Callout: self.callout, CodeBlock: self.code_block, HorizontalRule: self.rule,
            PageBreak: self.page_break, Contents: self.contents, NotesList: self.notes_list,
            Figure: self.figure, Image: self.image, Subtitle: self.subtitle,
        }
        self.inline_table = {
            Text: self.text, Strong: self.strong, Emph: self.emph, Strike: self.strike,
            Code: self.code, Link: self.link, LineBreak: self.line_break, NoteRef: self.note_ref,
        }
        # fallback order for characters a face lacks: the theme's fallbacks, the built-in script
        # faces (registered on first need), then its families, monospace last
        self.tm = text_markup(styles)
        self._font = styles.body_font.regular  # style font of the paragraph being built
        self._bold = self._italic = self._in_link = 0
        self._faces: dict[tuple[str, bool, bool], str] = {}
        self.print_setup(doc, frame_height)
        self.language = doc.info.language  # the direction of a paragraph without a strong letter
        self._rtl_document = language_level(self.language) == 1
        self.callout_table = {
            "titleblock": self.titleblock, "bluf": self.boxed, "note": self.boxed,
            "warning": self.boxed, "judgment": self.boxed,
        }
        assert set(self.callout_table) == set(CALLOUT_KINDS)
        s = styles
        everything = ((0, 0), (-1, -1))
        self.box_looks = {  # TableStyle commands of the boxed callouts
            "bluf": [("BACKGROUND", *everything, s.callout_fill),
                     ("BOX", *everything, 0.75, s.accent),
                     ("LINEBEFORE", *everything, _BAR, s.accent, "butt")],
            "note": [("BACKGROUND", *everything, s.callout_fill),
                     ("LINEBEFORE", *everything, _BAR, s.muted, "butt")],
            "warning": [("BACKGROUND", *everything, s.warning_fill),
                        ("BOX", *everything, 0.5, s.warning_border),
                        ("LINEBEFORE", *everything, _BAR, s.warning_border, "butt")],
            "judgment": [("BOX", *everything, 0.75, s.judgment_border),
                         ("LINEBEFORE", *everything, _BAR, s.judgment_border, "butt")],
        }
        # reportlab sets every cell's font (Helvetica by default) even for Paragraph cells
        self.table_font = ("FONT", (0, 0), (-1, -1), s.heading_font.regular, s.cell_size)
        self.mono_open = f'<font face="{s.mono_font.regular}" size="{s.code_size:g}">'

    # --- blocks ---------------------------------------------------------------------------

    def blocks(self, nodes, ctx: _Ctx) -> list[Flowable]:
        out: list[Flowable] = []
        table = self.block_table
        for k, node in enumerate(nodes):
            handler = table.get(type(node))
            if handler is None:
                raise _error(f"unknown block node type {type(node).__name__}",
                             getattr(node, "line", 0) or ctx.line)
            if ctx.width < 72:
                raise _error("blocks are nested too deeply to fit the page", ctx.line)
            role = _ROLES.get(type(node))
            if role is not None:
                element = self.tags.open(role)
            flows = handler(node, replace(ctx, line=getattr(node, "line", 0) or ctx.line))
            if role is not None:
                element.lang = self.paragraph_language(node)  # the handler checked its nodes
                self.tags.close()
                for f in flows:
                    if isinstance(f, _TEXT_FLOWABLES):
                        tag(f, element)
            if not ctx.in_cell:
                keep_after_heading(nodes, k, flows, self.s.body, ctx.width)
            out.extend(flows)
        return out

    def paragraph_language(self, node) -> str | None:
        """A right-to-left paragraph in a left-to-right brief is read in its own language: a
        screen reader picks its voice by /Lang (guessed from the letters, as the DOCX's w:bidi
        language and the HTML's lang are)."""
        if type(node) is not Paragraph or self._rtl_document:
            return None
        text = plain_text(node.children)
        return bidi_language(text) if rtl_paragraph(text) else None

    def para(self, markup: str, style: ParagraphStyle, ctx: _Ctx, cls=RLParagraph):
        try:
            if needs_shaping(markup):
                cls = ShapedHeading if cls is HeadingParagraph else ShapedParagraph
                return cls(markup, style, default_language=self.language)
            return cls(markup, style)
        except ValueError as exc:  # reportlab's markup parser; should not happen after escaping
            raise _error(f"cannot typeset a paragraph: {exc}", ctx.line) from None

    def heading(self, node: Heading, ctx: _Ctx, style: ParagraphStyle | None = None,
                level: int | None = None) -> list[Flowable]:
        if not 1 <= node.level <= 6:
            raise _error(f"heading level {node.level} is not 1 to 6", ctx.line)
        style = style or self.s.headings[node.level - 1]
        p = self.para(self.inline(node.children, ctx, style.fontName), style, ctx, HeadingParagraph)
        title = " ".join(plain_text(node.children).split())
        p.outline = (key(node.anchor), title or "(untitled)",
                     node.level - 1 if level is None else level)
        self.tags.leaf([p], self.tags.heading(p.outline[2] + 1))
        return [p]

    def paragraph(self, node: Paragraph, ctx: _Ctx) -> list[Flowable]:
        runs: list[list] = [[]]
        lines = 0
        for child in node.children:
            runs[-1].append(child)
            if isinstance(child, LineBreak):
                lines += 1
                if lines % _CHUNK_LINES == 0:
                    runs.append([])
        runs = [run for run in runs if run] or [[]]
        return self.chunks([self.inline(run, ctx) for run in runs], ctx.para, ctx)

    def chunks(self, markups: list[str], style: ParagraphStyle, ctx: _Ctx) -> list[Flowable]:
        """One paragraph, as consecutive paragraphs of at most _CHUNK_LINES lines each:
        reportlab lays out all that is left of a paragraph again at every page break, so a
        45,000-line code block took minutes; chunks keep the work linear. The chunks touch
        (no space or padding between them), so the page looks the same."""
        if len(markups) == 1:
            return [self.para(markups[0], style, ctx)]
        pad = style.borderPadding
        top, right, bottom, left = pad if isinstance(pad, (tuple, list)) else (pad,) * 4
        first = ParagraphStyle(style.name + "-first", parent=style, spaceAfter=0,
                               borderPadding=(top, right, 0, left))
        middle = ParagraphStyle(style.name + "-middle", parent=style, spaceBefore=0,
                                spaceAfter=0, borderPadding=(0, right, 0, left))
        last = ParagraphStyle(style.name + "-last", parent=style, spaceBefore=0,
                              borderPadding=(0, right, bottom, left))
        styles = [first] + [middle] * (len(markups) - 2) + [last]
        return [self.para(m, st, ctx) for m, st in zip(markups, styles)]

    def subtitle(self, node: Subtitle, ctx: _Ctx) -> list[Flowable]:
        """A subtitle in a title block printed in place (the cover sets its own: print_marks)."""
        return [self.para(self.inline([Emph(node.children)], ctx), ctx.para, ctx)]

    def bullet_list(self, node: BulletList, ctx: _Ctx) -> list[Flowable]:
        bullet = _BULLETS[min(ctx.list_depth, len(_BULLETS) - 1)]
        return self.make_list(node, ctx, [bullet] * len(node.items), indent=14,
                              bulletFontSize=self.s.body.fontSize * (1 if ctx.list_depth else 0.95))

    def ordered_list(self, node: OrderedList, ctx: _Ctx) -> list[Flowable]:
        # our own labels: reportlab's numbering skips a 0 and its magic renumbers nested lists
        labels = [f"{n}." for n in range(node.start, node.start + len(node.items))]
        digits = max((len(label) for label in labels), default=1) - 1
        return self.make_list(node, ctx, labels, indent=14 + 5.5 * digits, bulletAlign="right",
                              bulletDedent=5, bulletFontSize=self.s.body.fontSize)

    def make_list(self, node, ctx: _Ctx, labels: list[str], *, indent: float,
                  **bullet) -> list[Flowable]:
        s = self.s
        para = s.tight.get(ctx.para.name, ctx.para)
        items = []
        marks: list[Element] = []  # each item's Lbl, drawn by reportlab's ListFlowable
        depth = ctx.list_in + indent  # an item starts this far in from its own side
        params = mirrored(labels, [rtl_item(item.children) for item in node.items], indent,
                          depth - ctx.list_left, depth - ctx.list_right, **bullet)
        for item, label, param in zip(node.items, labels, params):
            actual = label if param["value"] != label else None  # drawn mirrored: list_direction
            marks.append(Element("Lbl", self.tags.open("LI"), actual=actual))
            self.tags.open("LBody")
            left, right = param.get("leftIndent", depth - ctx.list_left), param.get("rightIndent", 0)
            inner = replace(ctx, width=ctx.width - left - right, para=para,
                            list_depth=ctx.list_depth + 1, line=item.line or ctx.line,
                            list_in=depth, list_left=ctx.list_left + left,
                            list_right=ctx.list_right + right)
            flows = self.blocks(item.children, inner)
            self.tags.close()
            self.tags.close()
            items.append(RLListItem(flows or [RLParagraph("", para)], **param))
        if not items:
            return []
        flow = ListFlowable(items, bulletType="bullet", start=labels[0], leftIndent=indent,
                            bulletFontName=s.body_font.regular, bulletColor=s.accent,
                            spaceBefore=0, spaceAfter=ctx.para.spaceAfter if ctx.list_depth == 0
                            else 0, **bullet)
        tag_labels(flow, marks)
        return [flow]

    def box(self, flows: list[Flowable], ctx: _Ctx, commands, pad_left: float,
            pad: float = 9.0) -> list[Flowable]:
        """Content in a one-cell table (it splits across pages, even inside the cell)."""
        if not flows:
            return []
        flows[0].spaceBefore = 0
        flows[-1].spaceAfter = 0
        t = RLTable([[flows]], colWidths=[ctx.width], splitInRow=1, hAlign="LEFT",
                    spaceBefore=4, spaceAfter=self.s.body.spaceAfter + 6,
                    style=TableStyle([self.table_font, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                      ("LEFTPADDING", (0, 0), (-1, -1), pad_left),
                                      ("RIGHTPADDING", (0, 0), (-1, -1), pad + 2),
                                      ("TOPPADDING", (0, 0), (-1, -1), pad),
                                      ("BOTTOMPADDING", (0, 0), (-1, -1), pad)] + commands))
        return [t]

    def quote(self, node: BlockQuote, ctx: _Ctx) -> list[Flowable]:
        inner = replace(ctx, width=ctx.width - 14 - 6, para=self.s.quote, in_cell=True,
                        list_in=0.0, list_left=0.0, list_right=0.0)
        return self.box(self.blocks(node.children, inner), ctx,
                        [("LINEBEFORE", (0, 0), (0, -1), 2.5, self.s.rule, "butt")],
                        pad_left=14, pad=2)

    def callout(self, node: Callout, ctx: _Ctx) -> list[Flowable]:
        handler = self.callout_table.get(node.kind)
        if handler is None:
            raise _error(f"unknown callout kind {node.kind!r} (known: {', '.join(CALLOUT_KINDS)})",
                         ctx.line)
        return handler(node, ctx)

    def titleblock(self, node: Callout, ctx: _Ctx) -> list[Flowable]:
        s = self.s
        inner = replace(ctx, para=s.meta)
        out: list[Flowable] = []
        for child in node.children:
            if isinstance(child, Heading) and child.level == 1:
                out += self.heading(child, replace(inner, line=child.line or ctx.line), s.title, 0)
            else:
                out += self.blocks([child], inner)
        out.append(HRFlowable(width="100%", thickness=1.5, color=s.accent, spaceBefore=8,
                              spaceAfter=18, hAlign="LEFT"))
        return out

    def boxed(self, node: Callout, ctx: _Ctx) -> list[Flowable]:
        inner = replace(ctx, width=ctx.width - 12 - 11 - _BAR, para=self.s.box, in_cell=True,
                        list_in=0.0, list_left=0.0, list_right=0.0)
        return self.box(self.blocks(node.children, inner), ctx, self.box_looks[node.kind],
                        pad_left=12)

    def code_block(self, node: CodeBlock, ctx: _Ctx) -> list[Flowable]:
        self.tags.current.verbatim = True  # its lines are the text (tags.space_line_ends)
        lines = node.text.rstrip("\n").expandtabs(4).split("\n")
        # non-breaking spaces keep every space; a line longer than the box wraps by characters
        face = self.s.code.fontName
        marked = [self.tm.markup(line.replace(" ", "\u00a0"), face) or "\u00a0" for line in lines]
        return self.chunks(["<br/>".join(marked[i:i + _CHUNK_LINES])
                            for i in range(0, len(marked), _CHUNK_LINES)], self.s.code, ctx)

    def image(self, node: Image, ctx: _Ctx) -> list[Flowable]:
        """A workspace image (checked by briefgen.images) at briefgen.document.images.print_size."""
        w, h = print_size(node.width, node.height, ctx.width, self.frame_height)
        if not w or not h:
            raise _error(f"image {node.path} has no size", ctx.line)
        try:
            flow = RLImage(node.path, width=w, height=h, lazy=0)
        except Exception as exc:  # PIL and reportlab raise anything when a file changed since
            raise _error(f"cannot read image {node.path}: {exc}", ctx.line) from None
        flow.hAlign = "LEFT"
        flow.spaceBefore, flow.spaceAfter = 4, self.s.body.spaceAfter + 4
        self.tags.leaf([flow], "Figure", alt=node.alt)
        return [flow]

    def rule(self, node: HorizontalRule, ctx: _Ctx) -> list[Flowable]:
        return [HRFlowable(width="100%", thickness=0.6, color=self.s.rule, spaceBefore=6,
                           spaceAfter=14, hAlign="CENTER")]

    # --- inlines --------------------------------------------------------------------------

    def inline(self, nodes, ctx: _Ctx, font: str | None = None) -> str:
        """Paragraph markup of ``nodes`` for a paragraph whose style font is ``font``
        (default: the context's paragraph style)."""
        saved = self._font, self._bold, self._italic, self._in_link
        self._font, self._bold, self._italic, self._in_link = font or ctx.para.fontName, 0, 0, 0
        out: list[str] = []
        try:
            self.inlines(nodes, out, ctx)
        finally:
            self._font, self._bold, self._italic, self._in_link = saved
        return "".join(out)

    def inlines(self, nodes, out: list[str], ctx: _Ctx) -> None:
        table = self.inline_table
        for node in with_note_groups(nodes):
            if type(node) is list:  # adjacent marks print as one: "1, 3"
                self.note_refs(node, out)
                continue
            handler = table.get(type(node))
            if handler is None:
                raise _error(f"unknown inline node type {type(node).__name__}", ctx.line)
            handler(node, out, ctx)

    def face(self) -> str:
        """The TTF face reportlab will draw the current text with."""
        key = (self._font, self._bold > 0, self._italic > 0)
        face = self._faces.get(key)
        if face is None:
            face = self._faces[key] = effective_face(*key)
        return face

    def text(self, node: Text, out: list[str], ctx: _Ctx) -> None:
        out.append(self.tm.markup(node.text, self.face(), self._bold > 0, self._italic > 0))

    def strong(self, node: Strong, out: list[str], ctx: _Ctx) -> None:
        out.append("<b>")
        self._bold += 1
        self.inlines(node.children, out, ctx)
        self._bold -= 1
        out.append("</b>")

    def emph(self, node: Emph, out: list[str], ctx: _Ctx) -> None:
        out.append("<i>")
        self._italic += 1
        self.inlines(node.children, out, ctx)
        self._italic -= 1
        out.append("</i>")

    def strike(self, node: Strike, out: list[str], ctx: _Ctx) -> None:
        out.append("<strike>")
        self.inlines(node.children, out, ctx)
        out.append("</strike>")

    def code(self, node: Code, out: list[str], ctx: _Ctx) -> None:
        text = node.text
        if not text.isascii():  # <font face=mono> drops <b>/<i>: the regular mono face draws
            text = self.tm.markup(text, self.s.mono_font.regular)
        else:
            text = _esc(text)
        out += (self.mono_open, text, "</font>")

    def link(self, node: Link, out: list[str], ctx: _Ctx) -> None:
        if node.kind == "external":
            href = node.target
        elif node.kind == "internal":
            href = "#" + key(node.target)
        else:  # resolve found nothing safe to link to: the text only
            self.inlines(node.children, out, ctx)
            return
        # the link annotation's /Contents (structure.py): its text, else where it leads
        text = " ".join(plain_text(node.children).split())
        self.tags.links.setdefault(href.lstrip("#") if node.kind == "internal" else href,
                                   text or f"Link to {node.target}")
        out.append(f'<a href="{_esc(href).replace(chr(34), "&quot;")}" color="{self.s.link_hex}">')
        self._in_link += 1
        self.inlines(node.children, out, ctx)
        self._in_link -= 1
        out.append("</a>")

    def line_break(self, node: LineBreak, out: list[str], ctx: _Ctx) -> None:
        out.append("<br/>")
