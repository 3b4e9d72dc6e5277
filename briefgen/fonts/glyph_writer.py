"""Shaped glyphs into a PDF text object, with as few text positions as the layout allows.

Both the shaped paragraphs (render/pdf/bidi_para.py) and shaped figure labels
(figures/draw.py) draw HarfBuzz's glyphs through a reportlab text object (anything with
``setTextOrigin`` and ``textOut``), each glyph as the character reportlab's subset maps to it.
A new text position is set only where HarfBuzz moved a glyph from where the previous one's
/Widths advance left the pen: a text layer with a position per glyph falls apart into words in
some readers (and costs time).
"""
from __future__ import annotations

__all__ = ["GlyphWriter"]


class GlyphWriter:
    """Writes characters at positions into ``tx``; ``widths``: the face's advance per code
    point in 1/1000 em (``default`` for the rest), at ``size`` points."""

    def __init__(self, tx, size: float, widths: dict[int, float], default: float):
        self.tx, self.k = tx, size / 1000
        self.widths, self.default = widths, default
        self.pen: tuple[float, float] | None = None  # where the last glyph left the pen
        self.pending: list[str] = []  # characters drawn from one text position, one string

    def put(self, ch: str, at: tuple[float, float]) -> None:
        pen = self.pen
        if pen is None or abs(pen[0] - at[0]) > 0.001 or pen[1] != at[1]:
            self.close()
            self.tx.setTextOrigin(*at)
        self.pending.append(ch)
        self.pen = (at[0] + self.widths.get(ord(ch), self.default) * self.k, at[1])

    def close(self) -> None:
        if self.pending:
            self.tx.textOut("".join(self.pending))
            self.pending = []
