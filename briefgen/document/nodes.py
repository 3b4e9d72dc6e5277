"""The document tree: what a rendered template means, independent of PDF or DOCX.

document/markdown.py builds it from Markdown, document/resolve.py settles what both formats must
agree on (the fields marked "set by resolve"), and each renderer walks the resolved tree.
Renderers must not mutate it.
Every block carries the line of the Markdown it came from (``line``), which is how a
renderer problem can be traced back to the template output.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Iterator


# --- inline nodes -------------------------------------------------------------------------

@dataclass
class Text:
    text: str


@dataclass
class Strong:
    children: list["Inline"]


@dataclass
class Emph:
    children: list["Inline"]


@dataclass
class Strike:
    children: list["Inline"]


@dataclass
class Code:
    text: str


@dataclass
class Link:
    href: str
    children: list["Inline"]
    # set by resolve: "external" (``target`` is the URL), "internal" (``target`` is a heading's
    # anchor) or "text" (the children print as plain text)
    kind: str = ""
    target: str = ""


@dataclass
class LineBreak:
    pass


@dataclass
class NoteRef:
    """A citation mark pointing at ``Document.notes`` entry ``number`` (a numbered source).

    Adjacent NoteRefs print as one mark ("1, 3"). DOCX makes the first reference to a number a
    Word footnote and later ones references to it; PDF prints linked superscript numbers.
    """

    number: int


Inline = Text | Strong | Emph | Strike | Code | Link | LineBreak | NoteRef


# --- block nodes --------------------------------------------------------------------------

@dataclass
class Heading:
    level: int  # 1..6
    children: list[Inline]
    anchor: str = ""  # stable slug, unique within the document (made so by resolve)
    line: int = 0
    bookmark: str = ""  # set by resolve: the heading's name in a Word file (letters, digits, _)
    in_contents: bool = False  # set by resolve: listed by a Contents that precedes it


@dataclass
class Paragraph:
    children: list[Inline]
    line: int = 0


@dataclass
class Subtitle:
    """The title block's subtitle (set by resolve from the all-emphasis paragraph right after
    the title); ``children`` are the emphasised words, printed in the subtitle's own look."""

    children: list[Inline]
    line: int = 0


@dataclass
class ListItem:
    children: list["Block"]
    line: int = 0


@dataclass
class BulletList:
    items: list[ListItem]
    line: int = 0


@dataclass
class OrderedList:
    items: list[ListItem]
    start: int = 1
    line: int = 0


@dataclass
class TableCell:
    children: list[Inline]
    align: str = ""  # "", "left", "center", "right"


@dataclass
class Table:
    header: list[TableCell]
    rows: list[list[TableCell]]
    line: int = 0


@dataclass
class BlockQuote:
    children: list["Block"]
    line: int = 0


@dataclass
class Callout:
    """A ``::: kind`` block. ``kind`` is one of CALLOUT_KINDS."""

    kind: str
    children: list["Block"]
    line: int = 0


@dataclass
class CodeBlock:
    text: str
    line: int = 0


@dataclass
class Image:
    """A picture from a file inside the workspace (Markdown ``![alt](images/map.png)``).

    Checked before it gets here (briefgen.images): a whole PNG or JPEG file inside the workspace,
    ``width`` x ``height`` pixels. An image is a block: document/markdown.py splits a paragraph around it;
    where only text can go (headings, table cells, notes) it prints as its ``alt`` text.
    """

    path: str  # absolute path of the file
    alt: str
    width: int  # pixels
    height: int
    line: int = 0


@dataclass
class HorizontalRule:
    line: int = 0


@dataclass
class PageBreak:
    """``::: pagebreak`` — the next block starts a new page."""

    line: int = 0


@dataclass
class Contents:
    """``::: contents`` — a table of contents of the headings (levels 2-3) that follow."""

    title: str = "Contents"
    line: int = 0
    anchor: str = ""  # set by resolve: the name of the contents' own bookmark
    entries: list[Heading] = field(default_factory=list)  # set by resolve: the headings listed


@dataclass
class NotesList:
    """``::: notes`` — where the numbered notes (``Document.notes``) are listed."""

    line: int = 0


# --- figures: data only; briefgen.figures.build draws them for each format ----------------------

@dataclass
class TimelineEvent:
    start: datetime.date
    end: datetime.date  # == start for a day; the period's last day for a fuzzy date or a span
    label: str  # the printed date and title, e.g. "August 2021: Taliban regain control"
    significance: str = "medium"  # low / medium / high


@dataclass
class TimelineData:
    events: list[TimelineEvent]


@dataclass
class MapNode:
    id: str
    label: str
    kind: str  # actor kind: state, organisation, armed-group, movement, person, other


@dataclass
class MapEdge:
    source: str
    target: str
    label: str


@dataclass
class RelationMapData:
    nodes: list[MapNode]
    edges: list[MapEdge]


@dataclass
class Figure:
    """``::: figure KIND`` — a figure drawn from data: vector in PDF, a >= 200 dpi image in DOCX."""

    kind: str  # "timeline" or "relation-map"
    data: TimelineData | RelationMapData
    caption: str = ""
    line: int = 0
    number: int = 0  # set by resolve: "Figure n", counted in document order
    # what a reader who cannot see the figure is told: the data in words (not the caption);
    # given by the template or generated from the data
    alt: str = ""


Block = (Heading | Paragraph | BulletList | OrderedList | Table | BlockQuote | Callout | CodeBlock
         | Image | HorizontalRule | PageBreak | Contents | NotesList | Figure | Subtitle)

# ``titleblock`` holds the brief's title block: the cover page when it opens the document;
# ``bluf``/``note``/``warning`` are boxed callouts; ``judgment`` holds one key judgment.
CALLOUT_KINDS = ("titleblock", "bluf", "note", "warning", "judgment")
# Directives: ``::: NAME`` blocks that stand for something generated rather than hold content.
DIRECTIVES = ("pagebreak", "contents", "notes", "figure")


@dataclass
class CopyInfo:
    """A numbered copy for one recipient of the distribution."""

    number: int
    total: int
    recipient: str

    @property
    def label(self) -> str:
        return f"Copy {self.number} of {self.total}"


@dataclass
class DocumentInfo:
    """What the renderers need that is not body text: cover, running heads, metadata."""

    title: str
    subtitle: str = ""
    date: str = ""  # issue date as printed, long form ("1 October 2024")
    organisation: str = ""
    authors: list[str] = field(default_factory=list)
    marking: str = ""  # printed on every page; "" = none
    brief_id: str = ""
    audience: str = ""
    short_title: str = ""  # for running heads; "" = derive from title
    copy: CopyInfo | None = None  # set for a numbered copy
    watermark: str = ""  # e.g. "DRAFT": diagonal on every page
    keywords: list[str] = field(default_factory=list)  # metadata; the marking is added by renderers
    language: str = "en"
    # the template's {{ page_limit(n) }}, 0 for none: such a brief must fit n pages, so the
    # DOCX prints its notes once, in the notes list, as the PDF does (no page-foot copy)
    page_limit: int = 0


@dataclass
class Note:
    """A numbered note (a cited source), its text as inline content."""

    number: int
    children: list[Inline]


@dataclass
class Document:
    info: DocumentInfo
    children: list[Block]
    notes: list[Note] = field(default_factory=list)  # by number
    # set by resolve: the title block set as the cover page (then not among ``children``), the
    # headings by anchor (what internal links point at), and that all of that is settled
    cover: Callout | None = None
    headings: dict[str, Heading] = field(default_factory=dict)
    resolved: bool = False


def require_resolved(doc: Document, renderer: str) -> None:
    """Renderers draw only what resolve decided; an unresolved tree is a caller's bug."""
    if not getattr(doc, "resolved", False):
        raise ValueError(f"{renderer} needs a resolved document: pass it through "
                         "briefgen.document.resolve.resolve() first")


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... whichever is free; the result is added to ``taken``."""
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def slug(text: str) -> str:
    """An anchor for a heading with this text: lower case, words joined by hyphens."""
    return re.sub(r"[^\w]+", "-", text.casefold()).strip("-") or "section"


def plain_text(inlines: list[Inline]) -> str:
    """The text a reader sees, without formatting (for bookmarks, anchors, metadata)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append(" ")
        elif isinstance(node, NoteRef):
            continue
        else:
            out.append(plain_text(node.children))
    return "".join(out)


def lists_notes(doc: "Document") -> bool:
    """Whether the document lists its notes (a ``NotesList`` anywhere, in boxes and list items
    too): the PDF and HTML then link the marks to that list."""
    def walk(blocks) -> bool:
        for block in blocks:
            if isinstance(block, NotesList):
                return True
            if isinstance(block, (Callout, BlockQuote)) and walk(block.children):
                return True
            if any(walk(item.children) for item in getattr(block, "items", None) or ()):
                return True
        return False
    return walk([doc.cover, *doc.children] if doc.cover else doc.children)


def with_note_groups(nodes: list) -> Iterator:
    """``nodes`` with each run of adjacent ``NoteRef``s as one list: the PDF and HTML print
    adjacent marks as one ("1, 3")."""
    i, n = 0, len(nodes)
    while i < n:
        if type(nodes[i]) is NoteRef:
            j = i + 1
            while j < n and type(nodes[j]) is NoteRef:
                j += 1
            yield nodes[i:j]
            i = j
        else:
            yield nodes[i]
            i += 1


def is_byline(node: Block) -> bool:
    """A paragraph all in emphasis right under a heading: the line a template prints there (an
    actor's kind, role and aliases). Both renderers keep it with its heading, and do not count
    it as the text the heading must be kept with."""
    if not isinstance(node, Paragraph):
        return False
    parts = [c for c in node.children if not (isinstance(c, Text) and not c.text.strip())]
    return len(parts) == 1 and isinstance(parts[0], Emph)


def keeps_with_next(nodes: list, k: int, one_line) -> tuple[bool, bool]:
    """(keep ``nodes[k]`` with the block after it, it is not text): what keeps a heading with
    at least two lines of text in both renderers. A byline right under a heading keeps with its
    next and is not text; the first paragraph after a heading (and byline) keeps with its next
    when ``one_line(paragraph)`` says it is a single line and a heading does not follow.
    Headings themselves keep with their next through their styles."""
    if k == 0 or k >= len(nodes):
        return False, False
    node, before = nodes[k], nodes[k - 1]
    if isinstance(before, Heading) and is_byline(node):
        return True, True
    first_text = isinstance(before, Heading) or (
        k >= 2 and isinstance(nodes[k - 2], Heading) and is_byline(before))
    if (not first_text or not isinstance(node, Paragraph) or k + 1 >= len(nodes)
            or isinstance(nodes[k + 1], Heading)):
        return False, False
    return one_line(node), False
