"""Tables in the PDF: column widths from content, header rows repeated, rows split inside
themselves, short tables kept on one page. A mixin of the renderer (render.py), which supplies
``inline``, ``para`` and the styles."""
from __future__ import annotations

from reportlab.lib.colors import white
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from ...document.nodes import Table, plain_text
from .page import WrapOnceParagraph as RLParagraph
from .print_marks import render_error as _error

_KEEP_ROWS, _KEEP_CHARS = 8, 2000  # tables this small are kept on one page


def _cell_pad(width: float, ncols: int) -> float:
    return 5.0 if width / ncols >= 60 else 2.5


class Tables:
    def table(self, node: Table, ctx) -> list[Flowable]:
        s = self.s
        ncols = max([len(node.header)] + [len(r) for r in node.rows])
        if ncols == 0:
            return []
        header = [node.header] if node.header else []
        rows = header + node.rows
        widths = self.column_widths(rows, ncols, ctx.width, bool(header))
        data = []
        chars = 0
        tags = self.tags
        for r, row in enumerate(rows):
            styles = s.cell_head if header and r == 0 else s.cell
            role, attrs = ("TH", {"O": "Table", "Scope": "Column"}) if styles is s.cell_head \
                else ("TD", None)
            tags.open("TR")
            cells = []
            for cell in row:
                style = styles.get(cell.align)
                if style is None:
                    raise _error(f"table cell alignment {cell.align!r} is not left, center or "
                                 "right", ctx.line)
                markup = self.inline(cell.children, ctx, style.fontName)
                chars += len(markup)
                cells.append(self.para(markup, style, ctx))
                tags.leaf(cells[-1:], role, attrs=attrs)
            cells += [RLParagraph("", s.cell[""]) for _ in range(ncols - len(row))]
            tags.close()
            data.append(cells)
        first = 1 if header else 0
        # never more padding than a quarter of the narrowest column: reportlab fails on a cell
        # whose padding leaves it no width (many columns in a narrow box)
        pad = min(_cell_pad(ctx.width, ncols), min(widths) / 4)
        commands = [
            self.table_font, ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, -1), (-1, -1), 0.75, s.accent),
        ]
        if header:
            commands += [("BACKGROUND", (0, 0), (-1, 0), s.header_fill),
                         ("TOPPADDING", (0, 0), (-1, 0), 4.5), ("BOTTOMPADDING", (0, 0), (-1, 0), 5)]
        if len(rows) > first:
            commands.append(("ROWBACKGROUNDS", (0, first), (-1, -1), [white, s.stripe_fill]))
        t = RLTable(data, colWidths=widths, repeatRows=first, splitInRow=1, hAlign="LEFT",
                    style=TableStyle(commands), spaceBefore=4, spaceAfter=s.body.spaceAfter + 6)
        if len(rows) - first <= _KEEP_ROWS and chars <= _KEEP_CHARS and not ctx.in_cell:
            # a short table never leaves a lone row on a page (in a table cell, a KeepTogether
            # cannot be laid out: reportlab fails, or makes the row 16 million points tall)
            return [KeepTogether([t])]
        return [t]

    def column_widths(self, rows, ncols: int, width: float, header: bool) -> list[float]:
        """Widths in proportion to content: natural (one-line) width, at least the longest word."""
        s = self.s
        pad = 2 * _cell_pad(width, ncols)
        floor = min(36.0, width / ncols)
        natural = [floor] * ncols
        minimum = [floor] * ncols
        for r, row in enumerate(rows):
            font = s.heading_font.bold if header and r == 0 else s.heading_font.regular
            for j, cell in enumerate(row):
                text = plain_text(cell.children)
                if not text:
                    continue
                w = stringWidth(text, font, s.cell_size) + pad
                if w > natural[j]:
                    natural[j] = w
                words = text.split()
                longest = max(map(len, words), default=0)
                for word in {w for w in words if len(w) * 1.6 >= longest}:  # the likely widest
                    w = min(stringWidth(word, font, s.cell_size) + pad + 1, width * 0.35)
                    if w > minimum[j]:
                        minimum[j] = w
        total = sum(natural)
        if total <= width:  # everything fits on one line: share the spare width by content
            return [w * width / total for w in natural]
        need = sum(minimum)
        if need >= width:
            return [w * width / need for w in minimum]
        stretch = [n - m for n, m in zip(natural, minimum)]
        spare = (width - need) / sum(stretch)
        return [m + d * spare for m, d in zip(minimum, stretch)]

