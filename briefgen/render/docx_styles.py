"""Word styles for the DOCX renderer: the theme applied to python-docx's default template.

Each style the renderer uses is resolved here once per render and its pPr/rPr rewritten from the
theme (the template's own formatting refers to Office theme fonts and colours — Calibri/Cambria,
``w:themeColor`` — which would override plain values, so it is dropped, not patched). Content then
refers to styles by id; nothing is looked up by name while the body is written.
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as WordDocument
from lxml import etree

from ..errors import BriefgenError
from ..theme import Theme
from .docx_xml import borders, fonts, hex_colour, make_ppr, make_rpr, new, sub, w

# Word wants the family name; FontFamily.name is the PostScript-style name used by reportlab.
_WORD_FAMILY = {"DejaVuSerif": "DejaVu Serif", "DejaVuSans": "DejaVu Sans",
                "DejaVuSansMono": "DejaVu Sans Mono"}

WARNING_FILL = "FFF4D6"   # amber tint; the theme has no warning colours yet
WARNING_RULE = "D98E04"
BANNER_COLOUR = "9B1111"  # free-text classification banner (dark red)
RULE_COLOUR = "C5CDD8"    # hairlines: table rows, code frame


@dataclass(frozen=True)
class Look:
    """The theme as Word values: family names and ``RRGGBB`` colours, checked once."""

    body_font: str
    heading_font: str
    mono_font: str
    text: str
    heading: str
    accent: str
    muted: str
    callout_fill: str
    header_fill: str
    header_text: str
    stripe: str
    link: str


def word_family(family) -> str:
    name = getattr(family, "name", None)
    if not isinstance(name, str) or not name:
        raise BriefgenError(f"theme: a font family needs a name, got {family!r}")
    return _WORD_FAMILY.get(name, name)


def look_from_theme(theme: Theme) -> Look:
    return Look(
        body_font=word_family(theme.body_font), heading_font=word_family(theme.heading_font),
        mono_font=word_family(theme.mono_font),
        text=hex_colour(theme.text_colour, "text_colour"),
        heading=hex_colour(theme.heading_colour, "heading_colour"),
        accent=hex_colour(theme.accent_colour, "accent_colour"),
        muted=hex_colour(theme.muted_colour, "muted_colour"),
        callout_fill=hex_colour(theme.callout_fill, "callout_fill"),
        header_fill=hex_colour(theme.table_header_fill, "table_header_fill"),
        header_text=hex_colour(theme.table_header_text, "table_header_text"),
        stripe=hex_colour(theme.table_stripe_fill, "table_stripe_fill"),
        link=hex_colour(theme.link_colour, "link_colour"))


@dataclass(frozen=True)
class StyleIds:
    normal: str = "Normal"
    headings: tuple[str, ...] = tuple(f"Heading{n}" for n in range(1, 7))
    title: str = "Title"
    subtitle: str = "Subtitle"
    meta: str = "BriefMeta"
    quote: str = "Quote"
    list_paragraph: str = "ListParagraph"
    code_block: str = "CodeBlock"
    inline_code: str = "InlineCode"
    hyperlink: str = "Hyperlink"
    table_text: str = "TableText"
    table_heading: str = "TableHeading"
    header: str = "Header"
    footer: str = "Footer"


def _tw(points: float) -> int:
    return round(points * 20)


class _Styles:
    def __init__(self, document: WordDocument):
        self.root = document.styles.element
        self.by_id = {s.get(w("styleId")): s for s in self.root.findall(w("style"))}

    def define(self, style_id: str, name: str, kind: str, based_on: str | None,
               ppr: etree._Element | None, rpr: etree._Element | None,
               next_id: str | None = None, custom: bool = True) -> None:
        """Rewrite (or create) a style: keep its identity, replace its formatting."""
        style = self.by_id.get(style_id)
        if style is None:
            style = new("style", type=kind, styleId=style_id)
            if custom:
                style.set(w("customStyle"), "1")
            sub(style, "name", val=name)
            if based_on:
                sub(style, "basedOn", val=based_on)
            if next_id:
                sub(style, "next", val=next_id)
            sub(style, "uiPriority", val=39 if custom else 99)
            sub(style, "qFormat")
            self.root.append(style)
            self.by_id[style_id] = style
        for tag in ("pPr", "rPr"):
            for old in style.findall(w(tag)):
                style.remove(old)
        for el in (ppr, rpr):
            if el is not None and len(el):
                style.append(el)


def setup_styles(document: WordDocument, theme: Theme, look: Look, text_width: int) -> StyleIds:
    """Apply the theme to the styles part; return the ids content paragraphs refer to."""
    ids = StyleIds()
    st = _Styles(document)
    body, small, leading = theme.body_size, theme.small_size, theme.leading

    # Document defaults: the fallback for anything without a style (footnote marks, numbers).
    defaults = st.root.find(w("docDefaults"))
    rpr_default = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
    for tag in ("rFonts", "sz", "szCs"):
        for old in rpr_default.findall(w(tag)):
            rpr_default.remove(old)
    rpr_default.insert(0, fonts(look.body_font))
    sub(rpr_default, "sz", val=round(body * 2)).addnext(new("szCs", val=round(body * 2)))
    # keep <w:lang> last, as the schema orders it after sz/szCs
    lang = rpr_default.find(w("lang"))
    if lang is not None:
        rpr_default.append(lang)
    ppr_default = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
    ppr_default.getparent().replace(ppr_default, make_ppr(
        widow=True, spacing={"before": 0, "after": 120, "line": _tw(leading),
                             "lineRule": "atLeast"}))

    single = {"line": 240, "lineRule": "auto"}
    st.define(ids.normal, "Normal", "paragraph", None, None,
              make_rpr(font=look.body_font, colour=look.text, size=body), custom=False)

    for level, size in enumerate(theme.heading_sizes[:6], start=1):
        before = max(10.0, size * 0.9) if level > 1 else max(14.0, size * 0.9)
        after = max(3.0, size * 0.35)
        st.define(ids.headings[level - 1], f"heading {level}", "paragraph", "Normal",
                  make_ppr(keep_next=True, keep_lines=True,
                           spacing={"before": _tw(before), "after": _tw(after), **single},
                           outline=level - 1),
                  make_rpr(font=look.heading_font, bold=True, italic=level == 6,
                           colour=look.heading, size=size), next_id="Normal", custom=False)

    # "Title" with outline level 0, so Word's navigation pane still lists the brief's title.
    title_size = theme.heading_sizes[0] * 1.2
    st.define(ids.title, "Title", "paragraph", "Normal",
              make_ppr(keep_next=True, keep_lines=True,
                       spacing={"before": 0, "after": _tw(6), **single}, outline=0),
              make_rpr(font=look.heading_font, bold=True, colour=look.heading, size=title_size),
              next_id="Normal", custom=False)
    st.define(ids.subtitle, "Subtitle", "paragraph", "Normal",
              make_ppr(keep_next=True, spacing={"before": 0, "after": _tw(8), **single}),
              make_rpr(font=look.heading_font, colour=look.muted, size=theme.heading_sizes[2]),
              next_id="Normal", custom=False)
    st.define(ids.meta, "Brief Meta", "paragraph", "Normal",
              make_ppr(keep_next=True, spacing={"before": 0, "after": _tw(3), **single}),
              make_rpr(font=look.heading_font, colour=look.muted, size=small + 1))
    st.define(ids.quote, "Quote", "paragraph", "Normal",
              make_ppr(spacing={"before": 0, "after": _tw(6)}),
              make_rpr(italic=True, colour=look.text), custom=False)
    st.define(ids.list_paragraph, "List Paragraph", "paragraph", "Normal",
              make_ppr(spacing={"before": 0, "after": _tw(3)}), None, custom=False)
    st.define(ids.code_block, "Code Block", "paragraph", "Normal",
              make_ppr(pbdr=borders("pBdr", {s: (RULE_COLOUR, 4, 4) for s in
                                            ("top", "left", "bottom", "right")}),
                       fill="F5F6F8", spacing={"before": _tw(4), "after": _tw(10), **single},
                       ind={"left": _tw(5), "right": _tw(5)}),
              make_rpr(font=look.mono_font, no_proof=True, size=max(small, body - 1)))
    st.define(ids.inline_code, "Inline Code", "character", "DefaultParagraphFont", None,
              make_rpr(font=look.mono_font, no_proof=True, size=max(small, body - 1)))
    st.define(ids.hyperlink, "Hyperlink", "character", "DefaultParagraphFont", None,
              make_rpr(colour=look.link, underline="single"), custom=False)
    st.define(ids.table_text, "Table Text", "paragraph", "Normal",
              make_ppr(spacing={"before": 0, "after": 0, **single}),
              make_rpr(size=small + 0.5))
    st.define(ids.table_heading, "Table Heading", "paragraph", ids.table_text,
              make_ppr(keep_next=True),
              make_rpr(font=look.heading_font, bold=True, colour=look.header_text))
    tabs = [("center", text_width // 2), ("right", text_width)]
    for sid, name in ((ids.header, "header"), (ids.footer, "footer")):
        st.define(sid, name, "paragraph", "Normal",
                  make_ppr(tabs=tabs, spacing={"before": 0, "after": 0, **single}),
                  make_rpr(font=look.heading_font, colour=look.muted, size=small),
                  custom=False)
    return ids
