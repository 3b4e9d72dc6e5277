"""Figure labels in any script: per-character fallback, HarfBuzz shaping and bidi order.

A label in Latin text its face covers keeps the plain path (scene.Advances: reportlab's widths,
one glyph per character). Any other label is laid out here ONCE, format-independently, with the
same core as the PDF body (briefgen/fonts): a face chosen per character from the theme's
``fallback_fonts`` and families (an Arabic-script run whole in one face), embedding levels with
the base direction from the first strong character, runs of one face and one level shaped by
HarfBuzz in their direction and put in visual order (UAX #9 L2). The result, a tuple of
``GlyphRun`` left to right, rides on the scene's ``TextItem``; the PDF backend draws it by glyph
id, the PNG backend from the glyph outlines, so both formats show the same glyphs at the same
places. A label the figure wraps is wrapped in logical order first (``Pen.wrap``); each line is
then ordered on its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..fonts import ttf
from ..fonts.fallback import LazyCharsets, face_runs, fallback_faces

__all__ = ["GlyphRun", "Labeller"]


@dataclass(frozen=True)
class GlyphRun:
    """Glyphs of one face in visual order (fonts.shaping.Glyph: id, advance, offsets, cluster,
    source text), in the font units of ``path`` (``upem`` to the em)."""

    path: str
    upem: int
    glyphs: tuple
    rtl: bool

    def width(self, size: float) -> float:
        return sum(g[1] for g in self.glyphs) * size / self.upem


@lru_cache(maxsize=64)
def _charset(path: str) -> frozenset[str]:
    return frozenset(map(chr, ttf.face(path).cmap))


class Labeller:
    """The faces of one figure pen: ``faces`` maps a pen face ("regular", "bold", "italic") to
    its file, ``families`` lists (regular, bold, italic, bold italic) files in order of
    preference for characters a face lacks (as the PDF body orders them: the theme's fallbacks,
    then its heading, body and mono families)."""

    def __init__(self, faces: dict[str, str], families: list[tuple[str, str, str, str]],
                 rtl_families: int = 0, partial_rtl: frozenset[str] | set[str] = frozenset()):
        """``rtl_families``: how many of ``families`` (the first) an Arabic-script run tries
        before a face of ``partial_rtl`` (faces with some Arabic letters, not all Pashto ones)."""
        self.faces = faces
        self.families = families
        self._rtl_first = {path for fam in families[:rtl_families] for path in fam}
        self._partial = partial_rtl
        self._candidates: dict[str, list[str]] = {}
        self._runs: dict[tuple[str, str], tuple[GlyphRun, ...] | None] = {}

    def candidates(self, face: str) -> list[str]:
        """Files to try for a character ``face`` lacks (fonts.fallback.fallback_faces)."""
        out = self._candidates.get(face)
        if out is None:
            out = self._candidates[face] = fallback_faces(
                self.faces[face], self.families, face == "bold", face == "italic")
        return out

    def runs(self, text: str, face: str) -> tuple[GlyphRun, ...] | None:
        """``text`` as glyph runs left to right; None when the plain path draws it right (every
        character in the face, nothing to shape or reorder)."""
        key = (text, face)
        if key in self._runs:
            return self._runs[key]
        out = None
        if not text.isascii():
            out = self._layout(text, face)
        self._runs[key] = out
        return out

    def _layout(self, text: str, face: str) -> tuple[GlyphRun, ...] | None:
        from ..fonts import bidi
        from ..fonts.shaping import file_shaper, needs_shaping

        paths = [self.faces[face]] + self.candidates(face)
        charsets = LazyCharsets(paths, _charset)
        order = None
        if paths[0] in self._partial:
            first = [k for k in range(1, len(paths)) if paths[k] in self._rtl_first]
            order = first + [0] + [k for k in range(1, len(paths)) if k not in first]
        pieces = face_runs(text, charsets, order)
        if not needs_shaping(text) and all(k == 0 for _, _, k in pieces):
            return None
        face_of = [0] * len(text)
        for i, j, k in pieces:
            face_of[i:j] = [k] * (j - i)
        _, levels = bidi.embedding_levels(text, bidi.base_level(text))
        out = []
        for i, j in bidi.visual_runs(levels, 0, len(text), face_of.__getitem__):
            path = paths[face_of[i]]
            shaper = file_shaper(path)
            rtl = levels[i] % 2 == 1
            out.append(GlyphRun(path, shaper.upem, shaper.shape(text[i:j], rtl), rtl))
        return tuple(out)
