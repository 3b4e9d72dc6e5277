"""Fonts and paragraph styles for the PDF renderer.

Fonts are registered with reportlab once per process (the registry is global); styles are built
once per render from the theme, never per paragraph.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from ...errors import BriefgenError
from ...fonts.faces import DEJAVU_DIR, FontFamily
from ...theme.model import Theme
from .internals import ExtractableTTFont

# Fixed tints that are not theme settings (yet): box fills and borders of the callout kinds.
WARNING_FILL = "#FDF3E1"
WARNING_BORDER = "#C46A00"
JUDGMENT_BORDER = "#C9D3E0"
CODE_FILL = "#F2F4F7"
RULE_COLOUR = "#B8C2CF"
BANNER_COLOUR = "#9B1C1C"
WATERMARK_COLOUR = "#8A9099"
WATERMARK_ALPHA = 0.16


@dataclass(frozen=True)
class FaceNames:
    """The reportlab font names of one registered family."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


_registered: dict[tuple[str, tuple[str, ...]], FaceNames] = {}
_lock = threading.Lock()


def register_family(family: FontFamily) -> FaceNames:
    """Register the four TTF faces of ``family`` and map <b>/<i> to them (once per process)."""
    paths = tuple(str(p) for p in (family.regular, family.bold, family.italic, family.bold_italic))
    key = (family.name, paths)
    with _lock:
        names = _registered.get(key)
        if names:
            return names
        base = family.name
        if any(name == base for name, _ in _registered):  # same name, other files: keep both
            base = f"{family.name}-{len(_registered)}"
        names = FaceNames(base, f"{base}-Bold", f"{base}-Italic", f"{base}-BoldItalic")
        for name, path in zip((names.regular, names.bold, names.italic, names.bold_italic), paths):
            try:
                pdfmetrics.registerFont(ExtractableTTFont(name, path))
            except (OSError, TTFError) as exc:
                raise BriefgenError(f"cannot use font file {path} for {family.name}: {exc}") from None
        pdfmetrics.registerFontFamily(base, normal=names.regular, bold=names.bold,
                                      italic=names.italic, boldItalic=names.bold_italic)
        _registered[key] = names
        return names


def colour(value: str, what: str = "colour") -> Color:
    try:
        return HexColor(value)
    except (ValueError, TypeError):
        raise BriefgenError(f"theme: {what} {value!r} is not a #rrggbb colour") from None


_ALIGN = {"": TA_LEFT, "left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


class Styles:
    """Everything the renderer needs from the theme, resolved once per render."""

    def script_fonts(self) -> list[FaceNames]:
        """The built-in script families (Amiri, Noto Sans SC), registered on first call: text
        that never needs them never pays for loading them."""
        return [register_family(f) for f in self._script_families]

    def __init__(self, theme: Theme):
        self.theme = theme
        self.text_markup = None  # fonts.text_markup's, made on first use
        self.body_font = register_family(theme.body_font)
        self.heading_font = register_family(theme.heading_font)
        self.mono_font = register_family(theme.mono_font)

        self.text = colour(theme.text_colour, "text_colour")
        self.heading_colour = colour(theme.heading_colour, "heading_colour")
        self.accent = colour(theme.accent_colour, "accent_colour")
        self.muted = colour(theme.muted_colour, "muted_colour")
        self.callout_fill = colour(theme.callout_fill, "callout_fill")
        self.header_fill = colour(theme.table_header_fill, "table_header_fill")
        self.header_text = colour(theme.table_header_text, "table_header_text")
        self.stripe_fill = colour(theme.table_stripe_fill, "table_stripe_fill")
        self.link_hex = colour(theme.link_colour, "link_colour").hexval().replace("0x", "#")
        self.warning_fill = HexColor(WARNING_FILL)
        self.warning_border = HexColor(WARNING_BORDER)
        self.judgment_border = HexColor(JUDGMENT_BORDER)
        self.code_fill = HexColor(CODE_FILL)
        self.rule = HexColor(RULE_COLOUR)
        self.banner = HexColor(BANNER_COLOUR)
        self.watermark = HexColor(WATERMARK_COLOUR)
        self.fallbacks = [register_family(f) for f in theme.fallback_fonts]
        self._script_families = [f for f in theme.fallbacks if f not in theme.fallback_fonts]
        # the built-in DejaVu faces have some Arabic letters, but not all the Pashto ones
        self.partial_rtl = frozenset(
            face for family, names in ((theme.body_font, self.body_font),
                                       (theme.heading_font, self.heading_font),
                                       (theme.mono_font, self.mono_font))
            if family.regular.parent == DEJAVU_DIR
            for face in (names.regular, names.bold, names.italic, names.bold_italic))

        size, leading = theme.body_size, theme.leading
        if len(theme.heading_sizes) < 6:
            raise BriefgenError("theme: heading_sizes needs six sizes (levels 1 to 6)")
        self.code_size = round(size * 0.9, 2)

        # splitLongWords breaks a word wider than the line anywhere; uriWasteReduce stays off: its
        # split of a URL at "/" can leave a piece wider than the line, which then overflows
        body = ParagraphStyle(
            "body", fontName=self.body_font.regular, fontSize=size, leading=leading,
            textColor=self.text, spaceBefore=0, spaceAfter=round(leading * 0.55, 1),
            splitLongWords=1, uriWasteReduce=0, allowWidows=0, allowOrphans=0,
            bulletFontName=self.body_font.regular)
        self.body = body
        self.list_para = ParagraphStyle("list", parent=body, spaceAfter=round(leading * 0.2, 1))
        self.quote = ParagraphStyle("quote", parent=body, fontName=self.body_font.italic,
                                    textColor=self.muted)
        self.box = ParagraphStyle("box", parent=body, spaceAfter=round(leading * 0.35, 1))
        # paragraphs in list items sit closer together than in running text
        self.tight = {style.name: ParagraphStyle(f"{style.name}-list", parent=style,
                                                 spaceAfter=self.list_para.spaceAfter)
                      for style in (self.quote, self.box)}
        self.tight["body"] = self.list_para

        hfont = self.heading_font
        self.headings = []
        for level, hsize in enumerate(theme.heading_sizes[:6], start=1):
            self.headings.append(ParagraphStyle(
                f"h{level}", parent=body,
                fontName=hfont.bold if level != 5 else hfont.bold_italic,
                fontSize=hsize, leading=round(hsize * 1.25, 1),
                textColor=self.heading_colour,
                spaceBefore=round(hsize * (1.1 if level <= 2 else 0.9), 1),
                spaceAfter=round(hsize * (0.45 if level <= 2 else 0.35), 1),
                keepWithNext=1))
        tsize = round(theme.heading_sizes[0] * 1.3, 1)
        self.title = ParagraphStyle("title", parent=self.headings[0], fontSize=tsize,
                                    leading=round(tsize * 1.18, 1), spaceBefore=0,
                                    spaceAfter=round(tsize * 0.35, 1))
        self.meta = ParagraphStyle("meta", parent=body, fontName=hfont.regular,
                                   fontSize=size, leading=round(size * 1.45, 1),
                                   textColor=self.muted, spaceAfter=2)
        csize = theme.small_size
        cell = ParagraphStyle("cell", parent=body, fontName=hfont.regular, fontSize=csize,
                              leading=round(csize * 1.3, 1), spaceAfter=0)
        head = ParagraphStyle("cellhead", parent=cell, fontName=hfont.bold,
                              textColor=self.header_text)
        self.cell = {k: ParagraphStyle(f"cell-{k or 'default'}", parent=cell, alignment=a)
                     for k, a in _ALIGN.items()}
        self.cell_head = {k: ParagraphStyle(f"cellhead-{k or 'default'}", parent=head, alignment=a)
                          for k, a in _ALIGN.items()}
        self.cell_size = csize
        self.code = ParagraphStyle(
            "code", parent=body, fontName=self.mono_font.regular, fontSize=self.code_size,
            leading=round(self.code_size * 1.4, 1), textColor=self.text, backColor=self.code_fill,
            borderPadding=(6, 8, 6, 8), leftIndent=8, rightIndent=8,
            spaceBefore=8, spaceAfter=round(leading * 0.55, 1) + 8)

        # cover page: sizes follow the theme's heading sizes
        h1 = theme.heading_sizes[0]
        ctsize = round(h1 * 1.5, 1)
        self.cover_title = ParagraphStyle(
            "cover-title", parent=self.headings[0], fontSize=ctsize,
            leading=round(ctsize * 1.15, 1), spaceBefore=0, spaceAfter=round(ctsize * 0.4, 1),
            keepWithNext=0)
        cssize = round(h1 * 0.75, 1)
        self.cover_subtitle = ParagraphStyle(
            "cover-subtitle", parent=body, fontName=hfont.regular, fontSize=cssize,
            leading=round(cssize * 1.3, 1), textColor=self.muted, spaceAfter=0)
        cmsize = round(size * 1.1, 1)
        self.cover_meta = ParagraphStyle(
            "cover-meta", parent=body, fontName=hfont.regular, fontSize=cmsize,
            leading=round(cmsize * 1.5, 1), textColor=self.text, spaceAfter=round(cmsize * 0.3, 1))

        # contents: level 0 = heading level 2, level 1 = heading level 3
        self.toc_levels = [
            ParagraphStyle("toc-0", parent=body, fontName=hfont.bold, fontSize=size,
                           leading=round(size * 1.45, 1), textColor=self.heading_colour,
                           spaceBefore=round(size * 0.5, 1), spaceAfter=0),
            ParagraphStyle("toc-1", parent=body, fontName=self.body_font.regular, fontSize=size,
                           leading=round(size * 1.4, 1), leftIndent=16, spaceAfter=0),
        ]
        # figures and notes
        self.caption = ParagraphStyle(
            "caption", parent=body, fontName=hfont.regular, fontSize=round(size * 0.9, 1),
            leading=round(size * 1.25, 1), textColor=self.muted, spaceBefore=5,
            spaceAfter=round(leading * 0.9, 1))
        nsize = round(size * 0.9, 1)
        self.note = ParagraphStyle("note", parent=body, fontSize=nsize,
                                   leading=round(nsize * 1.35, 1), spaceAfter=round(nsize * 0.35, 1))
