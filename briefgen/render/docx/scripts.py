"""Writing systems in DOCX runs: right-to-left Arabic script and CJK text.

Word lays a run out by its script slot: Arabic-script text is "complex script" and must be marked
right-to-left (``w:rtl``) with a complex-script font (``w:rFonts/@w:cs``) and language
(``w:lang/@w:bidi``), or Word reorders and shapes it badly; a paragraph that is mainly Arabic
script is a right-to-left paragraph (``w:bidi``). CJK text uses the East Asian slot
(``w:rFonts/@w:eastAsia``), which gets a theme fallback family that has the glyphs.

``segments(text)`` splits a text into (kind, piece) with kind ``""`` (Latin and the rest),
``"rtl"`` or ``"cjk"``; plain ASCII costs one ``str.isascii`` call.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...fonts import ttf

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

COMPLEX_FONT = "DejaVu Sans"  # has Arabic, Persian and Pashto letters


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


def mainly_rtl(text: str) -> bool:
    """Whether most letters of a paragraph are Arabic script (it becomes a w:bidi paragraph)."""
    if text.isascii():
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return letters > 0 and len(_ARABIC_LETTER.findall(text)) * 2 > letters


@lru_cache(maxsize=16)
def _covers_cjk(path: str) -> bool:
    try:
        cmap = ttf.face(path).cmap
    except (OSError, ValueError):  # unreadable: not known to cover it
        return False
    return 0x4E00 in cmap or 0xAC00 in cmap or 0x3042 in cmap


def cjk_font(fallbacks, word_family) -> str | None:
    """The Word family name of the first theme fallback family with CJK glyphs (else the first
    fallback, else None)."""
    fallbacks = list(fallbacks or [])
    for family in fallbacks:
        if _covers_cjk(str(getattr(family, "regular", ""))):
            return word_family(family)
    return word_family(fallbacks[0]) if fallbacks else None
