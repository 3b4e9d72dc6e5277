"""The table of contents of the DOCX renderer: a real Word TOC field with a filled-in result.

Word shows a field's cached result until the field is updated, and LibreOffice never updates a
TOC by itself, so the result is written out in full, as Word itself would: one paragraph per
heading resolve listed for the ``Contents`` node (styles "toc 2"/"toc 3"), each a hyperlink
to the bookmark on its heading, with a ``PAGEREF`` field whose cached page number is estimated by
pages.py once the whole body is written. Updating the field in Word (F9) rebuilds it from
the heading styles (``TOC \\o "2-3" \\h \\z \\u``), with Word's own page numbers.

``settings.xml`` gets no ``w:updateFields``: it makes Word ask on opening whether to update
"fields that may refer to other files" — an alarming question for a marked brief that has none —
and the entries are already there.
"""
from __future__ import annotations

from lxml import etree

from ...document.nodes import Contents, plain_text
from . import xml as x

TOC_INSTRUCTION = 'TOC \\o "2-3" \\h \\z \\u'  # the levels resolve lists (CONTENTS_LEVELS)


def contents(writer, node: Contents, frame) -> None:
    """The Contents block: its title, then the TOC field with one entry per heading."""
    ids = writer.ids
    title = node.title if isinstance(node.title, str) else "Contents"
    if title.strip():
        p = writer.new_p(frame, ids.toc_heading)
        writer.run(p, title.strip(), writer.PLAIN)

    def begin(p: etree._Element) -> None:
        x.sub(etree.SubElement(p, x.R), "fldChar", fldCharType="begin")
        instr = x.sub(etree.SubElement(p, x.R), "instrText")
        instr.text = f" {TOC_INSTRUCTION} "
        instr.set(x.XML_SPACE, "preserve")
        x.sub(etree.SubElement(p, x.R), "fldChar", fldCharType="separate")

    p = None
    for i, heading in enumerate(node.entries):
        p = writer.new_p(frame, ids.toc[heading.level - 2])
        if i == 0:
            begin(p)
        link = x.sub(p, "hyperlink", anchor=heading.bookmark, history=1)
        writer.run(link, " ".join(plain_text(heading.children).split()), writer.PLAIN)
        x.sub(etree.SubElement(link, x.R), "tab")
        page = _pageref(link, heading.bookmark)
        writer.toc_pages.append((page, heading.bookmark))
    if p is None:  # nothing to list: the field still stands, with Word's own message
        p = writer.new_p(frame, ids.normal)
        begin(p)
        writer.run(p, "No table of contents entries found.", writer.PLAIN)
    x.sub(etree.SubElement(p, x.R), "fldChar", fldCharType="end")
    x.set_spacing(p, after=max(240, int(_after(p) or 0)))  # air below the contents


def _after(p: etree._Element) -> str | None:
    spacing = p.find(f"{x.w('pPr')}/{x.w('spacing')}")
    return None if spacing is None else spacing.get(x.w("after"))


def _pageref(parent: etree._Element, bookmark: str) -> etree._Element:
    """A PAGEREF field; returns its (empty) result ``w:t``, filled in later."""
    x.sub(etree.SubElement(parent, x.R), "fldChar", fldCharType="begin")
    instr = x.sub(etree.SubElement(parent, x.R), "instrText")
    instr.text = f" PAGEREF {bookmark} \\h "
    instr.set(x.XML_SPACE, "preserve")
    x.sub(etree.SubElement(parent, x.R), "fldChar", fldCharType="separate")
    t = etree.SubElement(etree.SubElement(parent, x.R), x.T)
    x.sub(etree.SubElement(parent, x.R), "fldChar", fldCharType="end")
    return t


def fill_page_numbers(writer, pages: dict[str, int]) -> None:
    """Write the estimated page of each entry's bookmark into its PAGEREF result."""
    for t, bookmark in writer.toc_pages:
        page = pages.get(bookmark)
        t.text = str(page) if page else ""
