"""The print-only parts of the PDF renderer: cover, contents, notes, figures, page breaks.

A mixin of pdf.py's renderer (it uses its ``para``, ``inline``, ``blocks``, ``heading`` and
``key``); one method per node type, reached through the renderer's dispatch tables.

- ``Document.cover`` (the title block resolve chose) becomes the cover page: its own page
  template (no running heads; furniture in furniture.py), a page break after it. Without one
  there is no cover; a title block among the children prints in place.
- ``Contents``: its title (with an outline entry) and a ``ContentsTable`` of the headings
  resolve listed for it.
- ``NoteRef``: superscript numbers, adjacent ones joined ("1, 3"), each a link to its note when
  the document lists its notes (``NotesList``); ``NotesList`` prints ``Document.notes`` once.
- ``Figure``: the vector drawing from briefgen.figures.build at the text width, scaled down if taller than
  the frame, kept together with its caption "Figure n: caption" (n as resolve numbered it).
"""
from __future__ import annotations

import re
from dataclasses import replace

from reportlab.graphics import renderPDF
from reportlab.platypus import (Flowable, HRFlowable, ListFlowable, PageBreak,
                                PageBreakIfNotEmpty)
from reportlab.platypus import ListItem as RLListItem

from ...document.nodes import (Document, Heading, NotesList, Subtitle, Text, lists_notes,
                               plain_text)
from ...errors import BriefgenError
from .bidi_para import glyph_text
from .list_direction import mirrored, rtl_text
from .page import HeadingParagraph
from .tags import Element, tag, tag_labels, tagged
from .toc import ContentsTable


def key(anchor: str) -> str:
    """The PDF destination of a heading or contents with this (resolved, unique) anchor."""
    return "h-" + anchor


_TOO_LARGE = re.compile(r"\(([\d.]+) x ([\d.]+)\) too large on page (\d+) in frame "
                        r"'[^']*'\(([\d.]+) x ([\d.]+)")
_ADDRESS = re.compile(r"<[^<>]*?(?:at |@)0x[0-9a-fA-F]+[^<>]*>")


def layout_problem(text: str) -> str:
    """reportlab's LayoutError as a reader can act on it: sizes and a fix, not the repr of a
    Flowable (<Table@0x7F...>)."""
    m = _TOO_LARGE.search(text)
    if m:
        w, h, page, fw, fh = (float(g) for g in m.groups())
        return (f"a block of {w:.0f} x {h:.0f} pt does not fit the {fw:.0f} x {fh:.0f} pt text "
                f"area (page {page:.0f}): split it, or make the theme's sizes or margins smaller")
    return "layout failed: " + " ".join(_ADDRESS.sub("", text).split())[:300]


def render_error(message: str, line: int = 0) -> BriefgenError:
    where = f" (Markdown line {line})" if line else ""
    return BriefgenError(f"PDF renderer{where}: {message}", line=line or None)


NOTES_TITLE = "Notes"
SHRINK_LIMIT = 0.75  # a figure is scaled down to fit the rest of a page by at most this much


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

    def shrunk(self, height: float) -> "FigureFlowable | None":
        """This figure scaled to ``height``, if that keeps at least SHRINK_LIMIT of its size
        (its smallest labels, 6.5 pt, stay at 4.9 pt or more): rather than leave the rest of a
        page blank and start the figure on the next one (keep.py asks)."""
        scale = self.scale * height / self.height
        if scale < self.scale * SHRINK_LIMIT:
            return None
        smaller = FigureFlowable(self.drawing, scale, self.drawing.initialFontName)
        smaller.keepWithNext = self.keepWithNext
        if tagged(self) is not None:
            tag(smaller, tagged(self))
        return smaller

    def draw(self):
        if self.scale != 1:
            self.canv.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, self.canv, 0, 0)


class _RegisteredFiles(dict):
    """Font file -> registered reportlab name, for every face the theme prints with; the
    built-in script faces are registered when a figure label first needs one (figures set an
    Arabic-script label in Amiri, as the body does)."""

    def __init__(self, s):
        super().__init__()
        self.styles = s
        theme = s.theme
        self._add(zip((theme.heading_font, theme.body_font, theme.mono_font,
                       *theme.fallback_fonts),
                      (s.heading_font, s.body_font, s.mono_font, *s.fallbacks)))

    def _add(self, pairs) -> None:
        for family, names in pairs:
            for path, name in zip(family.faces, (names.regular, names.bold, names.italic,
                                                 names.bold_italic)):
                self.setdefault(str(path), name)

    def __missing__(self, path: str) -> str:
        s = self.styles
        self._add(zip(s._script_families, s.script_fonts()))
        if path not in self:
            raise KeyError(path)
        return self[path]


class PrintBlocks:
    def print_setup(self, doc: Document, frame_height: float) -> None:
        self.notes = doc.notes
        self.frame_height = frame_height
        self.toc_forms = 0
        self.notes_printed = False
        # A PDF has no page-foot notes: when the template lists none (no ``::: notes``), they
        # are listed at the end, so the sources are never left out (the DOCX has footnotes).
        self.notes_at_end = bool(doc.notes) and not lists_notes(doc)
        self.note_targets = {n.number for n in doc.notes}

    # --- the document and its cover ---------------------------------------------------------

    def document(self, doc: Document, ctx) -> list[Flowable]:
        out: list[Flowable] = []
        if doc.cover is not None:
            out += self.cover(doc.cover, replace(ctx, line=doc.cover.line or ctx.line))
        out += self.blocks(doc.children, ctx)  # all at once: a heading sees what follows it
        if self.notes_at_end:
            out += self.blocks([Heading(level=2, children=[Text(NOTES_TITLE)]), NotesList()], ctx)
        return out

    def cover(self, node, ctx) -> list[Flowable]:
        s = self.s
        flows: list[Flowable] = []
        title_at = None
        ruled = False
        for child in node.children:
            c = replace(ctx, line=getattr(child, "line", 0) or ctx.line)
            if isinstance(child, Heading) and child.level == 1 and title_at is None:
                flows += self.heading(child, c, s.cover_title, 0)
                title_at = len(flows)
            elif isinstance(child, Subtitle):
                markup = self.inline(child.children, c, s.cover_subtitle.fontName)
                flows.append(self.para(markup, s.cover_subtitle, c))
                self.tags.leaf(flows[-1:], "P")
            else:
                if title_at is not None and not ruled:
                    flows.append(HRFlowable(width="100%", thickness=0.75, color=s.rule,
                                            spaceBefore=18, spaceAfter=14, hAlign="LEFT"))
                    ruled = True
                flows += self.blocks([child], replace(c, para=s.cover_meta))
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
        p.outline = (key(node.anchor), title, 1)
        self.tags.leaf([p], self.tags.heading(2))
        toc = ContentsTable(s.toc_levels, s.muted, s.heading_font.regular)
        self.tags.open("TOC")
        for heading in node.entries:  # levels 2 and 3: the table's levels 0 and 1
            level = heading.level - 2
            text = " ".join(plain_text(heading.children).split()) or "(untitled)"
            markup = self.inline([Text(text)], ctx, s.toc_levels[level].fontName)
            self.toc_forms += 1
            toc.add(level, markup, key(heading.anchor), f"briefgen-toc-{self.toc_forms}",
                    self.tags.leaf([], "TOCI"))
            self.tags.links.setdefault(key(heading.anchor), text)
        self.tags.close()
        return [p, toc]

    # --- notes --------------------------------------------------------------------------------

    def note_ref(self, node, out: list[str], ctx) -> None:
        self.note_refs([node], out)

    def note_refs(self, nodes, out: list[str]) -> None:
        parts = []
        for node in nodes:
            n = int(node.number)
            if n in self.note_targets and not self._in_link:
                self.tags.links.setdefault(f"note-{n}", f"Note {n}")
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
        marks: list[Element] = []
        rtl: list[bool] = []  # each note's direction: its label at its text's start (list_direction)
        for note in self.notes:
            if note.number in seen:
                continue
            seen.add(note.number)
            markup = self.inline(note.children, ctx, s.note.fontName)
            if anchors:
                markup = f'<a name="note-{int(note.number)}"/>{markup}'
            items.append((f"{note.number}.", self.para(markup, s.note, ctx)))
            # a Note (with the ID its references point to) holds its number (Lbl) and text
            self.tags.open("LI")
            self.tags.open("LBody")
            note_element = self.tags.open("Note", id=f"note-{int(note.number)}" if anchors
                                          else None)
            rtl.append(rtl_text(note.children))
            marks.append(Element("Lbl", note_element,
                                 actual=f"{note.number}." if rtl[-1] else None))
            self.tags.leaf([items[-1][1]], "P")
            for _ in range(3):
                self.tags.close()
        if not items:
            return []
        digits = max(len(label) for label, _ in items) - 1
        indent = 16 + 5.5 * digits
        params = mirrored([label for label, _ in items], rtl, indent, bulletAlign="right")
        flow = ListFlowable([RLListItem([p], **param) for (_, p), param in zip(items, params)],
                            bulletType="bullet", start=items[0][0], leftIndent=indent,
                            bulletAlign="right", bulletDedent=5,
                            bulletFontName=s.body_font.regular, bulletFontSize=s.note.fontSize,
                            bulletColor=s.accent, spaceBefore=0, spaceAfter=s.body.spaceAfter)
        tag_labels(flow, marks)
        return [flow]

    # --- figures and page breaks --------------------------------------------------------------

    def figure(self, node, ctx) -> list[Flowable]:
        from ...figures.build import figure_drawing, figure_size
        s = self.s
        style = s.caption
        caption = " ".join(node.caption.split())
        markup = f"<b>Figure {node.number}{':' if caption else ''}</b>"
        if caption:
            markup += " " + self.inline([Text(caption)], ctx, style.fontName)
        cap = self.para(markup, style, ctx)
        w, h = figure_size(node, ctx.width, s.theme)
        drawing = figure_drawing(node, ctx.width, s.theme, s.heading_font,
                                 glyph_text(_RegisteredFiles(s)))
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
        # the words a reader who cannot see it is told (document/alttext.py); without them, what
        # the caption says, so that no figure is a picture without words
        alt = " ".join(node.alt.split()) or f"Figure {node.number}{': ' if caption else ''}{caption}"
        self.tags.leaf([flowable], "Figure", alt=alt)
        self.tags.leaf([cap], "Caption")
        return [flowable, cap]

    def page_break(self, node, ctx) -> list[Flowable]:
        return [PageBreakIfNotEmpty()]
