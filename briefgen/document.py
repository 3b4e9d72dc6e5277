"""The document tree: what a rendered template means, independent of PDF or DOCX.

markup.py builds it from Markdown; each renderer walks it. Renderers must not mutate it.
Every block carries the line of the Markdown it came from (``line``), which is how a
renderer problem can be traced back to the template output.
"""
from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class LineBreak:
    pass


Inline = Text | Strong | Emph | Strike | Code | Link | LineBreak


# --- block nodes --------------------------------------------------------------------------

@dataclass
class Heading:
    level: int  # 1..6
    children: list[Inline]
    anchor: str = ""  # stable slug, unique within the document
    line: int = 0


@dataclass
class Paragraph:
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
class HorizontalRule:
    line: int = 0


Block = Heading | Paragraph | BulletList | OrderedList | Table | BlockQuote | Callout | CodeBlock | HorizontalRule

# ``titleblock`` holds the brief's title block; ``bluf``/``note``/``warning`` are boxed callouts;
# ``judgment`` holds one key judgment.
CALLOUT_KINDS = ("titleblock", "bluf", "note", "warning", "judgment")


@dataclass
class DocumentInfo:
    """What the renderers need that is not body text: running heads, metadata."""

    title: str
    subtitle: str = ""
    date: str = ""  # issue date as printed
    organisation: str = ""
    authors: list[str] = field(default_factory=list)
    marking: str = ""  # printed on every page; "" = none
    brief_id: str = ""


@dataclass
class Document:
    info: DocumentInfo
    children: list[Block]


def plain_text(inlines: list[Inline]) -> str:
    """The text a reader sees, without formatting (for bookmarks, anchors, metadata)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append(" ")
        else:
            out.append(plain_text(node.children))
    return "".join(out)
