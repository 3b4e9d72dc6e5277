"""The theme: one settings object that both renderers read.

Sizes are in points; colours are ``#rrggbb`` strings so both reportlab and python-docx can use them.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ..content.paper import PAPER_SIZES
from ..fonts.faces import FontFamily, dejavu_mono, dejavu_sans, dejavu_serif, script_families

# TLP 2.0: the label is printed in its colour on a black background.
TLP_COLOURS = {
    "TLP:RED": "#FF2B2B",
    "TLP:AMBER": "#FFC000",
    "TLP:AMBER+STRICT": "#FFC000",
    "TLP:GREEN": "#33FF00",
    "TLP:CLEAR": "#FFFFFF",
}


@dataclass
class Theme:
    paper: str = "A4"
    margin_top: float = 72.0
    margin_bottom: float = 64.0
    margin_left: float = 68.0
    margin_right: float = 68.0
    body_font: FontFamily = field(default_factory=dejavu_serif)
    heading_font: FontFamily = field(default_factory=dejavu_sans)
    mono_font: FontFamily = field(default_factory=dejavu_mono)
    body_size: float = 10.0
    leading: float = 14.0
    heading_sizes: tuple[float, ...] = (20.0, 15.0, 12.5, 11.0, 10.5, 10.0)
    small_size: float = 8.0  # header, footer, table text
    text_colour: str = "#1A1A1A"
    heading_colour: str = "#14325C"
    accent_colour: str = "#14325C"  # rules, table header fill, callout border
    muted_colour: str = "#5A5A5A"
    callout_fill: str = "#EEF2F7"
    table_header_fill: str = "#14325C"
    table_header_text: str = "#FFFFFF"
    table_stripe_fill: str = "#F4F6F9"
    link_colour: str = "#1F5FA8"
    marking_size: float = 12.0
    logo: Path | None = None  # image drawn at the top of the cover (PNG or JPEG)
    # tried in order for a character the body/heading font lacks (e.g. a CJK family), before
    # the built-in script faces (fonts.faces.script_families)
    fallback_fonts: list[FontFamily] = field(default_factory=list)
    # DOCX only, as pandoc's --reference-doc: start from this .docx (its styles, page setup and
    # header/footer styles win over the theme's fonts/colours/paper; its body is discarded)
    reference_docx: Path | None = None
    # Not a theme file's field: True when the paper was chosen outside the theme (the
    # workspace's `paper:` or --paper, see with_paper), which then also beats the reference DOCX.
    paper_chosen: bool = field(default=False, init=False)

    @property
    def families(self) -> list[FontFamily]:
        """Every font family the theme prints with, fallbacks last (the theme's own, then the
        built-in script faces)."""
        return [self.body_font, self.heading_font, self.mono_font, *self.fallbacks]

    @property
    def fallbacks(self) -> list[FontFamily]:
        """The families tried for characters a face lacks: the theme's ``fallback_fonts``, then
        the installed built-in script faces (Arabic, and Chinese with the cjk extra)."""
        own = list(self.fallback_fonts)
        return own + [f for f in script_families() if f not in own]

    @property
    def page_size(self) -> tuple[float, float]:
        return PAPER_SIZES[self.paper]


def marking_colours(marking: str) -> tuple[str, str] | None:
    """(text, background) for a TLP label; None for a free-text banner."""
    colour = TLP_COLOURS.get(marking.strip().upper())
    return (colour, "#000000") if colour else None


def with_paper(theme: Theme, paper: str) -> Theme:
    """The theme printed on the paper the user chose (workspace setting or --paper): that paper
    wins in both formats, over the theme's own and over a reference DOCX's page size."""
    chosen = dataclasses.replace(theme, paper=paper)
    chosen.paper_chosen = True
    return chosen


def default_theme(paper: str = "A4") -> Theme:
    return Theme(paper=paper)
