"""Raw WordprocessingML helpers for the DOCX renderer.

python-docx has no API for fields, hyperlinks, numbering overrides, borders or shading, and its
object API is slow for bulk content, so the renderer builds ``w:`` elements with lxml directly.
Children are always added in the order the OOXML schema requires: Word reports files with
``w:pPr``/``w:rPr`` children out of order as corrupt, while LibreOffice accepts them, so a
LibreOffice preview proves nothing here (tests/test_render_docx.py checks the order).
"""
from __future__ import annotations

import copy
import datetime
import io
import re
import zipfile
from typing import Callable

from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser
from lxml import etree

from ...errors import BriefgenError

W_NS = nsmap["w"]
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NSMAP = {"w": W_NS, "r": nsmap["r"]}


def w(tag: str) -> str:
    """Clark name of a ``w:`` tag (``w("p")`` -> ``{...main}p``)."""
    return _W_CACHE.get(tag) or _W_CACHE.setdefault(tag, qn("w:" + tag))


_W_CACHE: dict[str, str] = {}
P, R, T, TBL, TC = w("p"), w("r"), w("t"), w("tbl"), w("tc")

# Child order of the property elements, as the schema (ECMA-376 part 1, 17.3.1.26 / 17.3.2.28 ...)
# sequences them. Only the children this renderer writes are listed.
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "numPr",
             "pBdr", "shd", "tabs", "bidi", "spacing", "ind", "contextualSpacing", "jc",
             "outlineLvl")
_PPR_RANK = {name: i for i, name in enumerate(PPR_ORDER)}

# Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, lone surrogates,
# U+FFFE/U+FFFF). lxml would raise a bare ValueError on them.
# (Listed, not as the complement of what XML allows: that class takes ~5 ms to compile.)
_BAD_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_text(text: str, where: str) -> str:
    """Return ``text`` or raise BriefgenError naming the first character XML cannot hold."""
    bad = _BAD_XML_CHAR.search(text)
    if bad:
        raise BriefgenError(f"{where}: character U+{ord(bad.group()):04X} cannot be stored in a "
                            "DOCX file; remove it from the content or template")
    return text


def hex_colour(value: str, what: str) -> str:
    """``#rrggbb`` -> ``RRGGBB`` as Word wants it; a BriefgenError for anything else."""
    if isinstance(value, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", value.strip()):
        return value.strip()[1:].upper()
    raise BriefgenError(f"theme: {what} must be a colour like '#14325C', not {value!r}")


# --- building elements --------------------------------------------------------------------------

def new(tag: str, **attrs: str | int) -> etree._Element:
    """A detached ``w:`` element (python-docx's element classes, w/r namespaces declared)."""
    el = oxml_parser.makeelement(w(tag), nsmap=_NSMAP)
    for key, value in attrs.items():
        el.set(w(key), str(value))
    return el


def sub(parent: etree._Element, tag: str, **attrs: str | int) -> etree._Element:
    """Append a ``w:`` child; attribute names are ``w:`` attributes (``val="x"`` -> ``w:val``)."""
    el = etree.SubElement(parent, w(tag))
    for key, value in attrs.items():
        el.set(w(key), str(value))
    return el


def last_child(el: etree._Element) -> etree._Element | None:
    """``el``'s last child, or None. (``len(el)`` counts every child: asking it of the body
    before each new paragraph made building a long document quadratic.)"""
    try:
        return el[-1]
    except IndexError:
        return None


def insert_ordered(parent: etree._Element, child: etree._Element, rank: dict[str, int]) -> None:
    """Insert ``child`` into a property element at its schema position (replacing a namesake)."""
    name = etree.QName(child).localname
    mine = rank[name]
    for i, existing in enumerate(parent):
        other = rank.get(etree.QName(existing).localname, len(rank))
        if other == mine:
            parent.replace(existing, child)
            return
        if other > mine:
            parent.insert(i, child)
            return
    parent.append(child)


def get_ppr(p: etree._Element) -> etree._Element:
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = new("pPr")
        p.insert(0, ppr)
    return ppr


def set_ppr_child(p: etree._Element, child: etree._Element) -> None:
    insert_ordered(get_ppr(p), child, _PPR_RANK)


def border(parent: etree._Element, side: str, colour: str, size_eighths: int = 4,
           space_pt: int = 0, val: str = "single") -> etree._Element:
    return sub(parent, side, val=val, sz=size_eighths, space=space_pt, color=colour)


def borders(tag: str, sides: dict[str, tuple[str, int, int] | None]) -> etree._Element:
    """``w:pBdr``/``w:tblBorders`` from {side: (colour, eighths of a pt, space pt) or None}."""
    el = new(tag)
    for side, spec in sides.items():
        if spec is None:
            sub(el, side, val="nil")
        else:
            border(el, side, spec[0], spec[1], spec[2])
    return el


def shading(fill: str) -> etree._Element:
    return new("shd", val="clear", color="auto", fill=fill)


def fonts(face: str) -> etree._Element:
    """``w:rFonts`` naming one face for every script slot, so Cyrillic/Greek use it too."""
    return new("rFonts", ascii=face, hAnsi=face, eastAsia=face, cs=face)


def add_text(run: etree._Element, text: str) -> None:
    """Text into a run: tabs become ``w:tab``, newlines ``w:br``; lxml escapes ``&`` and ``<``."""
    if "\t" in text or "\n" in text:
        for piece in re.split(r"(\t|\n)", text):
            if piece == "\t":
                sub(run, "tab")
            elif piece == "\n":
                sub(run, "br")
            elif piece:
                add_text(run, piece)
        return
    t = etree.SubElement(run, T)
    t.text = text
    if text[:1] == " " or text[-1:] == " " or "  " in text:
        t.set(XML_SPACE, "preserve")


def field(parent: etree._Element, instr: str, cached: str,
          rpr: etree._Element | None = None) -> None:
    """A complex field (``PAGE``, ``NUMPAGES`` ...) with a cached result viewers can show."""
    def run() -> etree._Element:
        r = etree.SubElement(parent, R)
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        return r

    sub(run(), "fldChar", fldCharType="begin")
    instr_el = sub(run(), "instrText")
    instr_el.text = f" {instr} "
    instr_el.set(XML_SPACE, "preserve")
    sub(run(), "fldChar", fldCharType="separate")
    add_text(run(), cached)
    sub(run(), "fldChar", fldCharType="end")


def set_spacing(p: etree._Element, at_least: bool = False, **attrs: int) -> None:
    """Set direct spacing on a paragraph already written (``at_least``: never reduce it)."""
    spacing = p.find(f"{w('pPr')}/{w('spacing')}")
    if spacing is None:
        spacing = new("spacing")
        set_ppr_child(p, spacing)
    for key, value in attrs.items():
        old = spacing.get(w(key))
        if at_least and old is not None and int(old) >= value:
            continue
        spacing.set(w(key), str(value))


# --- numbering ----------------------------------------------------------------------------------

LIST_STEP = 360  # twips of indent per list level (0.25 in)
_BULLETS = ("\u2022", "\u25e6", "\u25aa")
_ORDERED = (("decimal", "%{n}."), ("lowerLetter", "%{n})"), ("lowerRoman", "%{n}."))


def abstract_num(abstract_id: int, ordered: bool, bullet_font: str) -> etree._Element:
    """A nine-level list definition: bullets (• ◦ ▪) or numbers (1. a) i.)."""
    el = new("abstractNum", abstractNumId=abstract_id)
    sub(el, "nsid", val=f"B6{abstract_id:06X}")  # fixed, so output is reproducible
    sub(el, "multiLevelType", val="hybridMultilevel")
    for level in range(9):
        lvl = sub(el, "lvl", ilvl=level)
        sub(lvl, "start", val=1)
        if ordered:
            fmt, text = _ORDERED[level % 3]
            sub(lvl, "numFmt", val=fmt)
            sub(lvl, "lvlText", val=text.format(n=level + 1))
        else:
            sub(lvl, "numFmt", val="bullet")
            sub(lvl, "lvlText", val=_BULLETS[level % 3])
        sub(lvl, "lvlJc", val="left")
        ppr = sub(lvl, "pPr")
        sub(ppr, "ind", left=LIST_STEP * (level + 1), hanging=LIST_STEP)
        if not ordered:
            rpr = sub(lvl, "rPr")
            rpr.append(fonts(bullet_font))
    return el


def num(num_id: int, abstract_id: int, restart: tuple[int, int] | None = None) -> etree._Element:
    """A ``w:num`` instance; ``restart=(ilvl, start)`` makes this list count from ``start``."""
    el = new("num", numId=num_id)
    sub(el, "abstractNumId", val=abstract_id)
    if restart is not None:
        override = sub(el, "lvlOverride", ilvl=restart[0])
        sub(override, "startOverride", val=restart[1])
    return el


# --- package post-processing ---------------------------------------------------------------------

_FONT_HINTS = (  # name, panose (from the DejaVu TTFs' OS/2 table), family, pitch
    ("DejaVu Serif", "02060603050605020204", "roman", "variable"),
    ("DejaVu Sans", "020B0603030804020204", "swiss", "variable"),
    ("DejaVu Sans Mono", "020B0609030804020204", "modern", "fixed"),
)


def font_table(blob: bytes) -> bytes:
    """Describe the DejaVu faces in ``fontTable.xml``: Word substitutes by these hints (serif,
    sans, fixed pitch) where the faces are not installed."""
    root = etree.fromstring(blob)
    present = {f.get(w("name")) for f in root.findall(w("font"))}
    for name, panose, family, pitch in _FONT_HINTS:
        if name in present:
            continue
        font = sub(root, "font", name=name)
        sub(font, "panose1", val=panose)
        sub(font, "charset", val="00")
        sub(font, "family", val=family)
        sub(font, "pitch", val=pitch)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _escape(text: str) -> str:
    # xml.sax.saxutils.escape would import urllib.request, http and ssl (~15 ms)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def app_properties(company: str) -> bytes:
    """``docProps/app.xml`` without the template's stale "Microsoft Macintosh Word" statistics."""
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
            'properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
            'docPropsVTypes"><Application>briefgen</Application><DocSecurity>0</DocSecurity>'
            f"<Company>{_escape(company)}</Company><LinksUpToDate>false</LinksUpToDate>"
            "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
            "</Properties>").encode("utf-8")


# Extensions whose parts need no Override when they have this content type (ECMA-376 part 2,
# 10.1.2.2): the package relationships, plain XML, the picture formats a brief can hold and the
# embedded fonts (render/docx/embed.py).
_DEFAULT_TYPES = {"rels": "application/vnd.openxmlformats-package.relationships+xml",
                  "xml": "application/xml", "png": "image/png", "gif": "image/gif",
                  "jpeg": "image/jpeg", "jpg": "image/jpeg", "jpe": "image/jpeg",
                  "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff",
                  "odttf": "application/vnd.openxmlformats-officedocument.obfuscatedFont"}


def content_types(parts) -> bytes:
    """``[Content_Types].xml`` for ``parts``: the content type of every part, as a Default for
    its extension where that one is standard, else as an Override for its name.

    Written here from the parts' public ``partname`` and ``content_type`` rather than through
    python-docx's private ``_ContentTypesItem``, which ``package_zip`` needs because it writes
    the package itself (see there).
    """
    defaults = {"rels": _DEFAULT_TYPES["rels"], "xml": _DEFAULT_TYPES["xml"]}
    overrides = {}
    for part in parts:
        ext = part.partname.ext.lower()
        if _DEFAULT_TYPES.get(ext) == part.content_type:
            defaults[ext] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    items = [f'<Default Extension="{_attr(ext)}" ContentType="{_attr(defaults[ext])}"/>'
             for ext in sorted(defaults)]
    items += [f'<Override PartName="{_attr(name)}" ContentType="{_attr(overrides[name])}"/>'
              for name in sorted(overrides)]
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<Types xmlns="{ns}">{"".join(items)}</Types>').encode("utf-8")


def package_zip(package, when: datetime.datetime,
                replace: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """The python-docx ``package`` as .docx bytes with a fixed entry order, timestamps and
    attributes, so the same document always gives the same bytes.

    ``replace`` maps an entry name to a function of its bytes returning the new bytes. The
    parts are serialised and compressed once, here: python-docx's own ``save`` followed by a
    rewrite for the timestamps did both twice. Pictures are stored, not deflated again.
    """
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()  # as OpcPackage.save does
    entries = {"[Content_Types].xml": content_types(parts),
               "_rels/.rels": package.rels.xml}
    for part in parts:
        entries[part.partname.membername] = part.blob
        if len(part.rels):
            entries[part.partname.rels_uri.membername] = part.rels.xml
    for name, change in replace.items():
        if name in entries:
            entries[name] = change(entries[name])
    stamp = max(min(when, datetime.datetime(2107, 12, 31, 23, 59, 58)),
                datetime.datetime(1980, 1, 1))
    stamp_tuple = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute,
                   stamp.second - stamp.second % 2)
    first = ["[Content_Types].xml", "_rels/.rels"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in first + sorted(n for n in entries if n not in first):
            info = zipfile.ZipInfo(name, date_time=stamp_tuple)
            info.compress_type = (zipfile.ZIP_STORED if name.endswith(_COMPRESSED)
                                  else zipfile.ZIP_DEFLATED)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, entries[name])
    return out.getvalue()


_COMPRESSED = (".png", ".jpg", ".jpeg", ".gif")


# --- property bundles ---------------------------------------------------------------------------

def make_ppr(*, style: str | None = None, keep_next: bool = False, keep_lines: bool = False,
             page_break: bool = False, widow: bool = False, num: tuple[int, int] | None = None,
             pbdr: etree._Element | None = None, fill: str | None = None,
             tabs: list[tuple] | None = None, spacing: dict | None = None,
             ind: dict | None = None, contextual: bool = False, jc: str | None = None,
             outline: int | None = None, bidi: bool = False) -> etree._Element:
    """A ``w:pPr`` with its children in schema order. ``num`` is (numId, ilvl)."""
    ppr = new("pPr")
    if style:
        sub(ppr, "pStyle", val=style)
    if keep_next:
        sub(ppr, "keepNext")
    if keep_lines:
        sub(ppr, "keepLines")
    if page_break:
        sub(ppr, "pageBreakBefore")
    if widow:
        sub(ppr, "widowControl")
    if num is not None:
        numpr = sub(ppr, "numPr")
        sub(numpr, "ilvl", val=num[1])
        sub(numpr, "numId", val=num[0])
    if pbdr is not None:
        ppr.append(pbdr)
    if fill:
        ppr.append(shading(fill))
    if tabs:
        tabs_el = sub(ppr, "tabs")
        for val, pos, *leader in tabs:  # (val, pos) or (val, pos, leader)
            tab = sub(tabs_el, "tab", val=val)
            if leader:
                tab.set(w("leader"), leader[0])
            tab.set(w("pos"), str(pos))
    if bidi:
        sub(ppr, "bidi")
    if spacing:
        sub(ppr, "spacing", **spacing)
    if ind:
        sub(ppr, "ind", **ind)
    if contextual:
        sub(ppr, "contextualSpacing")
    if jc:
        sub(ppr, "jc", val=jc)
    if outline is not None:
        sub(ppr, "outlineLvl", val=outline)
    return ppr


def half_points(size_pt: float) -> int:
    return max(2, round(size_pt * 2))


def make_rpr(*, style: str | None = None, font: str | None = None, bold: bool = False,
             italic: bool = False, caps: bool = False, strike: bool = False,
             no_proof: bool = False, colour: str | None = None, tracking: float | None = None,
             size: float | None = None, underline: str | None = None, fill: str | None = None,
             vert_align: str | None = None) -> etree._Element:
    """A ``w:rPr`` with its children in schema order; ``size`` in points, colours ``RRGGBB``."""
    rpr = new("rPr")
    if style:
        sub(rpr, "rStyle", val=style)
    if font:
        rpr.append(fonts(font))
    if bold:
        sub(rpr, "b")
        sub(rpr, "bCs")
    if italic:
        sub(rpr, "i")
        sub(rpr, "iCs")
    if caps:
        sub(rpr, "caps")
    if strike:
        sub(rpr, "strike")
    if no_proof:
        sub(rpr, "noProof")
    if colour:
        sub(rpr, "color", val=colour)
    if tracking:  # letter spacing, points
        sub(rpr, "spacing", val=round(tracking * 20))
    if size is not None:
        sub(rpr, "sz", val=half_points(size))
        sub(rpr, "szCs", val=half_points(size))
    if underline:
        sub(rpr, "u", val=underline)
    if fill:
        rpr.append(shading(fill))
    if vert_align:
        sub(rpr, "vertAlign", val=vert_align)
    return rpr
