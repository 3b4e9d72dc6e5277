"""The tagged-PDF objects, written into reportlab's document just before it is saved: the
structure tree (tags.py built it and recorded the marked content), its parent tree, each page's
``/StructParents`` and ``/Tabs /S``, each link annotation's ``/StructParent`` and ``/Contents``,
``/MarkInfo``, ``/Lang`` and the XMP metadata (``dc:title``; ``pdfuaid:part`` only when the
document passes the checks made here, ``problems``).

Objects are named after their place in the tree (depth-first order), so the same document gives
the same bytes.
"""
from __future__ import annotations

from xml.sax.saxutils import escape as xml_escape

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFStream, PDFString

from .internals import (document_catalog, document_pages, link_annotation, object_numbers,
                        register, set_page_entries)
from .tags import Element, Tags

__all__ = ["problems", "write_structure"]


def _prune(element: Element) -> bool:
    """Drop elements with nothing drawn in them; whether ``element`` keeps anything."""
    element.kids = [k for k in element.kids if _prune(k)]
    return bool(element.kids or element.content)


def _walk(element: Element):
    yield element
    for kid in element.kids:
        yield from _walk(kid)


def problems(tags: Tags) -> list[str]:
    """What keeps the tree from PDF/UA-1 as far as it can be checked here (empty: none)."""
    out = []
    if not tags.lang:
        out.append("no document language")
    for element in _walk(tags.root):
        if element.role == "Figure" and not (element.alt or "").strip():
            out.append("a figure without alternative text")
    if not tags.root.kids:
        out.append("nothing tagged")
    return out


def _wrap(element: Element, role: str) -> None:
    """Put ``element`` inside a new element of ``role``, in its place."""
    parent = element.parent
    wrapper = Element(role, None)
    wrapper.parent = parent
    wrapper.kids = [element]
    parent.kids[parent.kids.index(element)] = wrapper
    element.parent = wrapper


def _string(text: str) -> str:
    """A PDF text string: UTF-16BE in hex, which needs no escaping."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class _Raw(PDFObject):
    """An object written as the text ``build(ref)`` makes, ``ref`` giving "n 0 R" for a
    reportlab object name: thousands of structure elements through reportlab's general
    formatter took a third of the build time."""

    def __init__(self, build):
        self.build = build

    def format(self, document):
        return self.build(object_numbers(document)).encode("ascii")


def _element(e: Element, names: dict, parent: str) -> _Raw:
    """A structure element's dictionary."""
    head = f"<< /S /{e.role} /P "
    tail = []
    if e.alt is not None:
        tail.append(f"/Alt {_string(' '.join(e.alt.split()))}")
    if e.actual is not None:
        tail.append(f"/ActualText {_string(e.actual)}")
    if e.lang:
        tail.append(f"/Lang {_string(e.lang)}")
    if e.id:
        tail.append(f"/ID {_string(e.id)}")
    if e.attrs:
        tail.append("/A << " + " ".join(f"/{k} /{v}" for k, v in e.attrs.items()) + " >>")
    kids = [names[id(k)] for k in e.kids]

    def build(ref) -> str:
        out = [head, ref(parent)]
        first_page = None
        items = []
        for item in e.content:
            if item[0] == "link":
                _, page, annotation_ref = item
                items.append(f"<< /Type /OBJR /Obj {ref(annotation_ref.name)} "
                             f"/Pg {ref(f'Page{page + 1}')} >>")
                if first_page is None:
                    first_page = page
                continue
            page, mcid = item
            if first_page is None:
                first_page = page
            if page == first_page:
                items.append(str(mcid))
            else:
                items.append(f"<< /Type /MCR /Pg {ref(f'Page{page + 1}')} /MCID {mcid} >>")
        items += [ref(k) for k in kids]
        if first_page is not None:
            out.append(f" /Pg {ref(f'Page{first_page + 1}')}")  # reportlab: Page1, Page2...
        out.append(" /K [" + " ".join(items) + "]")
        for t in tail:
            out += (" ", t)
        out.append(" >>")
        return "".join(out)
    return _Raw(build)


def write_structure(canv, tags: Tags, title: str, claim_ua: bool) -> None:
    catalog = document_catalog(canv)
    pages = document_pages(canv)
    # the same words for each link annotation (/Contents) and its Link element (/Alt); a
    # link to a note is a citation: a Reference holds it
    npages = len(pages)
    for k, (link, annotation_ref) in enumerate(tags.annotations):
        link.alt, target = link_annotation(canv, annotation_ref, npages + k, tags.links)
        if target.startswith("note-"):
            _wrap(link, "Reference")
    _prune(tags.root)
    elements = list(_walk(tags.root))
    names = {id(e): f"briefgen-struct-{i}" for i, e in enumerate(elements)}
    root_name = "briefgen-struct-root"
    links = [(npages + k, names[id(link)]) for k, (link, _) in enumerate(tags.annotations)]
    ids = []
    for e in elements:
        parent = names[id(e.parent)] if e.parent is not None else root_name
        register(canv, _element(e, names, parent), names[id(e)])
        if e.id:
            ids.append((e.id, names[id(e)]))
    page_marks = [[names[id(e)] for e in marks] for marks in tags.pages]
    ids.sort(key=lambda item: item[0].encode("utf-16-be"))  # a name tree's keys are in order

    def build_root(ref) -> str:
        # parent tree: page index -> [element of MCID 0, 1, ...]; then one number per link
        nums = [f"{i} [{' '.join(ref(n) for n in marks)}]" for i, marks in enumerate(page_marks)]
        nums += [f"{number} {ref(name)}" for number, name in links]
        out = (f"<< /Type /StructTreeRoot /K {ref(names[id(tags.root)])} "
               f"/ParentTree << /Nums [{' '.join(nums)}] >> "
               f"/ParentTreeNextKey {npages + len(tags.annotations)}")
        if ids:
            out += (" /IDTree << /Names [" +
                    " ".join(f"{_string(i)} {ref(name)}" for i, name in ids) + "] >>")
        return out + " >>"
    root_ref = register(canv, _Raw(build_root), root_name)
    for i, page in enumerate(pages):
        entries = {"StructParents": i}
        if page.Annots:
            entries["Tabs"] = PDFName("S")
        set_page_entries(page, entries)
    catalog.StructTreeRoot = root_ref
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    if tags.lang:
        catalog.Lang = PDFString(tags.lang)
    catalog.Metadata = register(canv, _xmp(title, tags.lang, claim_ua), "briefgen-xmp")


def _xmp(title: str, lang: str, claim_ua: bool) -> PDFStream:
    ua = ('<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
          '<pdfuaid:part>1</pdfuaid:part></rdf:Description>') if claim_ua else ""
    lang_attr = xml_escape(lang or "x-default", {'"': "&quot;"})
    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
        f'{xml_escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f'<dc:language><rdf:Bag><rdf:li>{lang_attr}</rdf:li></rdf:Bag></dc:language>'
        '</rdf:Description>'
        f'{ua}'
        '</rdf:RDF></x:xmpmeta><?xpacket end="r"?>')
    return PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                     text.encode("utf-8"), filters=[])
