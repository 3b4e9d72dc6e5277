"""The resolve pass: what the PDF and the DOCX must agree on, decided once, before either draws.

``resolve(doc)`` settles, in place, and marks the document resolved (renderers refuse one that
is not):

- the cover: a title block that opens the document, and has something in it, is the cover page
  (``Document.cover``, taken out of ``children``); a title block anywhere else prints in place;
- the subtitle: in a title block, the paragraph right after its first level-1 heading, when it is
  all emphasis, becomes a ``Subtitle``;
- headings: a unique, non-empty ``anchor`` each (internal links and the PDF's destinations use
  it), a Word-safe ``bookmark``, and ``in_contents`` (levels 2-3 outside title blocks); each
  ``Contents`` gets an anchor of its own and the headings it lists (those after it);
- links: ``kind`` and ``target``. "external" only for http/https with a host and mailto with an
  address; "internal" only for ``#anchor`` of a heading in the document; anything else (another
  scheme, no host, an anchor that does not exist, a link inside a link) prints as its text;
- figures: ``number``, in document order, and ``alt``: the template's, else generated from the
  figure's data (document/alttext.py).

Markdown-it's own ``validateLink`` already drops javascript:, vbscript:, file: and data: links
while parsing; this pass is the one place that decides what stays clickable.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from . import nodes as d
from .alttext import describe

CONTENTS_LEVELS = (2, 3)
_WEB_SCHEMES = ("http", "https")
# Characters a URL keeps as they are; anything else is percent-encoded once, here, so that both
# formats carry the same target (markdown-it has already encoded what came through Markdown).
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
_BOOKMARK_CHARS = re.compile(r"[^A-Za-z0-9_]")
_BOOKMARK_LENGTH = 40  # Word ignores a bookmark whose name is longer


def resolve(doc: d.Document) -> d.Document:
    """``doc``, settled and marked resolved (a resolved document is returned as it is)."""
    if doc.resolved:
        return doc
    children = list(doc.children)
    cover = None
    first = children[0] if children else None
    if isinstance(first, d.Callout) and first.kind == "titleblock" and first.children:
        cover = children.pop(0)
    blocks = ([cover] if cover else []) + children  # in the order both formats draw them

    _Walk(doc, blocks).run()
    doc.cover, doc.children, doc.resolved = cover, children, True
    return doc


class _Walk:
    def __init__(self, doc: d.Document, blocks: list[d.Block]):
        self.doc, self.blocks = doc, blocks
        self.headings: list[tuple[d.Heading, bool]] = []  # (heading, inside a title block)
        self.contents: list[tuple[d.Contents, int]] = []  # (contents, headings before it)
        self.figures = 0

    def run(self) -> None:
        self.walk(self.blocks, False)
        taken: set[str] = set()
        anchors: dict[str, d.Heading] = {}
        for n, (heading, in_titleblock) in enumerate(self.headings, 1):
            text = d.plain_text(heading.children)
            heading.anchor = d.unique_name(heading.anchor or d.slug(text), taken)
            heading.bookmark = f"_h{n}_{_BOOKMARK_CHARS.sub('_', heading.anchor)}"[
                :_BOOKMARK_LENGTH]
            heading.in_contents = heading.level in CONTENTS_LEVELS and not in_titleblock
            anchors[heading.anchor] = heading
        for contents, before in self.contents:
            contents.anchor = d.unique_name("contents", taken)
            contents.entries = [h for h, _ in self.headings[before:] if h.in_contents]
        self.doc.headings = anchors
        # links last: an internal link may point at a heading further on
        self.links_in(self.blocks)
        for note in self.doc.notes:
            self.links(note.children, False)

    def walk(self, blocks, in_titleblock: bool) -> None:
        for node in blocks:
            if isinstance(node, d.Heading):
                self.headings.append((node, in_titleblock))
            elif isinstance(node, d.Contents):
                self.contents.append((node, len(self.headings)))
            elif isinstance(node, d.Figure):
                self.figures += 1
                node.number = self.figures
                given = " ".join(node.alt.split()) if isinstance(node.alt, str) else ""
                node.alt = given or describe(node)
            elif isinstance(node, (d.BulletList, d.OrderedList)):
                for item in node.items:
                    self.walk(item.children, in_titleblock)
            elif isinstance(node, d.Callout):
                if node.kind == "titleblock":
                    _mark_subtitle(node)
                self.walk(node.children, in_titleblock or node.kind == "titleblock")
            elif isinstance(node, d.BlockQuote):
                self.walk(node.children, in_titleblock)

    def links_in(self, blocks) -> None:
        for node in blocks:
            if isinstance(node, (d.Heading, d.Paragraph, d.Subtitle)):
                self.links(node.children, False)
            elif isinstance(node, d.Table):
                for cell in [*node.header, *(c for row in node.rows for c in row)]:
                    self.links(cell.children, False)
            elif isinstance(node, (d.BulletList, d.OrderedList)):
                for item in node.items:
                    self.links_in(item.children)
            elif isinstance(node, (d.Callout, d.BlockQuote)):
                self.links_in(node.children)

    def links(self, inlines, in_link: bool) -> None:
        for node in inlines:
            if isinstance(node, d.Link):
                node.kind, node.target = ("text", "") if in_link else self.link(node.href)
                self.links(node.children, True)
            elif isinstance(node, (d.Strong, d.Emph, d.Strike)):
                self.links(node.children, in_link)

    def link(self, href) -> tuple[str, str]:
        if not isinstance(href, str):
            return "text", ""
        href = href.strip()
        if href.startswith("#"):
            return ("internal", href[1:]) if href[1:] in self.doc.headings else ("text", "")
        try:
            parts = urlsplit(href)
        except ValueError:  # e.g. a malformed IPv6 host
            return "text", ""
        scheme = parts.scheme.lower()
        if (scheme in _WEB_SCHEMES and parts.hostname) or (scheme == "mailto" and parts.path):
            return "external", quote(href, safe=_URL_SAFE)
        return "text", ""


def _mark_subtitle(titleblock: d.Callout) -> None:
    children = titleblock.children
    title = next((i for i, c in enumerate(children)
                  if isinstance(c, d.Heading) and c.level == 1), None)
    if title is None or title + 1 >= len(children):
        return
    after = children[title + 1]
    if (isinstance(after, d.Paragraph) and len(after.children) == 1
            and isinstance(after.children[0], d.Emph)):
        children[title + 1] = d.Subtitle(after.children[0].children, line=after.line)
