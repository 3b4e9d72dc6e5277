"""The cover page of the DOCX renderer, made from the brief's title block.

``Document.cover`` (the title block resolve chose) becomes page 1: the organisation (and the
theme's logo) over a rule, the title block's own paragraphs (title, subtitle, date, authors,
audience) lower down, the marking as a banner, and for a numbered copy "Copy n of N" with its
recipient. The next block starts a new page. The section's first-page header and footer
(``w:titlePg``, heads.py) carry the marking and the copy line on the cover without the
running title and page number.
"""
from __future__ import annotations

import copy as copy_module
import math
from dataclasses import replace

from ...document.nodes import (Callout, DocumentInfo, Heading, LineBreak, Paragraph, Subtitle,
                               plain_text)
from ...theme.model import marking_colours
from . import xml as x
from .figures import logo_picture
from .styles import BANNER_COLOUR

TITLE_DROP = 150.0    # points from the organisation rule down to the title
LOGO_HEIGHT = 44.0    # points
BOTTOM = 0.93         # the marking and copy block end this far down the text area
_EM = 0.62            # average advance of the heading face, em (DejaVu Sans is wide)
_LINE = 1.17          # line height, em


def cover(writer, node: Callout, frame, info: DocumentInfo) -> None:
    ids, look, theme = writer.ids, writer.look, writer.theme
    writer.line = node.line or writer.line
    pad = {"left": frame.indent + 240}  # the copy block's text, clear of its bar
    parent = frame.parent

    if theme.logo:
        p = writer.new_p(frame, ids.normal, spacing={"before": 0, "after": 160})
        logo_picture(writer, p, theme.logo, LOGO_HEIGHT, (frame.width - frame.indent) / 20)
    organisation = x.check_text(info.organisation or "", "document organisation").strip()
    p = writer.new_p(frame, ids.cover_org)
    if organisation:
        writer.run(p, organisation, writer.PLAIN)

    start = len(parent)
    inner = replace(frame, titleblock=True)
    for child in node.children:
        writer.block(child, inner)
    added = [el for el in parent[start:] if el.tag == x.P]
    if added:
        x.set_spacing(added[0], before=round(TITLE_DROP * 20))
        x.set_ppr_child(added[-1], x.borders("pBdr", {"bottom": (look.accent, 12, 8)}))
        x.set_spacing(added[-1], after=0)
    else:
        writer.new_p(frame, ids.meta, spacing={"before": round(TITLE_DROP * 20)})

    marking = x.check_text(info.marking or "", "document marking").strip()
    copy = info.copy
    # The marking and copy block sit near the foot of the page: the room above it is what the
    # page has left after a rough measure of the title block (no layout engine is at hand).
    lower = (_BANNER + 4 if marking else 0) + (_COPY if copy is not None else 0)
    used = _top_height(writer, node, info, (frame.width - frame.indent) / 20)
    gap = max(36.0, BOTTOM * writer.text_height / 20 - used - lower)
    if marking:
        banner(writer, frame, marking, gap)
        gap = 24.0
    if copy is not None:
        label = x.check_text(copy.label, "document copy")
        recipient = x.check_text(copy.recipient or "", "document copy recipient").strip()
        rule = x.borders("pBdr", {"left": (look.accent, 24, 8)})  # one bar for both lines
        p = writer.new_p(frame, ids.cover_copy, spacing={"before": round(gap * 20),
                                                         "after": 40}, pbdr=rule, ind=pad)
        writer.run(p, label, writer.PLAIN._replace(bold=True))
        if recipient:
            p = writer.new_p(frame, ids.cover_copy, pbdr=copy_module.deepcopy(rule), ind=pad)
            writer.run(p, "Issued to: ", writer.PLAIN)
            writer.run(p, recipient, writer.PLAIN._replace(bold=True))
    last = parent[-1]
    x.set_ppr_child(last, x.new("keepNext", val=0))  # nothing to keep: page 2 starts anyway
    writer.pending_break = True


_BANNER = 36.0  # points: the marking banner with its rules
_COPY = 24.0 + 2 * 14.0  # the copy block


def _top_height(writer, node: Callout, info: DocumentInfo, width: float) -> float:
    """Points from the top of the page to the foot of the title block, roughly."""
    theme = writer.theme

    def block(text: str, size: float, after: float) -> float:
        lines = max(1, math.ceil(len(text) * _EM * size / max(width, 72.0)))
        return lines * size * _LINE + after

    height = (LOGO_HEIGHT + 8 if theme.logo else 0) + block(info.organisation or "",
                                                            theme.body_size + 1, 9)
    height += TITLE_DROP
    for child in node.children:
        text = (plain_text(child.children) if isinstance(child, (Heading, Paragraph, Subtitle))
                else "")
        if isinstance(child, Heading) and child.level == 1:
            height += block(text, theme.heading_sizes[0] * 1.2, 6)
        elif isinstance(child, Subtitle):
            height += block(text, theme.heading_sizes[2], 8)
        else:
            breaks = sum(isinstance(c, LineBreak) for c in getattr(child, "children", []))
            height += block(text, theme.small_size + 1, 3) * (breaks + 1)
    return height + 10


def banner(writer, frame, marking: str, before: float) -> None:
    """The marking across the text width: a TLP label in its colours on a black band, any
    other marking in dark red between two rules."""
    tlp = marking_colours(marking)
    ids = writer.ids
    if tlp:
        colour = x.hex_colour(tlp[0], "TLP label colour")
        fill = x.hex_colour(tlp[1], "TLP background")
        pad = 6  # points of black around the label; the band lines up with the text edges
        p = writer.new_p(frame, ids.cover_marking,
                         spacing={"before": round(before * 20), "after": 0},
                         ind={"left": frame.indent + pad * 20 + 10, "right": pad * 20 + 10},
                         pbdr=x.borders("pBdr", {side: (fill, 4, pad) for side in
                                                 ("top", "left", "bottom", "right")}))
        x.set_ppr_child(p, x.shading(fill))
        rpr = x.make_rpr(colour=colour)
        text = marking.upper()
    else:
        rule = (BANNER_COLOUR, 12, 4)
        p = writer.new_p(frame, ids.cover_marking,
                         spacing={"before": round(before * 20), "after": 0},
                         pbdr=x.borders("pBdr", {"top": rule, "bottom": rule}))
        rpr = x.make_rpr(colour=BANNER_COLOUR)
        text = marking
    r = x.sub(p, "r")
    r.append(rpr)
    x.add_text(r, text)
