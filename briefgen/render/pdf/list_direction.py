"""Which side of a list item its bullet or number sits on.

A right-to-left reader looks for an item's label at the right, where its text begins: LibreOffice
draws a w:bidi list paragraph that way, and the DOCX marks each item's paragraph by its own text
(render/docx/render.py, finish_paragraph). So each item is mirrored on its own, by the rule
paragraphs follow: the first strong letter of its text (UAX #9 P2-P3, fonts/bidi.py). A list that
mixes English and Dari items keeps every label next to its own item's text, as in the DOCX.
"""
from __future__ import annotations

from ...document.nodes import (BlockQuote, BulletList, Callout, CodeBlock, Heading, Inline,
                               OrderedList, Paragraph, Table, plain_text)
from ...fonts.bidi import base_level


def _texts(blocks):
    """The text of each paragraph-like block of ``blocks``, in reading order."""
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            yield plain_text(block.children)
        elif isinstance(block, CodeBlock):
            yield block.text
        elif isinstance(block, (BulletList, OrderedList)):
            for item in block.items:
                yield from _texts(item.children)
        elif isinstance(block, (BlockQuote, Callout)):
            yield from _texts(block.children)
        elif isinstance(block, Table):
            for row in [block.header, *block.rows]:
                for cell in row:
                    yield plain_text(cell.children)


def rtl_item(blocks) -> bool:
    """Whether a list item made of ``blocks`` reads right to left: its first strong letter's."""
    return base_level(" ".join(_texts(blocks))) == 1


def rtl_text(inlines: list[Inline]) -> bool:
    """Whether an item of inline text (a note) reads right to left."""
    return base_level(plain_text(inlines)) == 1


def mirrored(labels: list[str], rtl: list[bool], indent: float, left: float | None = None,
             right: float | None = None, **bullet) -> list[dict]:
    """reportlab ListItem parameters for each item: a left-to-right item is indented ``left``
    from the left (default: the list's ``indent``, which the ListFlowable gives it), a
    right-to-left one ``right`` (default ``indent``) from the right, with its label there,
    right-aligned where a left-to-right bullet is left-aligned and the other way round (a number
    ends next to LTR text, begins next to RTL text). ``left`` and ``right`` differ from
    ``indent`` in a list nested in an item of the other direction: LibreOffice indents a level-2
    item by both levels' indents from its own side, whichever side its parent took."""
    left = indent if left is None else left
    right = indent if right is None else right
    align = bullet.get("bulletAlign", "left")
    flipped = {"left": "right", "right": "left"}[align]
    return [dict(value=visual_label(label), leftIndent=0, rightIndent=right, bulletDir="rtl",
                 bulletAlign=flipped) if is_rtl else
            dict(value=label) if left == indent else dict(value=label, leftIndent=left)
            for label, is_rtl in zip(labels, rtl)]


def visual_label(label: str) -> str:
    """``label`` as drawn in a right-to-left paragraph: "1." is read from the right, number
    first, so its full stop is drawn at its left (".1", as LibreOffice draws a w:bidi numbered
    paragraph); the structure tree gives "1." as the label's ActualText (render.make_list)."""
    if label.endswith(".") and label[:-1].isdigit():
        return "." + label[:-1]
    return label
