"""HarfBuzz shaping of one run of text in one face: the glyphs a font designs for it.

Arabic script needs more than one glyph per character: letters join (Pashto ښ ګ ځ have no
presentation forms to substitute), marks sit on their letters, lam-alef is a ligature. HarfBuzz
(uharfbuzz) picks the glyphs and their positions. The PDF renderer draws them by glyph id
through reportlab's subset, the figures draw them in both formats; both ask here, so a word is
shaped the same everywhere. Text that needs none of this (``needs_shaping`` False) keeps each
renderer's faster path.
"""
from __future__ import annotations

import unicodedata
from typing import Callable

import uharfbuzz as hb

__all__ = ["needs_shaping", "Shaper", "shaper", "file_shaper", "Glyph"]

_RTL_FIRST, _RTL_LAST = 0x0590, 0x08FF

# (glyph id, x advance, x offset, y offset, index in the run's text, source text), in font units;
# the source text is the cluster's characters, given to its first glyph ("" for the others):
# what the glyph stands for in a text layer
Glyph = tuple[int, int, int, int, int, str]


def needs_shaping(text: str) -> bool:
    """Whether ``text`` holds right-to-left letters or combining marks (which HarfBuzz places)."""
    if text.isascii():
        return False
    for ch in text:
        code = ord(ch)
        if code >= 0x300 and (_RTL_FIRST <= code <= _RTL_LAST or 0xFB1D <= code <= 0xFEFC
                              or unicodedata.category(ch) == "Mn"):
            return True
    return False


class Shaper:
    """One face's HarfBuzz font and its shaped runs (cached: the same words recur)."""

    _KEEP = 20000  # shaped runs kept per face; a long-running process (watch) stays bounded

    def __init__(self, data: bytes):
        face = hb.Face(hb.Blob(data))
        self.font = hb.Font(face)
        self.upem = face.upem
        self._shaped: dict[tuple[str, bool], tuple[Glyph, ...]] = {}

    def shape(self, text: str, rtl: bool) -> tuple[Glyph, ...]:
        """HarfBuzz's glyphs for ``text``, in visual order (see ``Glyph``)."""
        key = (text, rtl)
        out = self._shaped.get(key)
        if out is None:
            buf = hb.Buffer()
            buf.add_str(text)
            buf.guess_segment_properties()
            buf.direction = "rtl" if rtl else "ltr"
            buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS  # a mark its own cluster
            hb.shape(self.font, buf, {"kern": True, "liga": True})
            infos = buf.glyph_infos
            starts = sorted({info.cluster for info in infos}) + [len(text)]
            ends = {start: end for start, end in zip(starts, starts[1:])}
            seen: set[int] = set()
            glyphs = []
            for info, pos in zip(infos, buf.glyph_positions):
                source = "" if info.cluster in seen else text[info.cluster:ends[info.cluster]]
                seen.add(info.cluster)
                glyphs.append((info.codepoint, pos.x_advance, pos.x_offset, pos.y_offset,
                               info.cluster, source))
            out = tuple(glyphs)
            if len(self._shaped) > self._KEEP:
                self._shaped.clear()
            self._shaped[key] = out
        return out

    def advance(self, text: str, rtl: bool) -> int:
        """The run's width in font units."""
        return sum(g[1] for g in self.shape(text, rtl))


_shapers: dict[str, Shaper] = {}


def shaper(key: str, data: Callable[[], bytes]) -> Shaper:
    """The shaper for the face called ``key``, made from the font bytes ``data()`` the first
    time (the PDF renderer hands over the bytes reportlab already read)."""
    got = _shapers.get(key)
    if got is None:
        got = _shapers[key] = Shaper(data())
    return got


def file_shaper(path: str) -> Shaper:
    """The shaper for the TrueType file at ``path``."""
    def read() -> bytes:
        with open(path, "rb") as f:
            return f.read()
    return shaper("file:" + path, read)
