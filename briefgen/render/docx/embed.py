"""Embedding the built-in script faces in the DOCX, subsetted, as Word does (ECMA-376 Part 1,
17.8.1 and 17.8.3.3).

A run of Arabic script names Amiri (``w:rFonts/@w:cs``), a CJK run Noto Sans SC
(``@w:eastAsia``, cjk extra); a reader without those faces installed saw boxes for the letters
DejaVu lacks. For each such face the runs use, the document now carries a subset of the face
(fonts/subset.py) holding the characters of those runs: one ``word/fonts/fontN.odttf`` part per
style used (regular always, with every character, so a reader that lacks the bold part can
still embolden it; bold, italic, bold italic for the characters of such runs where the family
has them), related from ``word/fontTable.xml`` and named in the font's entry there by
``w:embedRegular`` etc. with ``w:subsetted="1"``; ``settings.xml`` says fonts are embedded.

The part is obfuscated: the first 32 bytes of the font are XORed with the 16 bytes of its
``w:fontKey`` GUID read from its last hex digits to its first (17.8.1). The GUID is taken from
a hash of the subset, so the same document always gives the same bytes. A document without such
runs is not changed at all.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from ...fonts import subset
from . import xml as x

ODTTF = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
_TEXT_PARTS = ("document", "footnotes", "endnotes", "header", "footer", "comments")
_RFONTS, _R, _RTL = x.w("rFonts"), x.w("r"), x.w("rtl")
_CS, _EAST_ASIA = x.w("cs"), x.w("eastAsia")


@dataclass
class _Use:
    """The characters a face's runs use, by style (index into _STYLES)."""

    chars: list[set[str]] = field(default_factory=lambda: [set(), set(), set(), set()])


def font_key(data: bytes) -> str:
    """A GUID, in Word's ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`` form, made from ``data``."""
    h = hashlib.sha256(data).hexdigest()[:32].upper()
    return f"{{{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}}}"


def obfuscate(data: bytes, key: str) -> bytes:
    """``data`` with its first 32 bytes XORed with ``key``'s 16 bytes, last byte first; the same
    function undoes it."""
    k = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ k[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _style_flags(package_parts) -> dict[str, tuple[bool, bool]]:
    """(bold, italic) of every style in styles.xml, through its ``w:basedOn`` chain."""
    styles = next((p for p in package_parts if str(p.partname) == "/word/styles.xml"), None)
    if styles is None or not hasattr(styles, "element"):
        return {}
    own: dict[str, tuple[bool | None, bool | None, str | None]] = {}
    for st in styles.element.iter(x.w("style")):
        rpr = st.find(x.w("rPr"))
        based = st.find(x.w("basedOn"))
        own[st.get(x.w("styleId"))] = (_flag(rpr, "bCs", "b"), _flag(rpr, "iCs", "i"),
                                       based.get(x.w("val")) if based is not None else None)
    out: dict[str, tuple[bool, bool]] = {}

    def resolve(sid, depth=0):
        if sid in out:
            return out[sid]
        bold, italic, based = own.get(sid, (None, None, None))
        if (bold is None or italic is None) and based and depth < 20:
            pb, pi = resolve(based, depth + 1)
            bold = pb if bold is None else bold
            italic = pi if italic is None else italic
        out[sid] = (bool(bold), bool(italic))
        return out[sid]

    for sid in own:
        resolve(sid)
    return out


def _flag(rpr, *tags: str) -> bool | None:
    """A toggle property of ``rpr`` (the first of ``tags`` present), None when none is."""
    if rpr is None:
        return None
    for tag in tags:
        el = rpr.find(x.w(tag))
        if el is not None:
            return el.get(x.w("val"), "true") not in ("0", "false", "off")
    return None


def _uses(parts, names: dict[str, object]) -> dict[str, _Use]:
    """For each family of ``names`` the runs name, the characters they use by style."""
    flags = _style_flags(parts)
    uses: dict[str, _Use] = {}
    for part in parts:
        if not hasattr(part, "element") or not any(
                str(part.partname).startswith(f"/word/{kind}") for kind in _TEXT_PARTS):
            continue
        for fonts in part.element.iter(_RFONTS):  # iter: in C, iterfind's path is not
            cs, east_asia = fonts.get(_CS), fonts.get(_EAST_ASIA)
            if cs not in names and east_asia not in names:
                continue
            rpr = fonts.getparent()
            run = rpr.getparent()
            if run is None or run.tag != _R:
                continue  # a style's or a paragraph mark's fonts: no text
            name = cs if rpr.find(_RTL) is not None else east_asia
            if name not in names:
                continue
            text = "".join(t.text or "" for t in run.iter(x.w("t")))
            if not text:
                continue
            bold, italic = _run_flags(run, rpr, flags)
            use = uses.setdefault(name, _Use())
            use.chars[0].update(text)
            use.chars[bold + 2 * italic].update(text)
    return uses


def _run_flags(run, rpr, flags) -> tuple[bool, bool]:
    style = rpr.find(x.w("rStyle"))
    bold, italic = flags.get(style.get(x.w("val")), (False, False)) if style is not None \
        else (False, False)
    p = run.getparent()
    while p is not None and p.tag != x.w("p"):
        p = p.getparent()
    ppr = p.find(x.w("pPr")) if p is not None else None
    pstyle = ppr.find(x.w("pStyle")) if ppr is not None else None
    pb, pi = flags.get(pstyle.get(x.w("val")) if pstyle is not None else "Normal",
                       (False, False))
    own_b, own_i = _flag(rpr, "bCs", "b"), _flag(rpr, "iCs", "i")
    return (own_b if own_b is not None else bold or pb,
            own_i if own_i is not None else italic or pi)


def embed_fonts(document_part) -> dict:
    """Add the subsetted script faces the document's runs use to its package; return the
    ``package_zip`` replacements that name them in fontTable.xml and settings.xml (empty when
    no run uses a built-in script face)."""
    names = subset.script_faces()
    if not names:
        return {}
    package = document_part.package
    parts = list(package.iter_parts())
    uses = _uses(parts, names)
    if not uses:
        return {}
    table = document_part.part_related_by(RT.FONT_TABLE)
    entries: dict[str, list[tuple[str, str, str]]] = {}
    seen: dict[str, str] = {}  # face file -> first style name, for faces shared by styles
    n = 0
    for name in sorted(uses):
        family = names[name]
        for k, style in enumerate(_STYLES):
            chars = uses[name].chars[k]
            path = str(family.faces[k])
            if not chars or (k and path in seen):
                continue  # one file for several styles (Noto Sans SC): the regular part serves
            seen[path] = style
            data = subset.subset(path, frozenset(chars))
            key = font_key(data)
            n += 1
            font_part = Part(PackURI(f"/word/fonts/font{n}.odttf"), ODTTF,
                             obfuscate(data, key), package)
            rid = table.relate_to(font_part, RT.FONT)
            entries.setdefault(name, []).append((f"embed{style}", rid, key))
    return {"word/fontTable.xml": lambda blob: _font_table(blob, entries),
            "word/settings.xml": _settings}


def _font_table(blob: bytes, entries: dict[str, list[tuple[str, str, str]]]) -> bytes:
    root = etree.fromstring(blob)
    fonts = {f.get(x.w("name")): f for f in root.findall(x.w("font"))}
    for name, embeds in entries.items():
        font = fonts.get(name)
        if font is None:
            font = x.sub(root, "font", name=name)
            x.sub(font, "charset", val="00" if name == "Amiri" else "86")
            x.sub(font, "family", val="auto")
            x.sub(font, "pitch", val="variable")
        for child in font.findall("*"):
            if child.tag.startswith(x.w("embed")):
                font.remove(child)
        for tag, rid, key in embeds:  # Regular, Bold, Italic, BoldItalic: the schema's order
            el = x.sub(font, tag, fontKey=key, subsetted="1")
            el.set(qn("r:id"), rid)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# CT_Settings children that come before w:embedTrueTypeFonts (ECMA-376 Part 1, 17.15.1.78)
_BEFORE = {x.w(t) for t in ("writeProtection", "view", "zoom", "removePersonalInformation",
                            "removeDateAndTime", "doNotDisplayPageBoundaries",
                            "displayBackgroundShape", "printPostScriptOverText",
                            "printFractionalCharacterWidth", "printFormsData")}


def _settings(blob: bytes) -> bytes:
    root = etree.fromstring(blob)
    for tag in ("embedTrueTypeFonts", "embedSystemFonts", "saveSubsetFonts"):
        for el in root.findall(x.w(tag)):
            root.remove(el)
    at = 0
    for i, child in enumerate(root):
        if child.tag in _BEFORE:
            at = i + 1
    root.insert(at, x.new("embedTrueTypeFonts"))
    root.insert(at + 1, x.new("saveSubsetFonts"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
