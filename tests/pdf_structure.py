"""A tagged PDF read back with pypdf: its structure tree, its marked content, and the PDF/UA-1
rules that can be checked from them (``problems``).

The offline PDF/UA checkers on PyPI each cover part of the rules (tests/test_pdf_tags.py runs
one when it is installed); these are the rules briefgen's tagging must never break, checked on
every test run with what the suite already has.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pypdf
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

_SHOW = {"Tj", "TJ", "'", '"'}  # operators that show text
_PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "BI"}


@dataclass
class Element:
    role: str
    alt: str | None = None
    id: str | None = None
    attrs: dict = field(default_factory=dict)
    kids: list = field(default_factory=list)  # Element, ("mcid", page, n), ("objr", annot)
    obj: DictionaryObject | None = None

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()

    def marks(self):
        """(page, MCID) of this element and its descendants, in tree order."""
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.marks()
            elif kid[0] == "mcid":
                yield kid[1], kid[2]


@dataclass
class Page:
    order: list = field(default_factory=list)  # MCIDs in content-stream order
    untagged: list = field(default_factory=list)  # operators drawn neither tagged nor artifact
    nesting: list = field(default_factory=list)  # badly nested marked content
    roles: dict = field(default_factory=dict)  # MCID -> tag in the content stream


class TaggedPdf:
    def __init__(self, data: bytes):
        self.reader = pypdf.PdfReader(io.BytesIO(data))
        self.catalog = self.reader.trailer["/Root"]
        self.page_index = {p.indirect_reference.idnum: i for i, p in enumerate(self.reader.pages)}
        root = self.catalog.get("/StructTreeRoot")
        self.root = root.get_object() if root is not None else None
        self.tree = self._element(self.root["/K"].get_object(), None) if self.root else None
        self.pages = [self._content(p) for p in self.reader.pages]

    # --- the structure tree ---------------------------------------------------------------------

    def _page_of(self, ref) -> int | None:
        return self.page_index.get(ref.idnum) if isinstance(ref, IndirectObject) else None

    def _element(self, obj, page) -> Element:
        e = Element(str(obj["/S"])[1:], obj=obj)
        e.alt = str(obj["/Alt"]) if "/Alt" in obj else None
        e.id = str(obj["/ID"]) if "/ID" in obj else None
        if "/A" in obj:
            e.attrs = {str(k)[1:]: str(v).lstrip("/") for k, v in obj["/A"].get_object().items()}
        page = self._page_of(obj.raw_get("/Pg")) if "/Pg" in obj else page
        kids = obj.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        for kid in kids:
            kid_obj = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(kid_obj, int):
                e.kids.append(("mcid", page, int(kid_obj)))
            elif kid_obj.get("/Type") == "/MCR":
                e.kids.append(("mcid", self._page_of(kid_obj.raw_get("/Pg")), int(kid_obj["/MCID"])))
            elif kid_obj.get("/Type") == "/OBJR":
                e.kids.append(("objr", kid_obj["/Obj"]))
            else:
                e.kids.append(self._element(kid_obj, page))
        return e

    def elements(self, role: str | None = None) -> list[Element]:
        return [e for e in self.tree.walk() if role is None or e.role == role]

    # --- marked content -----------------------------------------------------------------------

    def _content(self, page) -> Page:
        out = Page()
        stack: list[tuple[str, int | None]] = []  # (tag, MCID) of open sequences
        for operands, op in ContentStream(page.get_contents(), self.reader).operations:
            op = op.decode() if isinstance(op, bytes) else op
            if op in ("BDC", "BMC"):
                tag = str(operands[0])[1:]
                props = operands[1] if op == "BDC" else {}
                mcid = int(props["/MCID"]) if isinstance(props, dict) and "/MCID" in props \
                    else None
                inside = [t for t, m in stack if m is not None or t == "Artifact"]
                if inside and (mcid is not None or tag == "Artifact"):
                    out.nesting.append(f"{tag} {mcid} inside {stack[-1]}")
                stack.append((tag, mcid))
                if mcid is not None:
                    out.order.append(mcid)
                    out.roles[mcid] = tag
            elif op == "EMC":
                if not stack:
                    out.nesting.append("EMC without BDC")
                else:
                    stack.pop()
            elif op in _SHOW or op in _PAINT:
                if not any(m is not None or t == "Artifact" for t, m in stack):
                    out.untagged.append(op)
        if stack:
            out.nesting.append(f"{len(stack)} sequences still open at the page's end")
        return out

    # --- the rules ----------------------------------------------------------------------------

    def problems(self) -> list[str]:
        """Broken PDF/UA-1 rules (empty: none found)."""
        out: list[str] = []
        cat = self.catalog
        if not cat.get("/MarkInfo", {}).get("/Marked"):
            out.append("MarkInfo /Marked is not true")
        if not str(cat.get("/Lang", "")).strip():
            out.append("no /Lang")
        if not cat.get("/ViewerPreferences", {}).get("/DisplayDocTitle"):
            out.append("DisplayDocTitle is not true")
        title = str(self.reader.metadata.get("/Title", "")) if self.reader.metadata else ""
        if not title.strip():
            out.append("no document title")
        xmp = cat["/Metadata"].get_object().get_data().decode() if "/Metadata" in cat else ""
        if "<dc:title>" not in xmp:
            out.append("no dc:title in the XMP metadata")
        if self.tree is None:
            return out + ["no structure tree"]
        out += self._content_problems()
        out += self._element_problems()
        out += self._page_problems()
        return out

    def _content_problems(self) -> list[str]:
        out = []
        in_tree: dict[tuple[int, int], str] = {}
        for e in self.tree.walk():
            for kid in e.kids:
                if not isinstance(kid, Element) and kid[0] == "mcid":
                    if (kid[1], kid[2]) in in_tree:
                        out.append(f"MCID {kid[2]} of page {kid[1] + 1} in two elements")
                    in_tree[kid[1], kid[2]] = e.role
        parent_tree = self._parent_tree()
        for i, page in enumerate(self.pages):
            n = self.reader.pages[i].get("/StructParents")
            if page.untagged:
                out.append(f"page {i + 1}: {len(page.untagged)} operators neither tagged nor "
                           f"artifact ({' '.join(sorted(set(page.untagged)))})")
            out += [f"page {i + 1}: {problem}" for problem in page.nesting]
            if page.order and n is None:
                out.append(f"page {i + 1} has marked content but no /StructParents")
            parents = parent_tree.get(n, [])
            for mcid in page.order:
                role = in_tree.get((i, mcid))
                if role is None:
                    out.append(f"page {i + 1}: MCID {mcid} is in no structure element")
                elif role != page.roles[mcid]:
                    out.append(f"page {i + 1}: MCID {mcid} is tagged {page.roles[mcid]} in the "
                               f"page but belongs to a {role}")
                if mcid >= len(parents) or parents[mcid] is None or \
                        str(parents[mcid].get_object()["/S"])[1:] != role:
                    out.append(f"page {i + 1}: the parent tree misses MCID {mcid}")
        for (page, mcid) in in_tree:
            if page is None or mcid not in self.pages[page].roles:
                out.append(f"the tree refers to MCID {mcid} of page {page}, which is not drawn")
        return out

    def _parent_tree(self) -> dict:
        nums = self.root["/ParentTree"].get_object().get("/Nums", [])
        out = {}
        for k in range(0, len(nums), 2):
            value = nums[k + 1].get_object() if isinstance(nums[k + 1], IndirectObject) \
                else nums[k + 1]
            out[int(nums[k])] = list(value) if isinstance(value, list) else value
        return out

    def _element_problems(self) -> list[str]:
        out = []
        level = 0
        ids = []
        for e in self.tree.walk():
            if e.role == "Figure" and not (e.alt or "").strip():
                out.append("a Figure without /Alt")
            if re.fullmatch(r"H[1-6]", e.role):
                if int(e.role[1]) > level + 1:
                    out.append(f"{e.role} after H{level}: a heading level is skipped")
                level = int(e.role[1])
            if e.role == "TH" and e.attrs.get("Scope") not in ("Column", "Row", "Both"):
                out.append("a TH without /Scope")
            if e.role == "Link" and not any(isinstance(k, tuple) and k[0] == "objr"
                                            for k in e.kids):
                out.append("a Link without an annotation (OBJR)")
            if e.id:
                ids.append(e.id)
        if len(ids) != len(set(ids)):
            out.append("structure element IDs are not unique")
        if ids and "/IDTree" not in self.root:
            out.append("elements have IDs but the tree has no IDTree")
        return out

    def _page_problems(self) -> list[str]:
        out = []
        parent_tree = self._parent_tree()
        for i, page in enumerate(self.reader.pages):
            annots = [a.get_object() for a in page.get("/Annots", [])]
            if annots and page.get("/Tabs") != "/S":
                out.append(f"page {i + 1} has annotations but no /Tabs /S")
            for a in annots:
                if a.get("/Subtype") != "/Link":
                    continue
                if not str(a.get("/Contents", "")).strip():
                    out.append(f"page {i + 1}: a link annotation without /Contents")
                parent = parent_tree.get(a.get("/StructParent"))
                if parent is None or str(parent.get_object()["/S"]) != "/Link":
                    out.append(f"page {i + 1}: a link annotation in no Link element")
            fonts = page["/Resources"].get("/Font", {})
            for name, font in fonts.items():
                font = font.get_object()
                if "/ToUnicode" not in font:
                    out.append(f"page {i + 1}: font {name} has no ToUnicode map")
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0].get_object() if descendants else font) \
                    .get("/FontDescriptor")
                if descriptor is None or not any(
                        k in descriptor.get_object() for k in ("/FontFile", "/FontFile2",
                                                               "/FontFile3")):
                    out.append(f"page {i + 1}: font {name} is not embedded")
        return out

    def reading_order_matches_drawing(self) -> bool:
        """Whether the tree's marked content, read in tree order, is the content in the order it
        was drawn, page by page (briefgen draws in document order)."""
        drawn = [(i, m) for i, page in enumerate(self.pages) for m in page.order]
        return list(self.tree.marks()) == drawn
