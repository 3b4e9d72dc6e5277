"""A TrueType font whose text layer says what the page shows.

The PDF renderer draws Arabic-script text as presentation forms (the joined glyphs, see
pdf_fonts.py). reportlab's ToUnicode CMap (what text extraction, search, copy and screen readers
read) would then give the presentation-form code points (U+FExx), which no search for "طالبان"
matches. ``ExtractableTTFont`` rewrites each subset's CMap after reportlab has made it: a
presentation form maps to the letters it shows (NFKC: U+FEC3 -> U+0637, the lam-alef ligature ->
U+0644 U+0627), and a character beyond U+FFFF is written as UTF-16 (reportlab writes an odd-length
hex string that readers reject).
"""
from __future__ import annotations

import unicodedata

from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, makeToUnicodeCMap

_PRESENTATION = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0xFB1D, 0xFB4F))  # Arabic A/B, Hebrew


def _target(code: int) -> str:
    """The ToUnicode target of a code point: UTF-16BE hex of the text it stands for."""
    text = chr(code)
    if any(lo <= code <= hi for lo, hi in _PRESENTATION):
        text = unicodedata.normalize("NFKC", text) or text
    return text.encode("utf-16-be").hex().upper()


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    plain = makeToUnicodeCMap(fontname, subset)
    if all(code < 0x10000 and not any(lo <= code <= hi for lo, hi in _PRESENTATION)
           for code in subset):
        return plain  # reportlab's own CMap is right: keep its bytes
    head, _, rest = plain.partition("beginbfchar")
    _, _, tail = rest.partition("endbfchar")
    entries = "\n".join(f"<{i:02X}> <{_target(code)}>" for i, code in enumerate(subset))
    return f"{head}beginbfchar\n{entries}\nendbfchar{tail}"


class ExtractableTTFont(TTFont):
    def addObjects(self, doc):
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)  # makes one font object and ToUnicode stream per subset
        for n, subset in enumerate(subsets):
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            base = base.decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is not None:
                stream.content = to_unicode_cmap(base, subset)
