"""Markdown (CommonMark + tables + strikethrough + ``:::`` blocks) -> Document tree."""
from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import nodes as d
from ..errors import TemplateError

if TYPE_CHECKING:
    from .images import ImageFile

_md: MarkdownIt | None = None

# Columns of a table: on the narrowest page a theme allows, each still holds a few letters.
MAX_COLUMNS = 24
# Lists, quotes and boxes inside each other: each level is two of markdown-it's levels (the
# list and its item). Deeper than this neither renderer has room to indent.
MAX_DEPTH = 9


class TooDeep(Exception):
    """markdown-it reached its nesting limit at this (0-based) line: it would drop the rest of
    the document without a word, so the parse stops with an error instead."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def _parser() -> MarkdownIt:
    global _md
    if _md is None:
        # html=False: raw HTML in content is shown as the literal text the analyst typed.
        md = MarkdownIt("commonmark", {"html": False, "maxNesting": 2 * MAX_DEPTH + 2}
                        ).enable(["table", "strikethrough"])
        container_plugin(md, "box", validate=lambda params, markup: bool(params.strip()))
        # Footnotes carry citations: the template writes [^n] marks and [^n]: definitions.
        footnote_plugin(md)
        tokenize = md.block.tokenize

        def bounded_tokenize(state, start: int, end: int) -> None:
            # markdown-it's own check at this limit skips "the tail to the end" of the
            # document; the nested rules call md.block.tokenize, so this sees every level.
            if state.level >= state.md.options.maxNesting:
                line = state.skipEmptyLines(start)
                if line < end and state.sCount[line] >= state.blkIndent:
                    raise TooDeep(line)
            tokenize(state, start, end)

        md.block.tokenize = bounded_tokenize  # type: ignore[method-assign]
        _md = md
    return _md


# kind -> data for ``::: figure KIND``; None leaves the figure out (too little data to draw).
FigureSource = Callable[[str], "d.TimelineData | d.RelationMapData | None"]


# src -> the checked image file, or None to print the alt text (briefgen.document.images.ImageResolver,
# which also records why an image was refused, with the Markdown line).
ImageSource = Callable[[str, int], "ImageFile | None"]


def parse_markdown(text: str, info: d.DocumentInfo, origin: str = "template output",
                   figures: FigureSource | None = None,
                   images: ImageSource | None = None) -> d.Document:
    """``images`` decides which ``![alt](src)`` are embedded; without it every image prints as
    its alt text."""
    builder = _Builder(origin, figures, images, text.splitlines())
    try:
        tokens = _parser().parse(text)
    except TooDeep as e:
        raise TooMuchError(f"lists, quotes or boxes are nested more than {MAX_DEPTH} levels "
                           "deep here: nothing after this line could be printed; nest fewer "
                           "levels (or write the inner items as plain lines)",
                           builder.source[e.line], origin, e.line + 1) from None
    children = builder.blocks(_nest(tokens))
    return d.Document(info, [c for c in children if c is not None], builder.notes)


class TooMuchError(TemplateError):
    """Markdown a renderer has no room for (nested past MAX_DEPTH, a table wider than
    MAX_COLUMNS); ``text`` is its Markdown line, so the caller can find the content field it
    came from."""

    def __init__(self, message: str, text: str, origin: str, line: int):
        super().__init__(message, origin, line)
        self.text = text


class Node:
    """A token with its children: an ``*_open`` ... ``*_close`` pair (type without ``_open``)
    or a single token (an ``inline`` one's children are its inline tokens). What markdown-it's
    SyntaxTreeNode gives, built in one pass over the tokens in about half its time."""

    __slots__ = ("type", "tag", "attrs", "content", "info", "map", "meta", "markup", "children")

    def __init__(self, token: Token, type_: str, children: list[Node]):
        self.type, self.children = type_, children
        self.tag, self.attrs, self.content = token.tag, token.attrs, token.content
        self.info, self.map, self.meta, self.markup = token.info, token.map, token.meta, \
            token.markup


def _nest(tokens: list[Token]) -> list[Node]:
    top: list[Node] = []
    stack = [top]
    for token in tokens:
        if token.nesting == 1:
            node = Node(token, token.type.removesuffix("_open"), [])
            stack[-1].append(node)
            stack.append(node.children)
        elif token.nesting == -1:
            stack.pop()
        else:
            stack[-1].append(Node(token, token.type,
                                  _nest(token.children) if token.children else []))
    return top


def _align(node: Node) -> str:
    style = str(node.attrs.get("style", ""))
    m = re.search(r"text-align:(\w+)", style)
    return m.group(1) if m else ""


def _alt_only(nodes: list) -> list:
    """Inlines with every image replaced by its alt text (for places that hold text only)."""
    out = []
    for node in nodes:
        if isinstance(node, d.Image):
            node = d.Text(node.alt)
        elif isinstance(node, (d.Strong, d.Emph, d.Strike, d.Link)) and \
                any(not isinstance(c, d.Text) for c in node.children):
            node = dataclasses.replace(node, children=_alt_only(node.children))
        if isinstance(node, d.Text) and out and isinstance(out[-1], d.Text):
            out[-1] = d.Text(out[-1].text + node.text)
        elif not (isinstance(node, d.Text) and not node.text):
            out.append(node)
    return out


def _blank(nodes: list) -> bool:
    return all(isinstance(n, d.LineBreak) or (isinstance(n, d.Text) and not n.text.strip())
               for n in nodes)


class _Builder:
    def __init__(self, origin: str, figures: FigureSource | None = None,
                 images: ImageSource | None = None, source: list[str] | None = None):
        self.origin = origin
        self.source = source or []  # the Markdown's lines, to quote in errors
        self.figures = figures
        self.images = images
        self.block_line = 0  # the line of the block being built, for image warnings
        self.notes: list[d.Note] = []
        self.anchors: set[str] = set()
        self.block_handlers = {
            "paragraph": self.paragraph,
            "heading": self.heading,
            "bullet_list": self.bullet_list,
            "ordered_list": self.ordered_list,
            "table": self.table,
            "blockquote": self.blockquote,
            "container_box": self.container,
            "code_block": self.code,
            "fence": self.code,
            "hr": lambda n: d.HorizontalRule(line=self.line(n)),
            "footnote_block": self.footnotes,
        }
        self.inline_handlers = {
            "text": lambda n: [d.Text(n.content)],
            "softbreak": lambda n: [d.Text(" ")],
            "hardbreak": lambda n: [d.LineBreak()],
            "code_inline": lambda n: [d.Code(n.content)],
            "strong": lambda n: [d.Strong(self.inlines(n.children))],
            "em": lambda n: [d.Emph(self.inlines(n.children))],
            "s": lambda n: [d.Strike(self.inlines(n.children))],
            "link": lambda n: [d.Link(str(n.attrs.get("href", "")), self.inlines(n.children))],
            "image": self.image,
            "html_inline": lambda n: [d.Text(n.content)],
            "footnote_ref": lambda n: [d.NoteRef(int(n.meta["id"]) + 1)],
        }

    @staticmethod
    def line(node: Node) -> int:
        return node.map[0] + 1 if node.map else 0

    def blocks(self, nodes) -> list[d.Block]:
        out = []
        for node in nodes:
            handler = self.block_handlers.get(node.type)
            if handler is None:
                raise TemplateError(f"unsupported Markdown element '{node.type}'", self.origin,
                                    self.line(node))
            self.block_line = self.line(node) or self.block_line
            block = handler(node)
            if isinstance(block, list):  # a paragraph split around its images
                out += block
            elif block is not None:
                out.append(block)
        return out

    def image(self, node: Node) -> list:
        alt = " ".join(d.plain_text(_alt_only(self.inlines(node.children))).split())
        found = self.images(str(node.attrs.get("src", "")), self.block_line) \
            if self.images else None
        if found is None:
            return [d.Text(alt)]
        return [d.Image(str(found.path), alt, found.width, found.height,
                        line=self.block_line)]

    def footnotes(self, node):
        for note in node.children:
            inlines: list[d.Inline] = []
            for para in note.children:
                if para.type == "paragraph":
                    if inlines:
                        inlines.append(d.LineBreak())
                    inlines += _alt_only(self._inline_children(para))
            self.notes.append(d.Note(int(note.meta["id"]) + 1, inlines))
        self.notes.sort(key=lambda n: n.number)
        return None

    def inlines(self, nodes) -> list[d.Inline]:
        out: list[d.Inline] = []
        for node in nodes:
            handler = self.inline_handlers.get(node.type)
            if handler is None:
                raise TemplateError(f"unsupported Markdown element '{node.type}'", self.origin)
            for item in handler(node):
                if isinstance(item, d.Text) and not item.text:
                    continue
                # Merging adjacent text keeps the tree (and the PDF/DOCX runs) small.
                if isinstance(item, d.Text) and out and isinstance(out[-1], d.Text):
                    out[-1] = d.Text(out[-1].text + item.text)
                else:
                    out.append(item)
        return out

    def _inline_children(self, node: Node) -> list[d.Inline]:
        return self.inlines(node.children[0].children) if node.children else []

    def paragraph(self, node):
        line = self.line(node)
        children = self._inline_children(node)
        if not any(isinstance(c, d.Image) for c in children):
            return d.Paragraph(_alt_only(children), line=line)
        # each image on its own; the text around it stays in paragraphs of its own
        blocks: list[d.Block] = []
        run: list[d.Inline] = []
        for child in children + [None]:
            if child is None or isinstance(child, d.Image):
                if not _blank(run):
                    blocks.append(d.Paragraph(_alt_only(run), line=line))
                run = []
                if child is not None:
                    blocks.append(child)
            else:
                run.append(child)
        return blocks

    def heading(self, node):
        children = _alt_only(self._inline_children(node))
        return d.Heading(int(node.tag[1]), children, self._anchor(d.plain_text(children)),
                         line=self.line(node))

    def _anchor(self, text: str) -> str:
        return d.unique_name(d.slug(text), self.anchors)

    def _items(self, node):
        return [d.ListItem(self.blocks(item.children), line=self.line(item))
                for item in node.children]

    def bullet_list(self, node):
        return d.BulletList(self._items(node), line=self.line(node))

    def ordered_list(self, node):
        start = int(node.attrs.get("start", 1))
        return d.OrderedList(self._items(node), start=start, line=self.line(node))

    def table(self, node):
        columns = max(len(tr.children) for section in node.children for tr in section.children)
        if columns > MAX_COLUMNS:
            line = self.line(node)
            raise TooMuchError(f"a table of {columns} columns: at most {MAX_COLUMNS} fit across a "
                               "page; split it, or turn it so that its columns become rows",
                               self.source[line - 1] if line else "", self.origin, line)
        header: list[d.TableCell] = []
        rows: list[list[d.TableCell]] = []
        for section in node.children:
            for tr in section.children:
                cells = [d.TableCell(_alt_only(self._inline_children(c)), _align(c))
                         for c in tr.children]
                if section.type == "thead":
                    header = cells
                else:
                    rows.append(cells)
        return d.Table(header, rows, line=self.line(node))

    def blockquote(self, node):
        return d.BlockQuote(self.blocks(node.children), line=self.line(node))

    def container(self, node):
        words = node.info.split(maxsplit=2)
        kind = words[0] if words else ""
        line = self.line(node)
        if kind in d.CALLOUT_KINDS:
            return d.Callout(kind, self.blocks(node.children), line=line)
        if kind == "pagebreak":
            return d.PageBreak(line=line)
        if kind == "contents":
            return d.Contents(node.info.split(maxsplit=1)[1].strip() if len(words) > 1
                              else "Contents", line=line)
        if kind == "notes":
            return d.NotesList(line=line)
        if kind == "figure":
            return self.figure(words, line, self.figure_alt(node, line))
        raise TemplateError(f"unknown block '::: {kind}': use one of "
                            f"{', '.join(d.CALLOUT_KINDS + d.DIRECTIVES)}", self.origin, line)

    def figure_alt(self, node: Node, line: int) -> str:
        """The ``alt: TEXT`` line a ``::: figure`` block may hold, taken as typed (like the
        caption, it is not Markdown); the block holds nothing else."""
        alt = ""
        for child in node.children:
            raw = child.children[0].content if child.type == "paragraph" and child.children \
                else ""
            if not raw.startswith("alt:") or alt:
                raise TemplateError("a '::: figure' block holds one line 'alt: TEXT' (what the "
                                    "figure shows, for readers who cannot see it) and nothing "
                                    "else", self.origin, self.line(child) or line)
            alt = " ".join(raw[4:].split()) or " "
        return alt.strip()

    def figure(self, words: list[str], line: int, alt: str = ""):
        figure_kind = words[1] if len(words) > 1 else ""
        if figure_kind not in ("timeline", "relation-map"):
            raise TemplateError(f"unknown figure '{figure_kind}': use timeline or relation-map",
                                self.origin, line)
        data = self.figures(figure_kind) if self.figures else None
        if data is None:
            return None
        return d.Figure(figure_kind, data, words[2].strip() if len(words) > 2 else "", line=line,
                        alt=alt)

    def code(self, node):
        return d.CodeBlock(node.content.rstrip("\n"), line=self.line(node))
