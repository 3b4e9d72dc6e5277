"""Which face draws which character: per-character fallback across the faces given.

A character the face asked for lacks goes to the first face in the order of preference that has
it (the theme's ``fallback_fonts``, then its own families); spaces and controls stay in the face
asked for. A run of Arabic-script (and Hebrew) text stays whole in the first face that has all
its letters: a run split between faces could not join. The PDF body (render/pdf/fonts.py, as
``<font>`` markup) and the figures (as runs of glyphs, in both formats) ask the same question
here, each with its own view of a face's character set.
"""
from __future__ import annotations

import re
import unicodedata
from typing import AbstractSet, Callable, Sequence

__all__ = ["RTL_CHARS", "has_rtl", "face_runs", "fallback_faces", "LazyCharsets"]

# Hebrew, Arabic, Syriac, Thaana, NKo ... Arabic Extended; Hebrew and Arabic presentation forms
RTL_CHARS = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_RTL = re.compile(f"[{RTL_CHARS}]")
# a run: RTL characters, possibly with spaces, joiners (ZWNJ inside Dari and Pashto words), digits
# and punctuation between them (never at the ends: "Taliban (طالبان)" keeps its brackets in the
# Latin text around the run)
_RTL_RUN = re.compile(f"[{RTL_CHARS}](?:[\\s\u00a0\u200c\u200d\\d.,:;!?'\"()\\-–—/،؛؟«»]*"
                      f"[{RTL_CHARS}])*")


class LazyCharsets:
    """The character sets of ``faces`` (``charset_of(face)`` each), read only when face_runs
    asks for one: most text never needs the fallbacks' cmaps."""

    def __init__(self, faces: Sequence[str], charset_of: Callable[[str], AbstractSet[str]]):
        self.faces, self.charset_of = faces, charset_of

    def __len__(self) -> int:
        return len(self.faces)

    def __getitem__(self, k: int) -> AbstractSet[str]:
        return self.charset_of(self.faces[k])


def fallback_faces(own, families: Sequence[Sequence], bold: bool, italic: bool,
                   other_styles: bool = True) -> list:
    """Faces to try, in order, for a character ``own`` lacks; ``families`` in order of
    preference, each (regular, bold, italic, bold italic) as names or files. Each family's face
    of the same style, then upright, then regular (DejaVu Sans Oblique has no Arabic, DejaVu Sans
    has); last, any other face of those families (some glyphs are in one face only, as the
    mathematical letters of DejaVu Sans Bold: drawn in that face rather than as a box), unless
    ``other_styles`` is false."""
    styles = dict.fromkeys((int(bold) + 2 * int(italic), int(bold), 0))
    out: list = []
    for family in families:
        for face in (family[k] for k in styles):
            if face != own and face not in out:
                out.append(face)
    for family in families if other_styles else ():
        for face in family:
            if face != own and face not in out:
                out.append(face)
    return out


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


def _ignorable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Cc"


def face_runs(text: str, charsets: Sequence[AbstractSet[str]],
              rtl_order: Sequence[int] | None = None) -> list[tuple[int, int, int]]:
    """``text`` cut into (start, end, face) runs, ``face`` an index into ``charsets``: 0 the
    face asked for, then the fallbacks in order of preference. A character no face has stays
    in face 0 (it prints as that face's empty box; the build warns about it). ``rtl_order``:
    the faces to try, in order, for an Arabic-script run (default: as for a character)."""
    if not has_rtl(text):
        return _per_char(text, 0, len(text), charsets)
    out: list[tuple[int, int, int]] = []
    pos = 0
    for m in _RTL_RUN.finditer(text):
        if m.start() > pos:
            out += _per_char(text, pos, m.start(), charsets)
        need = {ch for ch in m.group() if not _ignorable(ch) and unicodedata.category(ch) != "Cf"}
        order = range(len(charsets)) if rtl_order is None else rtl_order
        use = next((k for k in order if charsets[k].issuperset(need)), None)
        if use is None:
            out += _per_char(text, m.start(), m.end(), charsets)
        else:
            out.append((m.start(), m.end(), use))
        pos = m.end()
    if pos < len(text):
        out += _per_char(text, pos, len(text), charsets)
    return out


def _per_char(text: str, start: int, end: int,
              charsets: Sequence[AbstractSet[str]]) -> list[tuple[int, int, int]]:
    chars = charsets[0]
    piece = text[start:end]
    if chars.issuperset(piece):
        return [(start, end, 0)]
    out: list[tuple[int, int, int]] = []
    run_start, run_face = start, 0
    for i in range(start, end):
        ch = text[i]
        use = 0
        if ch not in chars and not _ignorable(ch):
            for k in range(1, len(charsets)):
                if ch in charsets[k]:
                    use = k
                    break
        if use != run_face and i > run_start:
            out.append((run_start, i, run_face))
            run_start = i
        run_face = use
    if end > run_start:
        out.append((run_start, end, run_face))
    return out
