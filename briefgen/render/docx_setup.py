"""Package-level setup for the DOCX renderer: page geometry, section, core properties, anchors."""
from __future__ import annotations

import datetime
import re

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Twips

from ..document import BlockQuote, BulletList, Callout, Document, Heading, OrderedList
from ..errors import BriefgenError
from ..theme import PAPER_SIZES, Theme
from . import docx_xml as x


def page_geometry(theme: Theme) -> tuple[int, int, tuple[int, int, int, int]]:
    """Page width/height and margins (top, right, bottom, left) in twips, checked."""
    if theme.paper not in PAPER_SIZES:
        raise BriefgenError(f"theme: paper must be one of {', '.join(PAPER_SIZES)}, "
                            f"not {theme.paper!r}")
    page_w, page_h = (round(v * 20) for v in theme.page_size)
    margins = []
    for name in ("margin_top", "margin_right", "margin_bottom", "margin_left"):
        value = getattr(theme, name)
        if not isinstance(value, (int, float)) or value < 0:
            raise BriefgenError(f"theme: {name} must be a number of points >= 0, not {value!r}")
        margins.append(round(value * 20))
    if page_w - margins[1] - margins[3] < 72 * 20 or page_h - margins[0] - margins[2] < 72 * 20:
        raise BriefgenError("theme: the margins leave less than one inch for the text")
    sizes = [theme.body_size, theme.leading, theme.small_size, theme.marking_size,
             *theme.heading_sizes]
    if len(theme.heading_sizes) < 6 or not all(
            isinstance(s, (int, float)) and 1 <= s <= 400 for s in sizes):
        raise BriefgenError("theme: font sizes must be numbers of points between 1 and 400, "
                            "with six heading sizes")
    return page_w, page_h, tuple(margins)


def drop_template_extras(word) -> None:
    """The default template's thumbnail (a picture of someone else's page) and its Word 2010
    ``stylesWithEffects`` copy of the styles (stale once styles.xml is themed)."""
    pkg_rels = word.part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg_rels[rid]
    for rid, rel in list(word.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del word.part.rels[rid]


def setup_section(word, page_w: int, page_h: int, margins: tuple[int, int, int, int]) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Twips(page_w), Twips(page_h)
    top, right, bottom, left = margins
    section.top_margin, section.right_margin = Twips(top), Twips(right)
    section.bottom_margin, section.left_margin = Twips(bottom), Twips(left)
    section.header_distance = Twips(max(360, top - 840))
    section.footer_distance = Twips(max(360, bottom - 820))
    section.gutter = Twips(0)


def core_properties(word, doc: Document, created: datetime.datetime) -> None:
    info = doc.info

    def text(value: str, what: str) -> str:
        return x.check_text(value, f"document {what}")[:255]

    props = word.core_properties
    props.title = text(info.title, "title")
    props.subject = text(info.subtitle, "subtitle")
    props.author = text(", ".join(info.authors), "authors")
    props.identifier = text(info.brief_id, "id")
    props.comments = ""
    props.last_modified_by = ""
    props.keywords = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = created


def collect_anchors(blocks) -> dict[str, str]:
    """Heading anchor -> Word bookmark name (<= 40 chars, letters/digits/_; hidden with a "_")."""
    anchors: dict[str, str] = {}

    def walk(nodes) -> None:
        for node in nodes:
            if isinstance(node, Heading) and node.anchor and node.anchor not in anchors:
                slug = re.sub(r"[^A-Za-z0-9_]", "_", node.anchor)
                anchors[node.anchor] = f"_h{len(anchors) + 1}_{slug}"[:40]
            elif isinstance(node, (BulletList, OrderedList)):
                for item in node.items:
                    walk(getattr(item, "children", []))
            elif isinstance(node, (BlockQuote, Callout)):
                walk(node.children)

    walk(blocks)
    return anchors
