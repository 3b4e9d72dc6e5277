"""Running header and footer of the DOCX renderer: marking, short title, date, Page N of M,
the copy number, and the watermark.

A TLP 2.0 label is printed right-aligned in its colour on black; any other marking is a centred
dark-red banner at the top of the header and the bottom of the footer. With a cover page the
section has a different first page (``w:titlePg``): the cover's header and footer carry the
marking as a band across the text width (as the PDF's cover; the cover's body does not repeat
it) and the copy line, but no running title or page number. ``Page N of M`` uses real PAGE
and NUMPAGES fields and counts the cover as page 1, so the numbers match the PDF's pages.
The watermark is the VML text shape Word's Design > Watermark inserts, anchored in every header
(the first-page one too), so it sits behind the text of every page.
"""
from __future__ import annotations

from lxml import etree

from ...document.nodes import DocumentInfo
from ...theme.model import marking_colours
from . import xml as x
from .styles import BANNER_COLOUR, RULE_COLOUR

SHORT_TITLE_CHARS = 70
WATERMARK_COLOUR = "#C8C8C8"


def short_title(title: str, limit: int = SHORT_TITLE_CHARS) -> str:
    """The title for the running head, cut at a word boundary when it is long."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[:limit - 1].rsplit(" ", 1)[0] or title[:limit - 1]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def _style_tabs(styles_root: etree._Element, style_id: str) -> set[tuple[str, int]]:
    style = styles_root.find(f"{x.w('style')}[@{x.w('styleId')}='{style_id}']")
    if style is None:
        return set()
    return {(tab.get(x.w("val")), int(tab.get(x.w("pos"), 0)))
            for tab in style.iterfind(f"{x.w('pPr')}/{x.w('tabs')}/{x.w('tab')}")}


class _Heads:
    def __init__(self, writer, info: DocumentInfo, styles_root: etree._Element):
        self.writer = writer
        self.style_tabs = {sid: _style_tabs(styles_root, sid)
                           for sid in (writer.ids.header, writer.ids.footer)}
        self.look, self.ids, self.theme = writer.look, writer.ids, writer.theme
        self.marking = x.check_text(info.marking or "", "document marking").strip()
        own = x.check_text(info.short_title or "", "document short title").strip()
        self.title = short_title(own or x.check_text(info.title or "", "document title"))
        self.date = x.check_text(info.date or "", "document date")
        self.tlp = marking_colours(self.marking) if self.marking else None
        copy = info.copy
        self.copy = ""
        if copy is not None:
            recipient = x.check_text(copy.recipient or "", "document copy recipient").strip()
            self.copy = x.check_text(copy.label, "document copy") + (
                f" \u2014 {recipient}" if recipient else "")
        self.watermark = x.check_text(info.watermark or "", "document watermark").strip()

    def para(self, parent, style, *, pbdr=None, centre_tab=True, jc=None) -> etree._Element:
        """A header/footer paragraph; unless centred, with a right tab stop at the text edge
        (and a centre one): a reference document's header/footer styles may have theirs for
        another text width, so they are cleared where they differ."""
        tabs = None
        if jc is None:
            width = self.writer.text_width
            want = {("right", width)} | ({("center", width // 2)} if centre_tab else set())
            have = self.style_tabs.get(style, set())
            tabs = sorted([("clear", pos) for val, pos in have if (val, pos) not in want]
                          + [tab for tab in want if tab not in have], key=lambda t: t[1])
        p = etree.SubElement(parent, x.P)
        p.append(x.make_ppr(style=style, pbdr=pbdr, tabs=tabs, jc=jc))
        return p

    def label(self, p) -> None:
        """The marking itself: a TLP label in its colours, or the banner text."""
        theme, look = self.theme, self.look
        if self.tlp:
            colour = x.hex_colour(self.tlp[0], "TLP label colour")
            rpr = x.make_rpr(font=look.heading_font, bold=True, colour=colour,
                             size=theme.marking_size,
                             fill=x.hex_colour(self.tlp[1], "TLP background"))
            text = f" {self.marking.upper()} "
        else:
            rpr = x.make_rpr(font=look.heading_font, bold=True, colour=BANNER_COLOUR,
                             size=theme.marking_size)
            text = self.marking
        r = etree.SubElement(p, x.R)
        r.append(rpr)
        x.add_text(r, text)

    def tab(self, p) -> None:
        x.sub(etree.SubElement(p, x.R), "tab")

    def running_header(self, root) -> None:
        """[banner] / short title ............ [TLP label]"""
        ids = self.ids
        if self.marking and not self.tlp:
            self.label(self.para(root, ids.header, jc="center"))
        p = self.para(root, ids.header, pbdr=x.borders("pBdr", {"bottom": (RULE_COLOUR, 4, 4)}),
                      centre_tab=False)
        self.writer.run(p, self.title, self.writer.PLAIN)
        if self.tlp:
            self.tab(p)
            self.label(p)

    def running_footer(self, root) -> None:
        """TLP:   date ...... Page N of M ...... TLP label / copy line
        other: date ...... copy line ...... Page N of M / banner"""
        writer, ids = self.writer, self.ids
        p = self.para(root, ids.footer, pbdr=x.borders("pBdr", {"top": (RULE_COLOUR, 4, 4)}))
        writer.run(p, self.date, writer.PLAIN)
        self.tab(p)
        if self.copy and not self.tlp:
            writer.run(p, self.copy, writer.PLAIN._replace(bold=True))
            self.tab(p)
        writer.run(p, "Page ", writer.PLAIN)
        x.field(p, "PAGE", "1")
        writer.run(p, " of ", writer.PLAIN)
        x.field(p, "NUMPAGES", "1")
        if self.tlp:
            self.tab(p)
            self.label(p)
            if self.copy:
                writer.run(self.para(root, ids.footer, jc="center"), self.copy,
                           writer.PLAIN._replace(bold=True))
        elif self.marking:
            self.label(self.para(root, ids.footer, jc="center"))

    def band(self, root) -> None:
        """The cover's marking: a band across the text width, as on the PDF's cover; a TLP
        label in its colours on black, any other marking in dark red between two rules."""
        if self.tlp:
            fill = x.hex_colour(self.tlp[1], "TLP background")
            pad = 6  # points of black around the label; the band lines up with the text edges
            ppr = x.make_ppr(style=self.ids.cover_marking, fill=fill,
                             spacing={"before": 0, "after": 0},
                             ind={"left": pad * 20 + 10, "right": pad * 20 + 10},
                             pbdr=x.borders("pBdr", {side: (fill, 4, pad) for side in
                                                     ("top", "left", "bottom", "right")}))
            rpr = x.make_rpr(colour=x.hex_colour(self.tlp[0], "TLP label colour"))
            text = self.marking.upper()
        else:
            rule = (BANNER_COLOUR, 12, 4)
            ppr = x.make_ppr(style=self.ids.cover_marking, spacing={"before": 0, "after": 0},
                             pbdr=x.borders("pBdr", {"top": rule, "bottom": rule}))
            rpr = x.make_rpr(colour=BANNER_COLOUR)
            text = self.marking
        p = etree.SubElement(root, x.P)
        p.append(ppr)
        r = etree.SubElement(p, x.R)
        r.append(rpr)
        x.add_text(r, text)

    def cover_header(self, root) -> None:
        """The cover's: the marking only (the title is on the page)."""
        if self.marking:
            self.band(root)
        else:
            self.para(root, self.ids.header)

    def cover_footer(self, root) -> None:
        """The cover's: copy line / the marking's band"""
        writer, ids = self.writer, self.ids
        if self.copy or not self.marking:
            p = self.para(root, ids.footer, centre_tab=False)
            if self.copy:
                writer.run(p, self.copy, writer.PLAIN._replace(bold=True))
        if self.marking:
            self.band(root)

    def add_watermark(self, root, shape_number: int) -> None:
        if not self.watermark:
            return
        first = root.find(x.P)
        first.append(watermark_run(self.watermark, self.look.heading_font,
                                   self.writer.text_width / 20, shape_number))


def write_running_heads(writer, word, info: DocumentInfo, cover: bool) -> None:
    heads = _Heads(writer, info, word.styles.element)
    section = word.sections[0]
    header, footer = _fresh(section.header), _fresh(section.footer)
    heads.running_header(header)
    heads.running_footer(footer)
    heads.add_watermark(header, 1)
    section.different_first_page_header_footer = cover
    if cover:
        first_header = _fresh(section.first_page_header)
        first_footer = _fresh(section.first_page_footer)
        heads.cover_header(first_header)
        heads.cover_footer(first_footer)
        heads.add_watermark(first_header, 2)


def _fresh(header_footer) -> etree._Element:
    """The section's own (unlinked) header/footer element, emptied."""
    header_footer.is_linked_to_previous = False
    root = header_footer.part.element
    for child in list(root):
        root.remove(child)
    return root


# --- the watermark -----------------------------------------------------------------------------

_V = "urn:schemas-microsoft-com:vml"
_O = "urn:schemas-microsoft-com:office:office"
_W10 = "urn:schemas-microsoft-com:office:word"

# Word's WordArt "plain text" shape type (#136), as Word writes it for a text watermark.
_SHAPETYPE = (
    f'<v:shapetype xmlns:v="{_V}" xmlns:o="{_O}" id="_x0000_t136" coordsize="21600,21600" '
    'o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(f'<v:f eqn="{eqn}"/>' for eqn in (
        "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3",
        "if @0 @3 0", "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6",
        "mid @8 @5", "mid @7 @8", "mid @6 @7", "sum @6 0 @5"))
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" '
    'xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    '</v:shapetype>')


def watermark_run(text: str, font: str, text_width_pt: float,
                  shape_number: int) -> etree._Element:
    """A ``w:r`` holding the watermark: ``text`` in light grey, rotated 45° (rising to the
    right), centred on the page's text area and behind the text."""
    from xml.sax.saxutils import quoteattr

    # The shape is stretched to fit the text (fitshape), so it gets the text's proportions:
    # about 0.68 em per capital of a bold sans face, one em high.
    aspect = 0.68 * max(len(text), 1)
    height = min(110.0, text_width_pt * 1.2 / aspect)
    width = height * aspect
    colour = WATERMARK_COLOUR.lower()
    style = (f"position:absolute;margin-left:0;margin-top:0;width:{width:.1f}pt;"
             f"height:{height:.1f}pt;rotation:315;z-index:-251657216;"
             "mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
             "mso-position-vertical:center;mso-position-vertical-relative:margin")
    font_css = f'font-family:"{font}";font-size:1pt'
    shape = (
        f'<v:shape xmlns:v="{_V}" xmlns:o="{_O}" xmlns:w10="{_W10}" '
        f'id="PowerPlusWaterMarkObject{shape_number}" o:spid="_x0000_s{1024 + shape_number}" '
        f'type="#_x0000_t136" style="{style}" o:allowincell="f" fillcolor="{colour}" '
        f'stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style={quoteattr(font_css)} string={quoteattr(text)}/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape>')
    run = x.new("r")
    run.append(x.make_rpr(no_proof=True))
    pict = x.sub(run, "pict")
    pict.append(etree.fromstring(_SHAPETYPE))
    pict.append(etree.fromstring(shape))
    return run
