"""Which font draws which character: coverage (cmaps), fallback runs, right-to-left runs.

reportlab draws a character its font lacks as an empty box. So every run of text goes through
``TextMarkup``: a character the current face lacks is wrapped in a ``<font name=...>`` run of the
first face that has it: the theme's ``fallback_fonts``, the built-in script faces (Amiri for
Arabic script, Noto Sans SC with the cjk extra), then the theme's own families, the monospace one
last. A run of Arabic-script (and Hebrew) text stays in logical order in one face that has all
its letters (a run split between faces could not join), and that face is a script face first:
DejaVu Sans has Arabic letters but not all the Pashto ones (no U+06CD) and no Naskh design, so a
paragraph would change faces with its letters. The DOCX names the same face (w:cs). The
paragraph is then laid out by bidi_para.ShapedParagraph (HarfBuzz shaping, bidi line by line).
Only the running heads, one line drawn by the canvas, are shaped and ordered as a whole line
(``visual_line``).

The script faces are registered with reportlab only when a character first needs them (Noto
Sans SC takes 0.2 s to load): a Latin brief never pays for them.

``covered(text, theme)`` tells which characters no font of the theme draws (for a build warning).
Character sets are read from the TTF cmaps once per face and cached.

A ``<font name=FACE>`` run draws with exactly FACE: reportlab's parser takes the run's bold and
italic from the face name (``ps2tt``), so inside ``<i>`` a fallback to DejaVu Sans stays upright
(DejaVu Sans Oblique has no Arabic).
"""
from __future__ import annotations

import re
from functools import lru_cache

from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.pdfbase import pdfmetrics

from ...fonts.fallback import LazyCharsets, face_runs, fallback_faces, has_rtl
from ...theme.model import Theme
from .styles import FaceNames

__all__ = ["covered", "charset", "TextMarkup", "text_markup", "visual_line", "has_rtl", "escape"]

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

    def __init__(self, fallbacks: list[FaceNames], script_faces=None, families=(),
                 partial_rtl=frozenset()):
        """``fallbacks``: the theme's fallback families (registered); ``script_faces``: a
        callable that registers the built-in script families and returns their names (called
        on first need); ``families``: the theme's own, tried last; ``partial_rtl``: faces whose
        Arabic letters are not used for an Arabic-script run while a script face has them all."""
        self._own = list(fallbacks)
        self._script_faces = script_faces
        self._families = list(families)
        self._partial_rtl = partial_rtl
        self._fallbacks: list[FaceNames] | None = None
        self._n_preferred = 0  # how many of ``fallbacks`` come before the theme's own families
        self._candidates: dict[tuple[str, bool, bool], list[str]] = {}
        self._rtl_candidates: dict[tuple[str, bool, bool], list[str]] = {}
        self._ascii_ok: dict[str, bool] = {}

    @property
    def fallbacks(self) -> list[FaceNames]:
        """All families in order of preference (registers the script faces)."""
        if self._fallbacks is None:
            scripts = self._script_faces() if self._script_faces else []
            out: list[FaceNames] = []
            for names in (*self._own, *scripts, *self._families):
                if names not in out:
                    out.append(names)
            self._fallbacks = out
            self._n_preferred = len(self._own) + len(scripts)
        return self._fallbacks

    def candidates(self, face: str, bold: bool, italic: bool) -> list[str]:
        """Faces to try for a character ``face`` lacks (fonts.fallback.fallback_faces)."""
        key = (face, bold, italic)
        out = self._candidates.get(key)
        if out is None:
            families = [(n.regular, n.bold, n.italic, n.bold_italic) for n in self.fallbacks]
            out = self._candidates[key] = fallback_faces(face, families, bold, italic)
        return out

    def rtl_candidates(self, face: str, bold: bool, italic: bool) -> list[str]:
        """Faces for an Arabic-script run: the fallback and script families first (each in the
        run's style, then upright, then regular), then the rest of ``candidates``."""
        key = (face, bold, italic)
        out = self._rtl_candidates.get(key)
        if out is None:
            preferred = [(n.regular, n.bold, n.italic, n.bold_italic)
                         for n in self.fallbacks[:self._n_preferred]]
            out = fallback_faces(None, preferred, bold, italic, other_styles=False)
            out += [f for f in self.candidates(face, bold, italic) if f not in out]
            self._rtl_candidates[key] = out
        return out

    def line_face(self, text: str, face: str) -> str | None:
        """The face to draw ``text`` in as one run (a running head, a banner: the canvas draws
        them in one face): ``face`` where it has every letter, else the first face in the order
        ``markup`` tries that has them all, else None (furniture_line draws it in several)."""
        need = {ch for ch in text if not ch.isspace()}
        rtl = has_rtl(text)
        if charset(face).issuperset(need) and not (rtl and face in self._partial_rtl):
            return face
        bold, italic = _style(face)
        others = self.rtl_candidates(face, bold, italic) if rtl else \
            self.candidates(face, bold, italic)
        return next((f for f in others if charset(f).issuperset(need)), None)

    def markup(self, text: str, face: str, bold: bool = False, italic: bool = False) -> str:
        """``text`` as markup for ``face``; a fallback takes the style of ``face`` (a heading's
        bold face) or of the <b>/<i> around it (``bold``, ``italic``)."""
        if text.isascii():
            ok = self._ascii_ok.get(face)
            if ok is None:
                ok = self._ascii_ok[face] = all(chr(c) in charset(face) for c in range(32, 127))
            if ok:
                return escape(text)
        if not has_rtl(text) and charset(face).issuperset(text):
            return escape(text)  # before the fallbacks: they register the script faces
        return "".join(escape(text[i:j]) if f == face else
                       f'<font name="{f}">{escape(text[i:j])}</font>'
                       for i, j, f in self.pieces(text, face, bold, italic))

    def pieces(self, text: str, face: str, bold: bool = False, italic: bool = False
               ) -> list[tuple[int, int, str]]:
        """(start, end, face) of the runs of ``text`` that one face draws, in logical order:
        ``face`` where it has the characters, else the first fallback that has them."""
        style = _style(face)
        bold, italic = bold or style[0], italic or style[1]
        faces = [face] + self.candidates(face, bold, italic)
        order = None
        if has_rtl(text):
            # an Arabic-script run goes to a script face first: DejaVu Sans has Arabic letters
            # but not all Pashto ones, so a paragraph would change faces with its letters
            index = {f: k for k, f in enumerate(faces)}
            preferred = [index[f] for f in self.rtl_candidates(face, bold, italic)
                         if f in index and f != face]
            order = ([0, *preferred] if face not in self._partial_rtl else [*preferred, 0])
        return [(i, j, faces[k])
                for i, j, k in face_runs(text, LazyCharsets(faces, charset), order)]


def text_markup(styles) -> TextMarkup:
    """The one TextMarkup of a render (``styles``: its Styles), for the body and the page
    furniture alike: its fallback order and character caches are built once."""
    if styles.text_markup is None:
        styles.text_markup = TextMarkup(
            styles.fallbacks, styles.script_fonts,
            (styles.heading_font, styles.body_font, styles.mono_font), styles.partial_rtl)
    return styles.text_markup


@lru_cache(maxsize=64)
def _style(face: str) -> tuple[bool, bool]:
    """(bold, italic) of a registered face, as reportlab's font family map knows it."""
    try:
        _, bold, italic = ps2tt(face)
    except ValueError:
        return False, False
    return bool(bold), bool(italic)


def effective_face(font: str, bold: bool, italic: bool) -> str:
    """The face reportlab draws with for style font ``font`` inside <b>/<i> (as its parser does)."""
    try:
        return tt2ps(font, int(bold), int(italic))
    except ValueError:
        return font
