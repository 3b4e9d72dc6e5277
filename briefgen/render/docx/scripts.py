"""Writing systems in DOCX runs: right-to-left Arabic script and CJK text.

Word lays a run out by its script slot: Arabic-script text is "complex script" and must be marked
right-to-left (``w:rtl``) with a complex-script font (``w:rFonts/@w:cs``) and language
(``w:lang/@w:bidi``), or Word reorders and shapes it badly; a paragraph that is mainly Arabic
script is a right-to-left paragraph (``w:bidi``). CJK text uses the East Asian slot
(``w:rFonts/@w:eastAsia``). Both slots name the family the PDF draws the run with: the first of
the theme's fallbacks (its ``fallback_fonts``, then the built-in script faces Amiri and, with the
cjk extra, Noto Sans SC) that has the run's characters (render/pdf/fonts.py chooses the same).

``segments(text)`` splits a text into (kind, piece) with kind ``""`` (Latin and the rest),
``"rtl"`` or ``"cjk"``; plain ASCII costs one ``str.isascii`` call.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...fonts import ttf
from ...fonts.bidi import base_level

ARABIC_RANGES = ("\u0600-\u06ff\u0750-\u077f\u0870-\u089f\u08a0-\u08ff"
                 "\ufb50-\ufdff\ufe70-\ufeff")
CJK_RANGES = ("\u1100-\u11ff\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf"
              "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
              "\U00020000-\U0003134f")
# An Arabic-script stretch: from an Arabic letter to the last one, with the spaces, digits and
# punctuation between words (they belong to the right-to-left run).
_RTL = f"[{ARABIC_RANGES}](?:[{ARABIC_RANGES}\\s\\d.,:;!?()\\-\u200c\u200d\u200f\u00ab\u00bb]*" \
       f"[{ARABIC_RANGES}])?"
_CJK = f"[{CJK_RANGES}]+"
_SPLIT = re.compile(f"({_RTL})|({_CJK})")
_ARABIC_LETTER = re.compile(f"[{ARABIC_RANGES}]")
_PASHTO = re.compile("[\u067c\u0681\u0685\u0689\u0693\u0696\u069a\u06bc\u06d0\u06cd]")
_PERSIAN = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")

COMPLEX_FONT = "DejaVu Sans"  # when no fallback has the letters: most Arabic and Persian ones


def segments(text: str) -> list[tuple[str, str]]:
    """``text`` as [(kind, piece)], kind "" / "rtl" / "cjk", pieces in reading order."""
    if text.isascii() or not _SPLIT.search(text):
        return [("", text)]
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _SPLIT.finditer(text):
        if m.start() > pos:
            out.append(("", text[pos:m.start()]))
        out.append(("rtl" if m.group(1) else "cjk", m.group()))
        pos = m.end()
    if pos < len(text):
        out.append(("", text[pos:]))
    return out


def bidi_language(text: str) -> str:
    """The ``w:lang/@w:bidi`` tag for an Arabic-script piece: Pashto, Persian or Arabic."""
    if _PASHTO.search(text):
        return "ps-AF"
    if _PERSIAN.search(text):
        return "fa-IR"
    return "ar-SA"


def rtl_paragraph(text: str) -> bool:
    """Whether a paragraph is right to left (a w:bidi paragraph): its first strong letter's
    direction (UAX #9 P2-P3), the rule the PDF's shaped paragraphs follow, so both formats
    agree ("Neighbour. كَتَبَ" reads left to right in both; the HTML's dir says the same)."""
    return not text.isascii() and base_level(text) == 1


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
    need = {ord(ch) for ch in chars if _ARABIC_LETTER.match(ch)}
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
