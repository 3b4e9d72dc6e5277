"""Tables and boxed callouts of the DOCX renderer (handlers called through docx.py's table).

Word tables are written as raw XML: python-docx's table API looks cells up one by one and takes
minutes for thousands of rows. Rows are stamped from per-table prototypes instead.

For screen readers (and Word's accessibility checker) a data table's header row is marked as one
(``w:tblHeader``, which also repeats it on each page) and the table has a title and a
description (``w:tblCaption``: the heading it is under; ``w:tblDescription``: its size and
columns). A box is a one-cell table for its rules and fill; its title says what kind of box.
"""
from __future__ import annotations

import copy
from dataclasses import replace

from lxml import etree

from ...document.nodes import (BulletList, Callout, CodeBlock, Heading, OrderedList, Paragraph,
                               Table, TableCell, plain_text)
from . import xml as x
from .formatting import AVERAGE_EM, face_metrics
from .styles import RULE_COLOUR, WARNING_FILL, WARNING_RULE

_ALIGN = {"": None, "left": "left", "center": "center", "right": "right"}
_BOX_TITLES = {"bluf": "Bottom line", "note": "Note", "warning": "Warning",
               "judgment": "Key judgment"}


def _new_table(writer, frame, widths: list[int], tbl_borders: etree._Element,
               cell_margins: tuple[int, int, int, int], title: str,
               description: str = "") -> etree._Element:
    parent = frame.parent
    if writer.take_break(parent):  # a table cannot start a page itself: a hairline paragraph
        p = etree.SubElement(parent, x.P)
        p.append(x.make_ppr(style=writer.ids.normal, page_break=True, spacing={
            "before": 0, "after": 0, "line": 20, "lineRule": "exact"}))
    elif (last := x.last_child(parent)) is not None and last.tag == x.TBL:
        writer.new_p(frame, writer.ids.normal,  # adjacent tables would merge: a spacer
                     spacing={"before": 0, "after": 0, "line": 160, "lineRule": "exact"})
    elif last is not None and last.tag == x.P and not writer.is_heading(last):
        x.set_spacing(last, at_least=True, after=160)  # air above the table
    tbl = etree.SubElement(parent, x.TBL)
    pr = x.sub(tbl, "tblPr")
    x.sub(pr, "tblW", w=sum(widths), type="dxa")
    # In Word's 2010 layout mode (the template's) a table's edge sits one cell margin left
    # of tblInd; indent by that margin so fills and rules line up with the text.
    x.sub(pr, "tblInd", w=frame.indent + cell_margins[1], type="dxa")
    pr.append(tbl_borders)
    x.sub(pr, "tblLayout", type="fixed")
    mar = x.sub(pr, "tblCellMar")
    for side, value in zip(("top", "left", "bottom", "right"), cell_margins):
        x.sub(mar, side, w=value, type="dxa")
    x.sub(pr, "tblLook", val="0020", firstRow="1", lastRow="0", firstColumn="0",
          lastColumn="0", noHBand="0", noVBand="1")
    if title:
        x.sub(pr, "tblCaption", val=x.check_text(title, writer.where())[:255])
    if description:
        x.sub(pr, "tblDescription", val=x.check_text(description, writer.where())[:1000])
    grid = x.sub(tbl, "tblGrid")
    for width in widths:
        x.sub(grid, "gridCol", w=width)
    return tbl


def table(writer, node: Table, frame) -> None:
    ncols = len(node.header)
    if ncols == 0:
        raise writer.error("a table needs at least one column")
    cell_margins = (50, 90, 50, 90)
    widths = _column_widths(writer, node, frame.width - frame.indent,
                            cell_margins[1] + cell_margins[3])
    look, ids = writer.look, writer.ids
    rule = (RULE_COLOUR, 4, 0)
    tbl = _new_table(writer, frame, widths, x.borders("tblBorders", {
        "top": (look.accent, 8, 0), "left": None, "bottom": (look.accent, 8, 0),
        "right": None, "insideH": rule, "insideV": None}), cell_margins,
        writer.section_title, _describe(node))
    # Rows are stamped from prototypes (one deep copy per row, not ~10 element creations
    # per cell): a 2,000-row table takes ~0.1 s.
    header_row = _row_prototype(widths, ids.table_heading, look.header_fill, True)
    plain_row = _row_prototype(widths, ids.table_text, None, False)
    striped_row = _row_prototype(widths, ids.table_text, look.stripe, False)
    _row(writer, tbl, header_row, node.header)
    for i, row in enumerate(node.rows):
        if len(row) > ncols:
            raise writer.error(f"a table row has {len(row)} cells but the header has {ncols}")
        _row(writer, tbl, striped_row if i % 2 else plain_row, row)


def _describe(node: Table) -> str:
    rows = len(node.rows)
    columns = [" ".join(plain_text(c.children).split()) for c in node.header]
    named = ", ".join(c for c in columns if c)
    return (f"Table of {rows} row{'' if rows == 1 else 's'} and {len(columns)} column"
            f"{'' if len(columns) == 1 else 's'}" + (f": {named}" if named else ""))


def _row_prototype(widths: list[int], style: str, fill: str | None,
                   header: bool) -> etree._Element:
    tr = x.new("tr")
    trpr = x.sub(tr, "trPr")
    x.sub(trpr, "cantSplit")
    if header:
        x.sub(trpr, "tblHeader")
    for width in widths:
        tc = etree.SubElement(tr, x.TC)
        tcpr = x.sub(tc, "tcPr")
        x.sub(tcpr, "tcW", w=width, type="dxa")
        if fill:
            x.sub(tcpr, "shd", val="clear", color="auto", fill=fill)
        x.sub(tcpr, "vAlign", val="bottom" if header else "top")
        p = etree.SubElement(tc, x.P)
        x.sub(x.sub(p, "pPr"), "pStyle", val=style)
    return tr


def _row(writer, tbl: etree._Element, prototype: etree._Element, cells) -> None:
    """Copy ``prototype`` (a row as wide as the table) and fill its cells; short rows are
    padded with empty cells, as GFM does."""
    tr = copy.deepcopy(prototype)
    tbl.append(tr)
    for cell, tc in zip(cells, tr.iterchildren(x.TC)):
        if not isinstance(cell, TableCell):
            raise writer.error(f"a table row holds table cells, not {type(cell).__name__}")
        if cell.align not in _ALIGN:
            raise writer.error(f"table cell alignment must be left, center or right, "
                               f"not {cell.align!r}")
        p = tc[-1]
        jc = _ALIGN[cell.align]
        if jc:
            x.sub(p[0], "jc", val=jc)
        writer.inlines(p, cell.children, writer.PLAIN)
        writer.finish_paragraph(p)


def _column_widths(writer, node: Table, available: int, pad: int) -> list[int]:
    """Widths (twips) by content, as the PDF shares them: a column is at least as wide as its
    longest word (a name like "Tajikistan" is never broken inside), and the room left goes to
    the columns whose text would run longer on one line. Measured with the theme's faces (the
    table text is the body face at the small size, the header row the bold heading face)."""
    theme = writer.theme
    size = theme.small_size + 0.5
    ncols = len(node.header)
    faces = {False: face_metrics(str(theme.body_font.regular))[0],
             True: face_metrics(str(theme.heading_font.bold))[0]}

    def twips(text: str, bold: bool) -> float:
        widths = faces[bold]
        return sum(widths.get(ord(ch), AVERAGE_EM) for ch in text) * size * 20

    floor = min(720, available / ncols)
    natural, minimum = [floor] * ncols, [floor] * ncols
    for r, row in enumerate([node.header, *node.rows]):
        for j, cell in enumerate(row[:ncols]):
            text = plain_text(cell.children)
            if not text:
                continue
            natural[j] = max(natural[j], twips(text, r == 0) + pad)
            words = text.split()
            longest = max(map(len, words), default=0)
            for word in {w for w in words if len(w) * 1.6 >= longest}:  # the likely widest
                # + 40: rounding in the word processor's own measure; no word takes over 35%
                need = min(twips(word, r == 0) + pad + 40, available * 0.35)
                minimum[j] = max(minimum[j], need)
    if sum(natural) <= available:  # everything fits on one line: share the rest by content
        shares = [w * available / sum(natural) for w in natural]
    elif sum(minimum) >= available:
        shares = [w * available / sum(minimum) for w in minimum]
    else:
        stretch = [n - m for n, m in zip(natural, minimum)]
        spare = (available - sum(minimum)) / sum(stretch)
        shares = [m + d * spare for m, d in zip(minimum, stretch)]
    widths = [int(w) for w in shares]
    widths[-1] += available - sum(widths)
    return widths


def callout(writer, node: Callout, frame) -> None:
    if node.kind == "titleblock":
        return _titleblock(writer, node, frame)
    look = writer.look
    thin = (look.accent, 4, 0)
    boxes = {  # kind -> (fill, left rule, other sides)
        "bluf": (look.callout_fill, (look.accent, 36, 0), thin),
        "note": (look.callout_fill, (look.accent, 18, 0), None),
        "warning": (WARNING_FILL, (WARNING_RULE, 36, 0), (WARNING_RULE, 4, 0)),
        "judgment": (None, (look.heading, 36, 0), (RULE_COLOUR, 4, 0)),
    }
    if node.kind not in boxes:
        raise writer.error(f"unknown callout kind {node.kind!r} "
                           f"(known: titleblock, {', '.join(boxes)})")
    fill, left, others = boxes[node.kind]
    width = frame.width - frame.indent
    pad = 170
    tbl = _new_table(writer, frame, [width], x.borders("tblBorders", {
        "top": others, "left": left, "bottom": others, "right": others}), (110, pad, 110, pad),
        _BOX_TITLES[node.kind])
    tr = etree.SubElement(tbl, x.w("tr"))
    if _short(node.children):  # a short box stays on one page; a long one may break
        x.sub(x.sub(tr, "trPr"), "cantSplit")
    tc = etree.SubElement(tr, x.TC)
    tcpr = x.sub(tc, "tcPr")
    x.sub(tcpr, "tcW", w=width, type="dxa")
    if fill:
        tcpr.append(x.shading(fill))
    inner = type(frame)(parent=tc, width=width - 2 * pad - left[1] * 20 // 8)
    for child in node.children:
        writer.block(child, inner)
    last = tc[-1]
    if last.tag != x.P:  # a cell must end with a paragraph: a hairline one
        last = writer.new_p(inner, writer.ids.normal,
                            spacing={"before": 0, "line": 40, "lineRule": "exact"})
    x.set_spacing(last, after=0)


def _titleblock(writer, node: Callout, frame) -> None:
    start = len(frame.parent)
    inner = replace(frame, titleblock=True)
    for child in node.children:
        writer.block(child, inner)
    added = frame.parent[start:]
    last = added[-1] if added else None
    if last is None or last.tag != x.P:
        last = writer.new_p(frame, writer.ids.meta)
    x.set_ppr_child(last, x.borders("pBdr", {"bottom": (writer.look.accent, 12, 8)}))
    x.set_spacing(last, after=360)


def _short(blocks, limit: int = 1200) -> bool:
    """Whether boxed content is short enough to keep on one page (roughly a third of one)."""
    size = 0
    stack = list(blocks)
    while stack:
        node = stack.pop()
        if isinstance(node, Table):
            return False
        if isinstance(node, (Paragraph, Heading)):
            size += len(plain_text(node.children)) + 80
        elif isinstance(node, CodeBlock):
            size += len(node.text) + 80 * node.text.count("\n")
        elif isinstance(node, (BulletList, OrderedList)):
            stack.extend(block for item in node.items for block in getattr(item, "children", []))
        else:
            stack.extend(getattr(node, "children", []))
        if size > limit:
            return False
    return True
