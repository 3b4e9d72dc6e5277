"""Writing systems in DOCX runs: right-to-left Arabic script and CJK text.

Word lays a run out by its script slot: Arabic-script text is "complex script" and must be marked
right-to-left (``w:rtl``) with a complex-script font (``w:rFonts/@w:cs``) and language
(``w:lang/@w:bidi``), or Word reorders and shapes it badly; a paragraph that is mainly Arabic
script is a right-to-left paragraph (``w:bidi``). CJK text uses the East Asian slot
(``w:rFonts/@w:eastAsia``). Both slots name the family the PDF draws the run with: the first of
the theme's fallbacks (its ``fallback_fonts``, then the built-in script faces Amiri and, with the
cjk extra, Noto Sans SC) that has the run's characters (render/pdf/fonts.py chooses the same).

Which pieces are which, and a paragraph's direction, come from fonts/scripts.py.
"""
from __future__ import annotations

from functools import lru_cache

from ...fonts import ttf
from ...fonts.scripts import ARABIC_LETTER

COMPLEX_FONT = "DejaVu Sans"  # when no fallback has the letters: most Arabic and Persian ones


@lru_cache(maxsize=16)
def _cmap(path: str) -> dict[int, int]:
    try:
        return ttf.face(path).cmap
    except (OSError, ValueError):  # unreadable: not known to cover anything
        return {}


def _covers_cjk(path: str) -> bool:
    cmap = _cmap(path)
    return 0x4E00 in cmap or 0xAC00 in cmap or 0x3042 in cmap


@lru_cache(maxsize=256)
def complex_font(fallbacks: tuple, word_family, chars: frozenset[str]) -> str:
    """The Word family name for an Arabic-script piece of the characters ``chars``: the first of
    ``fallbacks`` (the theme's, then the script faces) that has all its letters, as the PDF
    chooses."""
    need = {ord(ch) for ch in chars if ARABIC_LETTER.match(ch)}
    for family in fallbacks or ():
        cmap = _cmap(str(getattr(family, "regular", "")))
        if need.issubset(cmap):
            return word_family(family)
    return COMPLEX_FONT


def cjk_font(fallbacks, word_family, own=None) -> str | None:
    """The Word family name of the first fallback family with CJK glyphs (else the first of the
    theme's own fallbacks ``own``, default ``fallbacks``, else None)."""
    fallbacks = list(fallbacks or [])
    for family in fallbacks:
        if _covers_cjk(str(getattr(family, "regular", ""))):
            return word_family(family)
    own = fallbacks if own is None else list(own)
    return word_family(own[0]) if own else None
