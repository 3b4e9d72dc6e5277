"""Which font draws which character: coverage (cmaps), fallback runs, right-to-left runs.

reportlab draws a character its font lacks as an empty box. So every run of text goes through
``TextMarkup``: a character the current face lacks is wrapped in a ``<font name=...>`` run of the
first face that has it: the theme's ``fallback_fonts``, then the theme's own families (DejaVu Serif
has no Arabic, DejaVu Sans does). A run of Arabic-script (and Hebrew) text stays in logical order
in one face that has all its letters (a run split between faces could not join): the paragraph
is then laid out by bidi_para.ShapedParagraph (HarfBuzz shaping, bidi line by line). Only the
running heads, one line drawn by the canvas, are shaped and ordered as a whole line
(``visual_line``).

``covered(text, theme)`` tells which characters no font of the theme draws (for a build warning).
Character sets are read from the TTF cmaps once per face and cached.

A ``<font name=FACE>`` run draws with exactly FACE: reportlab's parser takes the run's bold and
italic from the face name (``ps2tt``), so inside ``<i>`` a fallback to DejaVu Sans stays upright
(DejaVu Sans Oblique has no Arabic).
"""
from __future__ import annotations

import re

from reportlab.lib.fonts import tt2ps
from reportlab.pdfbase import pdfmetrics

from ...fonts.fallback import face_runs, has_rtl
from ...theme.model import Theme
from .styles import FaceNames

__all__ = ["covered", "charset", "TextMarkup", "visual_line", "has_rtl", "escape"]

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")

_charsets: dict[str, frozenset[str]] = {}


def escape(text: str) -> str:
    """``text`` for reportlab paragraph markup: &, <, > escaped, control characters dropped."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def charset(face: str) -> frozenset[str]:
    """The characters the registered TTF face ``face`` has glyphs for (cached)."""
    chars = _charsets.get(face)
    if chars is None:
        font = pdfmetrics.getFont(face)
        cmap = getattr(getattr(font, "face", None), "charToGlyph", None) or {}
        chars = frozenset(map(chr, cmap))
        _charsets[face] = chars
    return chars


def covered(text: str, theme: Theme) -> set[str]:
    """The characters of ``text`` that no font of ``theme`` draws (despite the name: the
    UNcovered ones). One implementation with the build's warning: briefgen.theme.coverage."""
    from ...fonts.coverage import uncovered
    from ...theme.coverage import theme_coverage
    return set(uncovered(text, theme_coverage(theme)))


def visual_line(text: str, face: str) -> str:
    """A single line (a running head) drawn by the canvas in ``face``: shaped by HarfBuzz and in
    visual order (bidi_para.visual_text)."""
    if text.isascii():
        return text
    from .bidi_para import visual_text
    return visual_text(text, face)


class TextMarkup:
    """Turns text into escaped paragraph markup that the given face (with fallbacks) can draw."""

    def __init__(self, fallbacks: list[FaceNames]):
        self.fallbacks = fallbacks  # in order of preference
        self._candidates: dict[tuple[str, bool, bool], list[str]] = {}
        self._ascii_ok: dict[str, bool] = {}

    def candidates(self, face: str, bold: bool, italic: bool) -> list[str]:
        """Faces to try for a character ``face`` lacks: each fallback family's face of the same
        style, then upright, then regular (DejaVu Sans Oblique has no Arabic, DejaVu Sans has);
        last, any other face of those families (some glyphs are in one face only, as the
        mathematical letters of DejaVu Sans Bold: drawn in that face rather than as a box)."""
        key = (face, bold, italic)
        out = self._candidates.get(key)
        if out is None:
            out = []
            for names in self.fallbacks:
                styled = ((names.regular, names.bold), (names.italic, names.bold_italic))
                for f in (styled[italic][bold], styled[0][bold], names.regular):
                    if f != face and f not in out:
                        out.append(f)
            for names in self.fallbacks:
                for f in (names.regular, names.bold, names.italic, names.bold_italic):
                    if f != face and f not in out:
                        out.append(f)
            self._candidates[key] = out
        return out

    def markup(self, text: str, face: str, bold: bool = False, italic: bool = False) -> str:
        if text.isascii():
            ok = self._ascii_ok.get(face)
            if ok is None:
                ok = self._ascii_ok[face] = all(chr(c) in charset(face) for c in range(32, 127))
            if ok:
                return escape(text)
        faces = [face] + self.candidates(face, bold, italic)
        charsets = _Charsets(faces)
        return "".join(escape(text[i:j]) if k == 0 else
                       f'<font name="{faces[k]}">{escape(text[i:j])}</font>'
                       for i, j, k in face_runs(text, charsets))


class _Charsets:
    """The character sets of ``faces``, each read only when face_runs asks for it."""

    def __init__(self, faces: list[str]):
        self.faces = faces

    def __len__(self) -> int:
        return len(self.faces)

    def __getitem__(self, k: int) -> frozenset[str]:
        return charset(self.faces[k])


def effective_face(font: str, bold: bool, italic: bool) -> str:
    """The face reportlab draws with for style font ``font`` inside <b>/<i> (as its parser does)."""
    try:
        return tt2ps(font, int(bold), int(italic))
    except ValueError:
        return font
