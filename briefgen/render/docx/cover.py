"""The cover page of the DOCX renderer, made from the brief's title block.

``Document.cover`` (the title block resolve chose) becomes page 1: the organisation (and the
theme's logo) over a rule, the title block's own paragraphs (title, subtitle, date, authors,
audience) lower down, and for a numbered copy "Copy n of N" with its recipient near the foot.
The next block starts a new page. The section's first-page header and footer (``w:titlePg``,
heads.py) carry the marking, as a band across the text width at the top and the foot of the
cover as the PDF's cover has it, and the copy line, without the running title and page number.
The marking is printed there only: a third band in the body (there was one at 80% of the page)
said nothing the header and footer do not.
"""
from __future__ import annotations

import copy as copy_module
import math
from dataclasses import replace

from ...document.nodes import (Callout, DocumentInfo, Heading, LineBreak, Paragraph, Subtitle,
                               plain_text)
from . import xml as x
from .figures import logo_picture

TITLE_DROP = 150.0    # points from the organisation rule down to the title
LOGO_HEIGHT = 44.0    # points
BOTTOM = 0.93         # the copy block ends this far down the text area
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

    copy = info.copy
    # The copy block sits near the foot of the page: the room above it is what the page has
    # left after a rough measure of the title block (no layout engine is at hand).
    used = _top_height(writer, node, info, (frame.width - frame.indent) / 20)
    gap = max(36.0, BOTTOM * writer.text_height / 20 - used - _COPY)
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
