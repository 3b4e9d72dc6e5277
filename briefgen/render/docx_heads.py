"""Running header and footer of the DOCX renderer: marking, short title, date, Page N of M.

A TLP 2.0 label is printed right-aligned in its colour on black; any other marking is a centred
dark-red banner at the top of the header and the bottom of the footer.
"""
from __future__ import annotations

from lxml import etree

from ..document import DocumentInfo
from ..theme import marking_colours
from . import docx_xml as x
from .docx_styles import BANNER_COLOUR, RULE_COLOUR

SHORT_TITLE_CHARS = 70


def short_title(title: str, limit: int = SHORT_TITLE_CHARS) -> str:
    """The title for the running head, cut at a word boundary when it is long."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[:limit - 1].rsplit(" ", 1)[0] or title[:limit - 1]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def write_running_heads(writer, word, info: DocumentInfo) -> None:
    look, ids, theme = writer.look, writer.ids, writer.theme
    marking = x.check_text(info.marking or "", "document marking").strip()
    title = short_title(x.check_text(info.title or "", "document title"))
    date = x.check_text(info.date or "", "document date")
    tlp = marking_colours(marking) if marking else None
    section = word.sections[0]
    header, footer = _fresh(section.header), _fresh(section.footer)
    mid = writer.text_width // 2

    def para(parent, style, *, pbdr=None, tabs=None, jc=None) -> etree._Element:
        p = etree.SubElement(parent, x.P)
        p.append(x.make_ppr(style=style, pbdr=pbdr, tabs=tabs, jc=jc))
        return p

    def label(p) -> None:
        """The marking itself: a TLP label in its colours, or the banner text."""
        if tlp:
            colour = x.hex_colour(tlp[0], "TLP label colour")
            rpr = x.make_rpr(font=look.heading_font, bold=True, colour=colour,
                             size=theme.marking_size, fill=x.hex_colour(tlp[1], "TLP background"))
            text = f" {marking.upper()} "
        else:
            rpr = x.make_rpr(font=look.heading_font, bold=True, colour=BANNER_COLOUR,
                             size=theme.marking_size)
            text = marking
        r = etree.SubElement(p, x.R)
        r.append(rpr)
        x.add_text(r, text)

    def page_numbers(p) -> None:
        writer.run(p, "Page ", writer.PLAIN)
        x.field(p, "PAGE", "1")
        writer.run(p, " of ", writer.PLAIN)
        x.field(p, "NUMPAGES", "1")

    below = x.borders("pBdr", {"bottom": (RULE_COLOUR, 4, 4)})
    above = x.borders("pBdr", {"top": (RULE_COLOUR, 4, 4)})

    # header: [banner] / short title ............ [TLP label]
    if marking and not tlp:
        label(para(header, ids.header, jc="center"))
    p = para(header, ids.header, pbdr=below, tabs=[("clear", mid)])
    writer.run(p, title, writer.PLAIN)
    if tlp:
        x.sub(etree.SubElement(p, x.R), "tab")
        label(p)

    # footer: date ...... Page N of M ...... [TLP label] / [banner]
    p = para(footer, ids.footer, pbdr=above)
    writer.run(p, date, writer.PLAIN)
    x.sub(etree.SubElement(p, x.R), "tab")
    page_numbers(p)
    if tlp:
        x.sub(etree.SubElement(p, x.R), "tab")
        label(p)
    elif marking:
        label(para(footer, ids.footer, jc="center"))


def _fresh(header_footer) -> etree._Element:
    """The section's own (unlinked) header/footer element, emptied."""
    header_footer.is_linked_to_previous = False
    root = header_footer.part.element
    for child in list(root):
        root.remove(child)
    return root
