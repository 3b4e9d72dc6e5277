"""HTML renderer: Document tree -> one self-contained HTML file (inline CSS, inline SVG).

``render_html(doc, theme, created)`` draws a resolved document (document/resolve.py decides the
cover, the subtitle, which links are clickable and where they lead, anchors, figure numbers), as
the PDF and DOCX renderers do, so the three carry the same words in the same order and the same
links (tests/test_parity.py). Every node type has a handler in ``_BLOCKS`` / ``_INLINES``; one
without is an error, never skipped.

Content text never becomes markup: every text and attribute value goes through ``html.escape``;
links are only those resolve made "external" (http/https with a host, mailto with an address)
or "internal" (a heading of the document). The file makes no request: figures are inline SVG,
workspace images and the theme's logo are ``data:`` URIs, there are no scripts. Same document,
theme and ``created``: the same bytes.

Accessibility: headings, lists, tables with ``th scope``, ``figure``/``figcaption`` with the
figure's alt text (``Figure.alt``) on its picture, ``lang``/``dir`` on right-to-left text, notes
as links both ways. What is page furniture in the other formats (marking banners, the cover's
organisation and copy lines, the watermark) carries the class ``furniture``.
"""
from __future__ import annotations

import base64
import datetime
from html import escape
from pathlib import Path
from typing import Callable

from ...document.nodes import (CALLOUT_KINDS, BlockQuote, BulletList, Callout, Code, CodeBlock,
                               Contents, Document, Emph, Figure, Heading, HorizontalRule, Image,
                               LineBreak, Link, NoteRef, NotesList, OrderedList, PageBreak,
                               Paragraph, Strike, Strong, Subtitle, Table, Text, is_byline,
                               lists_notes, plain_text, require_resolved,
                               with_note_groups)
from ...errors import BriefgenError
from ...fonts.scripts import bidi_language, rtl_paragraph, segments
from ...theme.model import Theme
from .css import family, stylesheet
from .fonts import ScriptText

__all__ = ["render_html"]

# a box's role and name for assistive technology (a name on a plain div is not announced; a
# key judgment is one of many, named by its own text)
_CALLOUT_ROLES = {"bluf": ' role="region" aria-label="Bottom line"',
                  "note": ' role="note" aria-label="Note"',
                  "warning": ' role="note" aria-label="Warning"', "judgment": ""}
_IMAGE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def esc(text: str) -> str:
    return escape(text, quote=True)


def render_html(doc: Document, theme: Theme, created: datetime.datetime) -> bytes:
    """The HTML file's bytes (UTF-8)."""
    require_resolved(doc, "render_html")
    return _Writer(doc, theme).page(created).encode("utf-8")


def _error(message: str, line: int = 0) -> BriefgenError:
    where = f" (Markdown line {line})" if line else ""
    return BriefgenError(f"HTML{where}: {message}", line=line or None)


class _Writer:
    def __init__(self, doc: Document, theme: Theme):
        self.doc, self.theme, self.info = doc, theme, doc.info
        self.out: list[str] = []
        self.line = 0
        self.in_link = 0
        self.notes = {n.number: n for n in doc.notes}
        self.notes_listed = lists_notes(doc)
        self.notes_printed = False
        self.cited: set[int] = set()  # notes whose first mark has an id to link back to
        self.script_text = ScriptText(theme)
        # figures are laid out for the PDF's text width: the same picture in every format
        self.figure_width = theme.page_size[0] - theme.margin_left - theme.margin_right

    # --- the page ---------------------------------------------------------------------------

    def page(self, created: datetime.datetime) -> str:
        info = self.info
        o = self.out
        lang = info.language if isinstance(info.language, str) and info.language else "en"
        o.append(f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
                 '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                 f"<title>{esc(' '.join(info.title.split()))}</title>\n"
                 '<meta name="generator" content="briefgen">\n')
        meta = [("author", ", ".join(info.authors)), ("description", info.subtitle),
                ("keywords", ", ".join(self.keywords())),
                ("dcterms.created", created.date().isoformat())]
        for name, value in meta:
            value = " ".join(str(value).split())
            if value:
                o.append(f'<meta name="{name}" content="{esc(value)}">\n')
        o.append(f"<style>\n{stylesheet(self.theme, info.marking)}")
        at = len(o)  # the script face's rules go here, once the text is known
        o.append("</style>\n</head>\n<body>\n")
        self.marking("top")
        if info.watermark:
            o.append(f'<div class="watermark furniture" aria-hidden="true">'
                     f"{esc(info.watermark)}</div>\n")
        if self.doc.cover is not None:
            self.cover(self.doc.cover)
        elif info.copy is not None:
            self.copy_block()
        o.append("<main>\n")
        self.blocks(self.doc.children)
        if self.doc.notes and not self.notes_listed:
            self.endnotes()
        o.append("</main>\n")
        self.marking("bottom")
        o.append("</body>\n</html>\n")
        o.insert(at, self.script_text.css())
        return "".join(o)

    def keywords(self) -> list[str]:
        out: list[str] = []
        for k in (*self.info.keywords, self.info.marking):
            k = " ".join(str(k).split())
            if k and k not in out:
                out.append(k)
        return out

    def marking(self, where: str) -> None:
        marking = " ".join(self.info.marking.split())
        if marking:
            self.out.append(f'<p class="marking {where} furniture" role="note" '
                            f'aria-label="Marking">{esc(marking)}</p>\n')

    def cover(self, node: Callout) -> None:
        o = self.out
        o.append('<header class="cover">\n')
        if self.theme.logo:
            o.append(f'<p class="furniture"><img class="logo" alt="Logo" '
                     f'src="{self.data_uri(Path(self.theme.logo), "theme: the logo")}"></p>\n')
        organisation = " ".join(self.info.organisation.split())
        if organisation:
            o.append(f'<p class="organisation furniture">{esc(organisation)}</p>\n')
        for child in node.children:
            if isinstance(child, Heading) and child.level == 1:
                self.heading(child, title=True)
            else:
                self.block(child)
        if self.info.copy is not None:
            self.copy_block()
        o.append("</header>\n")

    def copy_block(self) -> None:
        copy = self.info.copy
        recipient = " ".join(copy.recipient.split())
        self.out.append(f'<p class="copy furniture"><strong>{esc(copy.label)}</strong>'
                        + (f"<br>Issued to: <strong>{esc(recipient)}</strong>" if recipient
                           else "") + "</p>\n")

    # --- blocks -----------------------------------------------------------------------------

    def blocks(self, nodes) -> None:
        for k, node in enumerate(nodes):
            if k and isinstance(nodes[k - 1], Heading) and is_byline(node):
                self.paragraph(node, "byline")
            else:
                self.block(node)

    def block(self, node) -> None:
        line = getattr(node, "line", 0)
        if isinstance(line, int) and line:
            self.line = line
        handler = _handler(_BLOCKS, node)
        if handler is None:
            raise _error(f"cannot render a {type(node).__name__} node", self.line)
        handler(self, node)

    def dir_attr(self, inlines) -> str:
        return ' dir="rtl"' if rtl_paragraph(plain_text(inlines)) else ""

    def heading(self, node: Heading, title: bool = False) -> None:
        if not isinstance(node.level, int) or not 1 <= node.level <= 6:
            raise _error(f"heading level must be 1 to 6, not {node.level!r}", self.line)
        cls = ' class="title"' if title else ""
        self.out.append(f'<h{node.level} id="{esc(node.anchor)}"{cls}'
                        f"{self.dir_attr(node.children)}>")
        self.inlines(node.children)
        self.out.append(f"</h{node.level}>\n")

    def paragraph(self, node: Paragraph, cls: str = "") -> None:
        attr = f' class="{cls}"' if cls else ""
        self.out.append(f"<p{attr}{self.dir_attr(node.children)}>")
        self.inlines(node.children)
        self.out.append("</p>\n")

    def subtitle(self, node: Subtitle) -> None:
        self.out.append(f'<p class="subtitle"{self.dir_attr(node.children)}>')
        self.inlines(node.children)
        self.out.append("</p>\n")

    def bullet_list(self, node: BulletList) -> None:
        self.items("<ul>\n", node.items, "</ul>\n")

    def ordered_list(self, node: OrderedList) -> None:
        start = node.start
        if not isinstance(start, int) or start < 0:
            raise _error(f"an ordered list must start at a number >= 0, not {start!r}", self.line)
        self.items("<ol>\n" if start == 1 else f'<ol start="{start}">\n', node.items, "</ol>\n")

    def items(self, open_tag: str, items, close_tag: str) -> None:
        self.out.append(open_tag)
        for item in items:
            # a right-to-left item (its first paragraph's first strong letter, as in the PDF
            # and DOCX) has its marker on the right
            first = next((b for b in item.children if isinstance(b, Paragraph)), None)
            self.out.append(f"<li{self.dir_attr(first.children) if first else ''}>")
            self.blocks(item.children)
            self.out.append("</li>\n")
        self.out.append(close_tag)

    def table(self, node: Table) -> None:
        ncols = max([len(node.header)] + [len(r) for r in node.rows])
        if ncols == 0:
            return
        o = self.out
        o.append("<table>\n")
        if node.header:
            o.append("<thead><tr>")
            for cell in node.header + [None] * (ncols - len(node.header)):
                self.cell("th", cell, ' scope="col"')
            o.append("</tr></thead>\n")
        o.append("<tbody>\n")
        for row in node.rows:
            o.append("<tr>")
            for cell in row + [None] * (ncols - len(row)):
                self.cell("td", cell)
            o.append("</tr>\n")
        o.append("</tbody>\n</table>\n")

    def cell(self, tag: str, cell, scope: str = "") -> None:
        if cell is None:
            self.out.append(f"<{tag}{scope}></{tag}>")
            return
        if cell.align not in ("", "left", "center", "right"):
            raise _error(f"table cell alignment {cell.align!r} is not left, center or right",
                         self.line)
        cls = f' class="al-{cell.align}"' if cell.align else ""
        self.out.append(f"<{tag}{scope}{cls}{self.dir_attr(cell.children)}>")
        self.inlines(cell.children)
        self.out.append(f"</{tag}>")

    def quote(self, node: BlockQuote) -> None:
        self.out.append("<blockquote>\n")
        self.blocks(node.children)
        self.out.append("</blockquote>\n")

    def callout(self, node: Callout) -> None:
        if node.kind not in CALLOUT_KINDS:
            raise _error(f"unknown callout kind {node.kind!r} (known: "
                         f"{', '.join(CALLOUT_KINDS)})", self.line)
        if node.kind == "titleblock":  # one that does not open the document prints in place
            self.out.append('<div class="titleblock">\n')
            for child in node.children:
                if isinstance(child, Heading) and child.level == 1:
                    self.heading(child, title=True)
                else:
                    self.block(child)
            self.out.append("</div>\n")
            return
        self.out.append(f'<div class="box {node.kind}"{_CALLOUT_ROLES[node.kind]}>\n')
        self.blocks(node.children)
        self.out.append("</div>\n")

    def code_block(self, node: CodeBlock) -> None:
        text = node.text.replace("\r\n", "\n").rstrip("\n")
        self.out.append(f"<pre><code>{escape(text, quote=False)}</code></pre>\n")

    def image(self, node: Image) -> None:
        src = self.data_uri(Path(node.path), f"image {node.path}")
        self.out.append(f'<p class="image"><img src="{src}" alt="{esc(node.alt)}" '
                        f'width="{int(node.width)}" height="{int(node.height)}"></p>\n')

    def data_uri(self, path: Path, what: str) -> str:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise _error(f"cannot read {what}: {exc.strerror or exc}", self.line) from None
        kind = next((t for magic, t in _IMAGE_TYPES.items() if data.startswith(magic)), None)
        if kind is None:
            raise _error(f"{what} is not a PNG or JPEG file", self.line)
        return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"

    def rule(self, node: HorizontalRule) -> None:
        self.out.append("<hr>\n")

    def page_break(self, node: PageBreak) -> None:
        self.out.append('<div class="page-break" aria-hidden="true"></div>\n')

    def contents(self, node: Contents) -> None:
        o = self.out
        title = " ".join(node.title.split()) if isinstance(node.title, str) else ""
        title = title or "Contents"
        o.append(f'<nav class="contents" aria-labelledby="{esc(node.anchor)}">\n'
                 f'<h2 id="{esc(node.anchor)}">{esc(title)}</h2>\n<ol>\n')
        depth, parent = 0, False  # a level-3 entry nests under the level-2 entry before it
        for i, heading in enumerate(node.entries):
            level = 1 if heading.level >= 3 and parent else 0
            parent = parent or heading.level < 3
            if i:
                if level > depth:
                    o.append("\n<ol>\n")
                else:
                    o.append("</li>\n")
                    if level < depth:
                        o.append("</ol></li>\n")
            depth = level
            text = " ".join(plain_text(heading.children).split()) or "(untitled)"
            o.append(f'<li><a href="#{esc(heading.anchor)}">{esc(text)}</a>')
        if node.entries:
            o.append("</li>\n" + "</ol></li>\n" * depth)
        o.append("</ol>\n</nav>\n")

    def notes_list(self, node: NotesList) -> None:
        ids = not self.notes_printed  # a second list would repeat the ids
        self.notes_printed = True
        self.note_items('<ol class="notes">\n', ids)

    def endnotes(self) -> None:
        """Notes cited but not listed (the DOCX's footnotes), after the body, so the marks
        lead somewhere."""
        self.out.append('<section class="endnotes" role="doc-endnotes" aria-label="Notes">\n')
        self.note_items('<ol class="notes">\n', True)
        self.out.append("</section>\n")

    def note_items(self, open_tag: str, ids: bool) -> None:
        o = self.out
        o.append(open_tag)
        for number in sorted(self.notes):
            note = self.notes[number]
            anchor = f' id="note:{number}"' if ids else ""
            o.append(f'<li value="{number}"{anchor}{self.dir_attr(note.children)}>')
            self.inlines(note.children)
            if ids and number in self.cited:
                o.append(f' <a href="#cite:{number}" role="doc-backlink" '
                         f'aria-label="Back to the text">\u21a9</a>')
            o.append("</li>\n")
        o.append("</ol>\n")

    def figure(self, node: Figure) -> None:
        from ...figures.build import figure_svg
        caption = " ".join(node.caption.split()) if isinstance(node.caption, str) else ""
        alt = " ".join(node.alt.split()) if isinstance(node.alt, str) else ""
        cap_id = f"figure:{node.number}"
        svg = figure_svg(node, self.figure_width, self.theme,
                         family(self.theme.heading_font, "sans-serif"), alt, cap_id)
        self.out.append(f'<figure class="chart">\n{svg}\n<figcaption id="{cap_id}">'
                        f"<strong>Figure {node.number}{':' if caption else ''}</strong>"
                        + (f" {esc(caption)}" if caption else "") + "</figcaption>\n</figure>\n")

    # --- inlines ----------------------------------------------------------------------------

    def inlines(self, nodes) -> None:
        for node in with_note_groups(nodes):
            if type(node) is list:  # adjacent marks print as one: "1, 3"
                self.note_refs(node)
                continue
            handler = _handler(_INLINES, node)
            if handler is None:
                raise _error(f"cannot render a {type(node).__name__} node", self.line)
            handler(self, node)

    def text(self, node: Text) -> None:
        text = node.text.replace("\r\n", " ").replace("\n", " ")
        if text.isascii():
            self.out.append(escape(text, quote=False))
            return
        for kind, piece in segments(text):
            if kind == "rtl":
                self.script_text.add(piece)
                self.out.append(f'<span lang="{bidi_language(piece)}" dir="rtl">'
                                f"{escape(piece, quote=False)}</span>")
            elif kind == "cjk" and self.script_text.add_cjk(piece):
                self.out.append(f'<span class="cjk">{escape(piece, quote=False)}</span>')
            else:
                self.out.append(escape(piece, quote=False))

    def wrap(self, tag: str, node) -> None:
        self.out.append(f"<{tag}>")
        self.inlines(node.children)
        self.out.append(f"</{tag}>")

    def code(self, node: Code) -> None:
        self.out.append(f"<code>{escape(node.text.replace(chr(10), ' '), quote=False)}</code>")

    def line_break(self, node: LineBreak) -> None:
        self.out.append("<br>")

    def link(self, node: Link) -> None:
        if node.kind == "external":
            href = node.target
        elif node.kind == "internal" and node.target in self.doc.headings:
            href = "#" + node.target
        else:  # resolve found nothing safe to link to: the text only
            self.inlines(node.children)
            return
        self.out.append(f'<a href="{esc(href)}">')
        self.in_link += 1
        self.inlines(node.children)
        self.in_link -= 1
        self.out.append("</a>")

    def note_refs(self, nodes) -> None:
        parts = []
        for node in nodes:
            n = node.number
            if not isinstance(n, int) or n not in self.notes:
                raise _error(f"citation [{n}] has no note", self.line)
            if self.in_link:
                parts.append(str(n))
                continue
            anchor = "" if n in self.cited else f' id="cite:{n}"'
            self.cited.add(n)
            parts.append(f'<a href="#note:{n}"{anchor} role="doc-noteref" '
                         f'aria-label="Note {n}">{n}</a>')
        self.out.append(f"<sup>{', '.join(parts)}</sup>")


def _handler(table: dict[type, Callable], node) -> Callable | None:
    for cls in type(node).__mro__:
        handler = table.get(cls)
        if handler is not None:
            return handler
    return None


_BLOCKS: dict[type, Callable] = {
    Heading: _Writer.heading, Paragraph: _Writer.paragraph, Subtitle: _Writer.subtitle,
    BulletList: _Writer.bullet_list, OrderedList: _Writer.ordered_list, Table: _Writer.table,
    BlockQuote: _Writer.quote, Callout: _Writer.callout, CodeBlock: _Writer.code_block,
    Image: _Writer.image, HorizontalRule: _Writer.rule, PageBreak: _Writer.page_break,
    Contents: _Writer.contents, NotesList: _Writer.notes_list, Figure: _Writer.figure,
}

_INLINES: dict[type, Callable] = {
    Text: _Writer.text, Code: _Writer.code, LineBreak: _Writer.line_break, Link: _Writer.link,
    Strong: lambda self, node: self.wrap("strong", node),
    Emph: lambda self, node: self.wrap("em", node),
    Strike: lambda self, node: self.wrap("s", node),
    NoteRef: lambda self, node: self.note_refs([node]),
}
