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

from ...errors import BriefgenError
from ...fonts.bidi import language_level
from ...theme.model import Theme
from .xml import borders, fonts, hex_colour, make_ppr, make_rpr, new, sub, w

# Word wants the family name; FontFamily.name is the PostScript-style name used by reportlab.
_WORD_FAMILY = {"DejaVuSerif": "DejaVu Serif", "DejaVuSans": "DejaVu Sans",
                "DejaVuSansMono": "DejaVu Sans Mono", "NotoSansSC": "Noto Sans SC"}

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
    toc_heading: str = "TOCHeading"
    toc: tuple[str, ...] = ("TOC2", "TOC3")  # entries of heading levels 2 and 3
    caption: str = "Caption"
    figure: str = "FigurePicture"
    footnote_text: str = "FootnoteText"
    footnote_ref: str = "FootnoteReference"
    source_list: str = "SourceList"
    cover_org: str = "CoverOrganisation"
    cover_marking: str = "CoverMarking"
    cover_copy: str = "CoverCopy"


def _tw(points: float) -> int:
    return round(points * 20)


class _Styles:
    """The styles part. Without a reference document every style the renderer uses is rewritten
    from the theme; with one (``keep_existing``), a style the reference defines — found by its
    name, which Word keeps in English even where the id is localised — is used as it is, and
    only missing styles are created from the theme."""

    def __init__(self, document: WordDocument, keep_existing: bool = False):
        self.root = document.styles.element
        self.keep_existing = keep_existing
        self.by_id = {s.get(w("styleId")): s for s in self.root.findall(w("style"))}
        self.by_name: dict[tuple[str, str], str] = {}
        for style_id, style in self.by_id.items():
            name = style.find(w("name"))
            if name is not None and style_id:
                key = (style.get(w("type")) or "paragraph", name.get(w("val"), "").lower())
                self.by_name.setdefault(key, style_id)
        self.ids: dict[str, str] = {}  # our default id -> the id content refers to

    def define(self, style_id: str, name: str, kind: str, based_on: str | None,
               ppr: etree._Element | None, rpr: etree._Element | None,
               next_id: str | None = None, custom: bool = True) -> str:
        """Rewrite (or create) a style: keep its identity, replace its formatting.
        Returns the id content must use."""
        based_on = self.ids.get(based_on, based_on) if based_on else None
        next_id = self.ids.get(next_id, next_id) if next_id else None
        if self.keep_existing:
            existing = self.by_name.get((kind, name.lower()))
            if existing is not None:
                self.ids[style_id] = existing
                return existing
            wanted, n = style_id, 1
            while style_id in self.by_id:  # the reference uses our id for another style
                n += 1
                style_id = f"{wanted}{n}"
            self.ids[wanted] = style_id
        else:
            self.ids[style_id] = style_id
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
        return style_id


def setup_styles(document: WordDocument, theme: Theme, look: Look, text_width: int,
                 reference: bool = False) -> StyleIds:
    """Apply the theme to the styles part; return the ids content paragraphs refer to.

    With ``reference`` (a reference .docx), the styles it defines win: they and its document
    defaults are left untouched, and only the styles it lacks are created from the theme."""
    st = _Styles(document, keep_existing=reference)
    d = StyleIds()
    body, small, leading = theme.body_size, theme.small_size, theme.leading
    if not reference:
        _document_defaults(st.root, look, body, leading)

    single = {"line": 240, "lineRule": "auto"}
    normal = st.define(d.normal, "Normal", "paragraph", None, None,
                       make_rpr(font=look.body_font, colour=look.text, size=body), custom=False)

    headings = []
    for level, size in enumerate(theme.heading_sizes[:6], start=1):
        before = max(10.0, size * 0.9) if level > 1 else max(14.0, size * 0.9)
        after = max(3.0, size * 0.35)
        headings.append(st.define(
            d.headings[level - 1], f"heading {level}", "paragraph", "Normal",
            make_ppr(keep_next=True, keep_lines=True,
                     spacing={"before": _tw(before), "after": _tw(after), **single},
                     outline=level - 1),
            make_rpr(font=look.heading_font, bold=True, italic=level == 6,
                     colour=look.heading, size=size), next_id="Normal", custom=False))

    def para(sid, name, ppr, rpr, based_on="Normal", custom=True, next_id=None):
        return st.define(sid, name, "paragraph", based_on, ppr, rpr, next_id, custom)

    def char(sid, name, rpr, custom=True):
        return st.define(sid, name, "character", "DefaultParagraphFont", None, rpr, None, custom)

    ids = {}
    # "Title" with outline level 0, so Word's navigation pane still lists the brief's title.
    title_size = theme.heading_sizes[0] * 1.2
    ids["title"] = para(d.title, "Title", make_ppr(
        keep_next=True, keep_lines=True, spacing={"before": 0, "after": _tw(6), **single},
        outline=0), make_rpr(font=look.heading_font, bold=True, colour=look.heading,
                             size=title_size), custom=False, next_id="Normal")
    ids["subtitle"] = para(d.subtitle, "Subtitle", make_ppr(
        keep_next=True, spacing={"before": 0, "after": _tw(8), **single}), make_rpr(
        font=look.heading_font, colour=look.muted, size=theme.heading_sizes[2]),
        custom=False, next_id="Normal")
    ids["meta"] = para(d.meta, "Brief Meta", make_ppr(
        keep_next=True, spacing={"before": 0, "after": _tw(3), **single}),
        make_rpr(font=look.heading_font, colour=look.muted, size=small + 1))
    ids["quote"] = para(d.quote, "Quote", make_ppr(spacing={"before": 0, "after": _tw(6)}),
                        make_rpr(italic=True, colour=look.text), custom=False)
    ids["list_paragraph"] = para(d.list_paragraph, "List Paragraph", make_ppr(
        spacing={"before": 0, "after": _tw(3)}), None, custom=False)
    ids["code_block"] = para(d.code_block, "Code Block", make_ppr(
        pbdr=borders("pBdr", {s: (RULE_COLOUR, 4, 4) for s in ("top", "left", "bottom",
                                                               "right")}),
        fill="F5F6F8", spacing={"before": _tw(4), "after": _tw(10), **single},
        ind={"left": _tw(5), "right": _tw(5)}),
        make_rpr(font=look.mono_font, no_proof=True, size=max(small, body - 1)))
    ids["inline_code"] = char(d.inline_code, "Inline Code", make_rpr(
        font=look.mono_font, no_proof=True, size=max(small, body - 1)))
    ids["hyperlink"] = char(d.hyperlink, "Hyperlink",
                            make_rpr(colour=look.link, underline="single"), custom=False)
    ids["table_text"] = para(d.table_text, "Table Text", make_ppr(
        spacing={"before": 0, "after": 0, **single}), make_rpr(size=small + 0.5))
    ids["table_heading"] = para(d.table_heading, "Table Heading", make_ppr(keep_next=True),
                                make_rpr(font=look.heading_font, bold=True,
                                         colour=look.header_text), based_on=d.table_text)
    tabs = [("center", text_width // 2), ("right", text_width)]
    for key, sid, name in (("header", d.header, "header"), ("footer", d.footer, "footer")):
        ids[key] = para(sid, name, make_ppr(tabs=tabs, spacing={"before": 0, "after": 0,
                                                                **single}),
                        make_rpr(font=look.heading_font, colour=look.muted, size=small),
                        custom=False)

    # contents: the title stays out of the navigation pane (outline level 9 = body text)
    ids["toc_heading"] = para(d.toc_heading, "TOC Heading", make_ppr(
        keep_next=True, spacing={"before": 0, "after": _tw(10), **single}, outline=9),
        make_rpr(font=look.heading_font, bold=True, colour=look.heading,
                 size=theme.heading_sizes[1]), custom=False, next_id="Normal")
    toc_ids = []
    for level, (sid, indent) in enumerate(zip(d.toc, (0, 320)), start=2):
        ppr = make_ppr(tabs=[("right", text_width, "dot")],  # page numbers at the text edge
                       spacing={"before": _tw(5 if level == 2 else 1), "after": _tw(1),
                                **single}, ind={"left": indent, "right": 400})
        rpr = (make_rpr(font=look.heading_font, size=body) if level == 2
               else make_rpr(size=body))
        toc_ids.append(para(sid, f"toc {level}", ppr, rpr, custom=False, next_id="Normal"))

    ids["figure"] = para(d.figure, "Figure", make_ppr(
        keep_next=True, keep_lines=True, spacing={"before": _tw(8), "after": _tw(3), **single},
        jc="center"), None)
    ids["caption"] = para(d.caption, "caption", make_ppr(
        keep_lines=True, spacing={"before": 0, "after": _tw(12), **single}),
        make_rpr(font=look.heading_font, italic=False, colour=look.muted, size=small + 0.5),
        custom=False, next_id="Normal")
    ids["footnote_text"] = para(d.footnote_text, "footnote text", make_ppr(
        spacing={"before": 0, "after": _tw(2), **single}, ind={"left": 200, "hanging": 200}),
        make_rpr(size=small + 0.5), custom=False)
    ids["footnote_ref"] = char(d.footnote_ref, "footnote reference",
                               make_rpr(vert_align="superscript"), custom=False)
    ids["source_list"] = para(d.source_list, "Source List", make_ppr(
        tabs=[("left", 400)], spacing={"before": 0, "after": _tw(5), **single},
        ind={"left": 400, "hanging": 400}), make_rpr(size=body - 0.5))

    ids["cover_org"] = para(d.cover_org, "Cover Organisation", make_ppr(
        keep_next=True, pbdr=borders("pBdr", {"bottom": (look.accent, 24, 6)}),
        spacing={"before": 0, "after": 0, **single}),
        make_rpr(font=look.heading_font, bold=True, caps=True, colour=look.accent,
                 tracking=1.0, size=body + 1))
    ids["cover_marking"] = para(d.cover_marking, "Cover Marking", make_ppr(
        keep_next=True, spacing={"before": 0, "after": 0, "line": 240, "lineRule": "auto"},
        jc="center"), make_rpr(font=look.heading_font, bold=True, tracking=1.0,
                               size=theme.marking_size + 4))
    ids["cover_copy"] = para(d.cover_copy, "Cover Copy", make_ppr(
        keep_next=True, spacing={"before": 0, "after": _tw(2), **single}),
        make_rpr(font=look.heading_font, colour=look.text, size=body))
    return StyleIds(normal=normal, headings=tuple(headings), toc=tuple(toc_ids), **ids)


def _document_defaults(root: etree._Element, look: Look, body: float, leading: float) -> None:
    """Document defaults: the fallback for anything without a style (footnote marks, numbers)."""
    defaults = root.find(w("docDefaults"))
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


_EAST_ASIAN = frozenset({"zh", "ja", "ko"})


def set_language(document: WordDocument, language: str) -> None:
    """The document's default language (spelling, hyphenation): docDefaults' ``w:lang``."""
    root = document.styles.element
    defaults = root.find(w("docDefaults"))
    if defaults is None:
        defaults = new("docDefaults")
        root.insert(0, defaults)
    rpr_default = defaults.find(w("rPrDefault"))
    if rpr_default is None:
        rpr_default = sub(defaults, "rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(w("rPr"))
    if rpr is None:
        rpr = sub(rpr_default, "rPr")
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = sub(rpr, "lang")
    lang.set(w("val"), language)
    # Word keeps a language per script slot: a brief written in Dari or Chinese says so in the
    # complex-script or East Asian slot too (its runs in that script check and hyphenate by it)
    primary = language.split("-")[0].lower()
    if language_level(language) == 1:
        lang.set(w("bidi"), language)
    elif primary in _EAST_ASIAN:
        lang.set(w("eastAsia"), language)
