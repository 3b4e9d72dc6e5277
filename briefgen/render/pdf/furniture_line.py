"""One line of page furniture (a running head, the date, a copy line, a banner, the watermark):
the canvas draws it, not a paragraph, so the faces are chosen here.

A line is drawn in one face when one face has all its letters (a Pashto title in Amiri), as
reportlab's ``drawString`` draws it. A line no face has all the letters of (a title with a
Chinese and an Uyghur name, a marking in Hebrew and Chinese) is drawn as runs of faces, each
character in the face the body would give it (TextMarkup.pieces), the runs in visual order and
each right-to-left run shaped; before, such a line was drawn in the one face and lost the
letters that face lacks, without a warning (the build warns only about letters no font has).
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth

from ...fonts import bidi
from .fonts import TextMarkup, visual_line


@dataclass(frozen=True)
class Line:
    """Runs of (visual text, face), left to right; ``text`` is the line as written."""

    text: str
    runs: tuple[tuple[str, str], ...]

    def __bool__(self) -> bool:
        return bool(self.text)

    def width(self, size: float) -> float:
        return sum(stringWidth(t, f, size) for t, f in self.runs)

    def draw(self, canv, x: float, y: float, size: float, align: str = "left") -> None:
        """Draw at baseline ``y``; ``x`` is the line's left end, right end or centre."""
        if align != "left":
            x -= self.width(size) / (2 if align == "centre" else 1)
        for text, face in self.runs:
            canv.setFont(face, size)
            canv.drawString(x, y, text)
            x += stringWidth(text, face, size)


def make_line(text: str, face: str, faces: TextMarkup) -> Line:
    text = " ".join(text.split())
    single = faces.line_face(text, face)
    if single is not None:
        return Line(text, ((visual_line(text, single), single),))
    face_of: list[str] = [face] * len(text)
    for i, j, f in faces.pieces(text, face):
        face_of[i:j] = [f] * (j - i)
    _, levels = bidi.embedding_levels(text, bidi.base_level(text))
    runs = []
    for i, j in bidi.visual_runs(levels, 0, len(text), face_of.__getitem__):
        piece, f = text[i:j], face_of[i]
        runs.append((visual_line(piece, f) if levels[i] % 2 else piece, f))
    return Line(text, tuple(runs))


def fitted_line(text: str, face: str, faces: TextMarkup, size: float, width: float) -> Line:
    """The line of ``text``, cut at a word boundary with an ellipsis so that it is at most
    ``width`` wide (cut in the order it is read, then laid out)."""
    text = " ".join(text.split())
    line = make_line(text, face, faces)
    if line.width(size) <= width:
        return line
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits together with the ellipsis
        mid = (lo + hi + 1) // 2
        if make_line(text[:mid] + "…", face, faces).width(size) <= width:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    space = cut.rfind(" ")
    if space > lo * 0.6:
        cut = cut[:space]
    cut = cut.rstrip(" ,;:–—-")
    return make_line(cut + "…" if cut else "", face, faces)
