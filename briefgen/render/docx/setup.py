"""Package-level setup for the DOCX renderer: page geometry, section, core properties."""
from __future__ import annotations

import datetime
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Twips

from ...content.fields import LANGUAGE_TAG
from ...document.nodes import Document
from ...errors import BriefgenError
from ...theme.model import PAPER_SIZES, Theme
from . import xml as x

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Parts of a reference document that belong to its (discarded) body, or are its own metadata.
_BODY_PARTS = ("/footnotes", "/endnotes", "/comments", "/commentsExtended", "/commentsIds",
               "/commentsExtensible", "/people")


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


def open_base(theme: Theme):
    """(python-docx Document to start from, whether it is the theme's reference document).

    A reference document keeps its styles, numbering definitions, page setup and theme; its
    body, headers/footers, notes, comments and custom properties are dropped."""
    ref = getattr(theme, "reference_docx", None)
    if ref is None:
        return docx.Document(), False
    path = Path(ref)
    if not path.is_file():
        raise BriefgenError(f"theme: the reference DOCX {path} does not exist", path=str(path))
    try:
        word = docx.Document(str(path))
    except Exception as err:  # zipfile, KeyError, lxml, python-docx's own: all mean unusable
        raise BriefgenError(f"theme: the reference DOCX {path} is not a Word document that can "
                            f"be read ({type(err).__name__}: {err})", path=str(path)) from None
    _strip_reference(word)
    return word, True


def _strip_reference(word) -> None:
    body = word.element.body
    sect_pr = body.get_or_add_sectPr()
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    for tag in ("headerReference", "footerReference", "titlePg"):
        for el in sect_pr.findall(x.w(tag)):
            rid = el.get(f"{{{_R_NS}}}id")
            sect_pr.remove(el)
            if rid and rid in word.part.rels:
                del word.part.rels[rid]
    for rid, rel in list(word.part.rels.items()):
        if not rel.is_external and rel.reltype.endswith(_BODY_PARTS):
            del word.part.rels[rid]
    settings = word.settings.element
    for tag in ("evenAndOddHeaders", "footnotePr", "endnotePr", "updateFields",
                "attachedTemplate"):
        for el in settings.findall(x.w(tag)):
            settings.remove(el)
    pkg_rels = word.part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            del pkg_rels[rid]


def reference_geometry(word, theme: Theme) -> tuple[int, int, tuple[int, int, int, int]]:
    """Page size and margins (twips) of the reference document's section; where it sets none,
    the theme's, written into the section. Paper the user chose (the workspace's ``paper:`` or
    --paper) replaces the reference's page size, as it does the theme's: the PDF and the DOCX
    of one build are on the same paper. The reference's margins stay."""
    theme_w, theme_h, theme_margins = page_geometry(theme)
    section = word.sections[0]
    values = [section.page_width, section.page_height, section.top_margin,
              section.right_margin, section.bottom_margin, section.left_margin]
    if any(v is None for v in values):
        setup_section(word, theme_w, theme_h, theme_margins)
        return theme_w, theme_h, theme_margins
    page_w, page_h, *margins = (round(v.twips) for v in values)
    if theme.paper_chosen and (page_w, page_h) != (theme_w, theme_h):
        page_w, page_h = theme_w, theme_h
        section.page_width, section.page_height = Twips(page_w), Twips(page_h)
    if page_w - margins[1] - margins[3] < 1440 or page_h - margins[0] - margins[2] < 1440:
        raise BriefgenError(f"theme: the reference DOCX {theme.reference_docx} leaves less "
                            "than one inch for the text", path=str(theme.reference_docx))
    return page_w, page_h, tuple(margins)


def drop_unused_rels(word) -> None:
    """Pictures and links only the reference's discarded body used."""
    root = word.part.element
    used = set(root.xpath(f"//@*[namespace-uri()='{_R_NS}']"))
    for rid, rel in list(word.part.rels.items()):
        if rel.reltype in (RT.IMAGE, RT.HYPERLINK) and rid not in used:
            del word.part.rels[rid]


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
    """Title, author, subject (the subtitle), keywords (the brief's and its marking), category
    (the marking) and language; nothing from the template or reference document survives."""
    info = doc.info

    def text(value: str, what: str) -> str:
        return x.check_text(value or "", f"document {what}")[:255]

    marking = text(info.marking, "marking").strip()
    keywords = [text(k, "keyword").strip() for k in (info.keywords or [])]
    if marking and marking not in keywords:
        keywords.append(marking)
    props = word.core_properties
    props.title = text(info.title, "title")
    props.subject = text(info.subtitle, "subtitle")
    props.author = text(", ".join(info.authors), "authors")
    props.identifier = text(info.brief_id, "id")
    props.keywords = ", ".join(k for k in keywords if k)[:255]
    props.category = marking
    props.language = language_tag(info.language)
    props.comments = ""
    props.last_modified_by = ""
    props.content_status = ""
    props.version = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = created


def language_tag(value) -> str:
    """A BCP 47 language tag such as ``en``, ``en-GB`` or ``fa-IR``; "" means English."""
    value = (value or "en") if isinstance(value, str) else value
    if not isinstance(value, str) or not LANGUAGE_TAG.match(value.strip()):
        raise BriefgenError(f"document language must be a language tag like 'en' or 'en-GB', "
                            f"not {value!r}")
    return value.strip()
