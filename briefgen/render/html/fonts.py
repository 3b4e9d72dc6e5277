"""The script faces the HTML carries: subsets of Amiri (Arabic script) and, with the cjk extra,
Noto Sans SC (CJK) as ``data:`` URLs in ``@font-face`` rules, so a reader without them
installed does not see boxes for the letters the theme's faces lack (the Pashto ۍ, for one)
and the file makes no request.

The faces are chosen as the DOCX chooses its ``w:cs`` and ``w:eastAsia`` fonts
(render/docx/scripts.py ``complex_font`` and ``cjk_font``: the theme's fallbacks, then the
built-in script faces); only pieces that get a built-in face contribute characters, and the
subsets are the ones the DOCX embeds for its regular style (fonts/subset.py). The
right-to-left spans (``span[dir=rtl]``, one per Arabic-script piece) name Amiri first, as the
DOCX's right-to-left runs do, so the same face draws the digits and punctuation inside such a
piece in all three formats; a CJK piece drawn in Noto Sans SC is a ``span.cjk``.
"""
from __future__ import annotations

import base64

from ...fonts import subset
from ..docx.scripts import cjk_font, complex_font
from ..docx.styles import word_family
from .css import family

SCRIPT_FACE = "Amiri"
CJK_FACE = "Noto Sans SC"


class ScriptText:
    """Collects the characters of the pieces the built-in script faces draw."""

    def __init__(self, theme):
        self.theme = theme
        self.fallbacks = tuple(getattr(theme, "fallbacks", None) or
                               getattr(theme, "fallback_fonts", None) or ())
        self.chars: dict[str, set[str]] = {SCRIPT_FACE: set(), CJK_FACE: set()}
        self._cjk: bool | None = None

    def add(self, piece: str) -> None:
        """An Arabic-script piece."""
        if complex_font(self.fallbacks, word_family, frozenset(piece)) == SCRIPT_FACE:
            self.chars[SCRIPT_FACE].update(piece)

    def add_cjk(self, piece: str) -> bool:
        """A CJK piece; whether the built-in CJK face draws it (then it is a ``span.cjk``)."""
        if self._cjk is None:
            self._cjk = cjk_font(self.fallbacks, word_family,
                                 getattr(self.theme, "fallback_fonts", None)) == CJK_FACE
        if self._cjk:
            self.chars[CJK_FACE].update(piece)
        return self._cjk

    def css(self) -> str:
        """The ``@font-face`` and span rules, or "" when no piece needs a built-in face."""
        faces = subset.script_faces()
        out = []
        for name, selector in ((SCRIPT_FACE, "span[dir=rtl]"), (CJK_FACE, "span.cjk")):
            face = faces.get(name)
            if not self.chars[name] or face is None:
                continue
            data = base64.b64encode(subset.subset(str(face.regular),
                                                  frozenset(self.chars[name])))
            out.append(f'@font-face{{font-family:"{name}";'
                       f'src:url(data:font/ttf;base64,{data.decode("ascii")}) '
                       f'format("truetype")}}\n'
                       f'{selector}{{font-family:"{name}", '
                       f'{family(self.theme.body_font, "serif")}}}\n')
        return "".join(out)
