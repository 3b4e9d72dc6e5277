"""The print-only parts of the PDF renderer: cover, contents, notes, figures, page breaks.

A mixin of pdf.py's renderer (it uses its ``para``, ``inline``, ``blocks``, ``heading`` and
``key``); one method per node type, reached through the renderer's dispatch tables.

- The first top-level ``titleblock`` callout becomes the cover page: its own page template (no
  running heads; furniture in furniture.py), a page break after it. Without one there is no
  cover. A title block elsewhere (nested, or a second one) prints in place as before.
- ``Contents``: its title (with an outline entry) and a ``ContentsTable`` of the level-2 and
  level-3 headings that follow (entries added by ``toc_entry`` as the headings are rendered).
- ``NoteRef``: superscript numbers, adjacent ones joined ("1, 3"), each a link to its note when
  the document lists its notes (``NotesList``); ``NotesList`` prints ``Document.notes`` once.
- ``Figure``: the vector drawing from briefgen.figures.build at the text width, scaled down if taller than
  the frame, kept together with its caption "Figure n: caption".
"""
from __future__ import annotations

from dataclasses import replace

from reportlab.graphics import renderPDF
from reportlab.platypus import (Flowable, HRFlowable, ListFlowable, PageBreak,
                                PageBreakIfNotEmpty)
from reportlab.platypus import ListItem as RLListItem

from ...document.nodes import Callout, Document, Emph, Heading, NotesList, Paragraph, Text
from ...errors import BriefgenError
from .page import HeadingParagraph
from .toc import ContentsTable


def render_error(message: str, line: int = 0) -> BriefgenError:
    where = f" (Markdown line {line})" if line else ""
    return BriefgenError(f"PDF renderer{where}: {message}", line=line or None)


def _lists_notes(blocks) -> bool:
    """Whether a ``NotesList`` occurs anywhere in ``blocks`` (nested too)."""
    for block in blocks:
        if isinstance(block, NotesList):
            return True
        children = getattr(block, "children", None)
        if isinstance(children, list) and children and not isinstance(block, (Paragraph, Heading)):
            if _lists_notes(children):
                return True
        for item in getattr(block, "items", None) or ():
            if _lists_notes(item.children):
                return True
    return False


class FigureFlowable(Flowable):
    """A reportlab Drawing, scaled by ``scale`` (<= 1), centred; it never splits."""

    def __init__(self, drawing, scale: float, font: str):
        super().__init__()
        drawing.initialFontName = font  # renderPDF starts from Helvetica, which would be added
        self.drawing = drawing
        self.scale = scale
        self.width = drawing.width * scale
        self.height = drawing.height * scale
        self.hAlign = "CENTER"
        self.spaceBefore = 6

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        if self.scale != 1:
            self.canv.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, self.canv, 0, 0)


class PrintBlocks:
    def print_setup(self, doc: Document, frame_height: float) -> None:
        self.notes = doc.notes
        self.frame_height = frame_height
        self.has_cover = False
        self.tocs: list[ContentsTable] = []
        self.toc_forms = 0
        self.figures = 0
        self.notes_printed = False
        self.note_targets = ({n.number for n in doc.notes} if doc.notes and
                             _lists_notes(doc.children) else set())

    # --- the document and its cover ---------------------------------------------------------

    def document(self, doc: Document, ctx) -> list[Flowable]:
        out: list[Flowable] = []
        for node in doc.children:
            if type(node) is Callout and node.kind == "titleblock" and not self.has_cover:
                out += self.cover(node, replace(ctx, line=node.line or ctx.line))
            else:
                out += self.blocks([node], ctx)
        return out

    def cover(self, node: Callout, ctx) -> list[Flowable]:
        s = self.s
        flows: list[Flowable] = []
        title_at = None
        ruled = False
        for child in node.children:
            c = replace(ctx, line=getattr(child, "line", 0) or ctx.line)
            if isinstance(child, Heading) and child.level == 1 and title_at is None:
                flows += self.heading(child, c, s.cover_title, 0)
                title_at = len(flows)
            elif (title_at == len(flows) and isinstance(child, Paragraph)
                  and len(child.children) == 1 and isinstance(child.children[0], Emph)):
                # the subtitle: the paragraph right after the title that is all emphasis
                markup = self.inline(child.children[0].children, c, s.cover_subtitle.fontName)
                flows.append(self.para(markup, s.cover_subtitle, c))
            else:
                if title_at is not None and not ruled:
                    flows.append(HRFlowable(width="100%", thickness=0.75, color=s.rule,
                                            spaceBefore=18, spaceAfter=14, hAlign="LEFT"))
                    ruled = True
                flows += self.blocks([child], replace(c, para=s.cover_meta))
        if not flows:
            return []
        self.has_cover = True
        for flow in flows:  # nothing on the cover pulls the first body page onto it
            if flow.getKeepWithNext():
                flow.keepWithNext = 0
        return [PageBreakIfNotEmpty(nextTemplate="cover"), *flows, PageBreak(nextTemplate="page")]

    # --- contents -----------------------------------------------------------------------------

    def contents(self, node, ctx) -> list[Flowable]:
        s = self.s
        style = s.headings[1]
        title = " ".join(node.title.split()) or "Contents"
        p = self.para(self.inline([Text(title)], ctx, style.fontName), style, ctx,
                      HeadingParagraph)
        p.outline = (self.key("contents"), title, 1)
        toc = ContentsTable(s.toc_levels, s.muted, s.heading_font.regular)
        self.tocs.append(toc)
        return [p, toc]

    def toc_entry(self, level: int, title: str, key: str, ctx) -> None:
        """A heading of level 2 (``level`` 0) or 3 (1) for every contents before it."""
        if not self.tocs:
            return
        style = self.s.toc_levels[level]
        markup = self.inline([Text(title or "(untitled)")], ctx, style.fontName)
        for toc in self.tocs:
            self.toc_forms += 1
            toc.add(level, markup, key, f"briefgen-toc-{self.toc_forms}")

    # --- notes --------------------------------------------------------------------------------

    def note_ref(self, node, out: list[str], ctx) -> None:
        self.note_refs([node], out)

    def note_refs(self, nodes, out: list[str]) -> None:
        parts = []
        for node in nodes:
            n = int(node.number)
            if n in self.note_targets and not self._in_link:
                parts.append(f'<a href="#note-{n}" color="{self.s.link_hex}">{n}</a>')
            else:
                parts.append(str(n))
        out.append(f"<super>{', '.join(parts)}</super>")

    def notes_list(self, node, ctx) -> list[Flowable]:
        s = self.s
        anchors = not self.notes_printed  # a second list would define the same destinations
        self.notes_printed = True
        seen: set[int] = set()
        items = []
        for note in self.notes:
            if note.number in seen:
                continue
            seen.add(note.number)
            markup = self.inline(note.children, ctx, s.note.fontName)
            if anchors:
                markup = f'<a name="note-{int(note.number)}"/>{markup}'
            items.append((f"{note.number}.", self.para(markup, s.note, ctx)))
        if not items:
            return []
        digits = max(len(label) for label, _ in items) - 1
        return [ListFlowable([RLListItem([p], value=label) for label, p in items],
                             bulletType="bullet", start=items[0][0], leftIndent=16 + 5.5 * digits,
                             bulletAlign="right", bulletDedent=5,
                             bulletFontName=s.body_font.regular, bulletFontSize=s.note.fontSize,
                             bulletColor=s.accent, spaceBefore=0, spaceAfter=s.body.spaceAfter)]

    # --- figures and page breaks --------------------------------------------------------------

    def figure(self, node, ctx) -> list[Flowable]:
        from ...figures.build import figure_drawing, figure_size
        s = self.s
        self.figures += 1
        style = s.caption
        caption = " ".join(node.caption.split())
        markup = f"<b>Figure {self.figures}{':' if caption else ''}</b>"
        if caption:
            markup += " " + self.inline([Text(caption)], ctx, style.fontName)
        cap = self.para(markup, style, ctx)
        w, h = figure_size(node, ctx.width, s.theme)
        drawing = figure_drawing(node, ctx.width, s.theme, s.heading_font)
        # Leave room for a section heading above the figure: a heading keeps with its next
        # flowable only when both fit in one frame, else reportlab strands it at a page foot.
        heading_room = 2.5 * s.theme.heading_sizes[1] + 24
        room = (self.frame_height - cap.wrap(ctx.width, self.frame_height)[1] - style.spaceBefore
                - 12 - heading_room)
        scale = min(1.0, ctx.width / w if w > 0 else 1.0, room / h if h > 0 else 1.0)
        if scale <= 0:
            raise render_error("no room for a figure", ctx.line)
        # keepWithNext rather than KeepTogether: reportlab will not keep a heading with a
        # following KeepTogether (a container), so a heading above a figure was stranded.
        flowable = FigureFlowable(drawing, scale, s.heading_font.regular)
        flowable.keepWithNext = 1
        return [flowable, cap]

    def page_break(self, node, ctx) -> list[Flowable]:
        return [PageBreakIfNotEmpty()]
