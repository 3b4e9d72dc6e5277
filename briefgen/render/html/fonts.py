"""The script face the HTML carries for its Arabic-script text: a subset of Amiri as a ``data:``
URL in an ``@font-face`` rule, so a reader without Amiri installed does not see boxes for the
letters the theme's faces lack (the Pashto ۍ, for one) and the file makes no request.

The face is chosen as the DOCX chooses its ``w:cs`` font (render/docx/scripts.py
``complex_font``: the theme's fallbacks, then the built-in script faces); only pieces that get
the built-in Amiri contribute characters, and the subset is the one the DOCX embeds
(fonts/subset.py). The right-to-left spans (``span[dir=rtl]``, one per Arabic-script piece) name
Amiri first, as the DOCX's right-to-left runs do; the same face draws the digits and
punctuation inside such a piece, in all three formats.
"""
from __future__ import annotations

import base64

from ...fonts import subset
from ..docx.scripts import complex_font
from ..docx.styles import word_family
from .css import family

SCRIPT_FACE = "Amiri"


class ScriptText:
    """Collects the characters of the Arabic-script pieces the built-in face draws."""

    def __init__(self, theme):
        self.theme = theme
        self.fallbacks = tuple(getattr(theme, "fallbacks", None) or
                               getattr(theme, "fallback_fonts", None) or ())
        self.chars: set[str] = set()

    def add(self, piece: str) -> None:
        if complex_font(self.fallbacks, word_family, frozenset(piece)) == SCRIPT_FACE:
            self.chars.update(piece)

    def css(self) -> str:
        """The ``@font-face`` and span rules, or "" when no piece needs the face."""
        face = subset.script_faces().get(SCRIPT_FACE)
        if not self.chars or face is None:
            return ""
        data = base64.b64encode(subset.subset(str(face.regular), frozenset(self.chars)))
        return (f'@font-face{{font-family:"{SCRIPT_FACE}";'
                f'src:url(data:font/ttf;base64,{data.decode("ascii")}) format("truetype")}}\n'
                f'span[dir=rtl]{{font-family:"{SCRIPT_FACE}", '
                f'{family(self.theme.body_font, "serif")}}}\n')
