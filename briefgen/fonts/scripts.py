"""Which writing system a piece of text is in, for the formats that mark it (DOCX runs, HTML
spans, the PDF's structure tree): right-to-left Arabic script (with the language it most likely
is: Pashto, Persian, Arabic) and CJK.

``segments(text)`` splits a text into (kind, piece) with kind ``""`` (Latin and the rest),
``"rtl"`` or ``"cjk"``; plain ASCII costs one ``str.isascii`` call.
"""
from __future__ import annotations

import re

from .bidi import base_level

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
ARABIC_LETTER = re.compile(f"[{ARABIC_RANGES}]")
_PASHTO = re.compile("[\u067c\u0681\u0685\u0689\u0693\u0696\u069a\u06bc\u06d0\u06cd]")
_PERSIAN = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")


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
    """The language tag of an Arabic-script piece, from its letters: Pashto (ps-AF) where it has
    a letter only Pashto uses, else Persian (fa-IR, also Dari) where it has one Arabic lacks,
    else Arabic (ar-SA). A DOCX run's w:lang/@w:bidi, an HTML span's lang, a PDF element's
    /Lang."""
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
