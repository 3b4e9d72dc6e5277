"""The few reportlab internals the PDF renderer needs, each in one place, each checked.

reportlab has no public API for these, and each is the only way to do its job:

- ``ExtractableTTFont``: the text layer of Arabic-script text drawn as presentation forms. The
  ToUnicode CMap (what text extraction, search, copy and screen readers read) would give the
  presentation-form code points (U+FExx), which no search for "طالبان" matches; each subset's
  CMap is rewritten after reportlab has made it, found by the name reportlab gives it.
  Glyphs HarfBuzz substitutes that have no character of their own (Pashto's contextual forms,
  a ZWNJ drawn as an empty glyph) are drawn through private-use characters that the CMap maps
  to the text they stand for (``face.briefgen_shaped``, filled by bidi_para.py).
- ``doc_template``: a flowable reaches the doc template through ``canv._doctemplate`` (headings
  add their outline entry, contents entries their page number, where they are drawn).
- ``text_end``: where a paragraph's text ended (``canv._curr_tx_info`` inside an ``onDraw``
  callback), for the contents' leader dots.
- ``seed_file_id``: the PDF file ID is seeded from the canvas's ``_doc.signature``, which reportlab
  seeds with its clock; reproducible output needs it seeded from the document's date.
- ``stacked_height``, ``may_keep_together``: keep-with-next (keep.py) measures a heading group
  as reportlab's ``KeepTogether`` does, and groups what reportlab's own rule would.
- ``frame_used``: how much of the last page a brief filled (tighten.py).
- Tagged PDF (tags.py, structure.py): ``page_code`` (the page's operator list, for marked
  content), ``page_annotations`` (the links a paragraph made while drawn), ``list_bullets`` (the
  ListFlowable's bullet drawers, so a label is tagged Lbl), ``document_catalog``,
  ``document_pages``, ``register``, ``object_numbers``, ``set_page_entries`` and
  ``link_annotation`` (the structure tree, /StructParents, /Tabs, the annotations' entries),
  ``line_text_out`` (a paragraph line's text, ended with the space the line broke at).

If a reportlab release changes one of them, the build stops with ``ReportlabChanged`` saying
which, rather than writing a PDF without a text layer, page numbers or a stable file ID; and
``tests/test_dependency_hooks.py`` fails with the same message.
"""
from __future__ import annotations

import hashlib
import unicodedata

import reportlab
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, makeToUnicodeCMap

from ...errors import BriefgenError


class ReportlabChanged(BriefgenError):
    """The installed reportlab lacks an internal briefgen relies on."""

    def __init__(self, what: str):
        super().__init__(
            f"reportlab {reportlab.Version} no longer has {what}, which briefgen's PDF renderer "
            "relies on (briefgen/render/pdf/internals.py): install the reportlab release "
            "briefgen was tested with (pip install 'reportlab<" f"{reportlab.Version}') or a "
            "briefgen release that supports this one")


def doc_template(canv):
    """The doc template building on ``canv`` (a flowable's ``self.canv``)."""
    try:
        return canv._doctemplate
    except AttributeError:
        raise ReportlabChanged("the canvas attribute _doctemplate") from None


def text_end(canv) -> tuple[float, float]:
    """Where the text of the paragraph being drawn ends; valid inside an ``onDraw`` callback."""
    try:
        info = canv._curr_tx_info
        return info["cur_x"], info["cur_y"]
    except (AttributeError, KeyError, TypeError):
        raise ReportlabChanged("the canvas attribute _curr_tx_info (cur_x, cur_y)") from None


def seed_file_id(canv, seed: str) -> None:
    """Seed the PDF file ID from ``seed`` instead of reportlab's (invariant) clock."""
    doc = getattr(canv, "_doc", None)
    if doc is None or not hasattr(doc, "signature"):
        raise ReportlabChanged("the canvas document's signature (the file ID's seed)")
    doc.signature = hashlib.md5(b"briefgen " + seed.encode(), usedforsecurity=False)


_PRESENTATION = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF), (0xFB1D, 0xFB4F))  # Arabic A/B, Hebrew


def logical(code: int) -> str:
    """The text a font's character stands for: a presentation form's letters, else itself."""
    text = chr(code)
    if any(lo <= code <= hi for lo, hi in _PRESENTATION):
        text = unicodedata.normalize("NFKC", text) or text
    return text


def _target(code: int, shaped: dict[int, str]) -> str:
    """The ToUnicode target of a code point: UTF-16BE hex of the text it stands for."""
    text = shaped[code] if code in shaped else logical(code)
    return text.encode("utf-16-be").hex().upper()


def _plain(subset: list[int], shaped: dict[int, str]) -> bool:
    return all(code < 0x10000 and code not in shaped
               and not any(lo <= code <= hi for lo, hi in _PRESENTATION) for code in subset)


def to_unicode_cmap(fontname: str, subset: list[int], shaped: dict[int, str] | None = None) -> str:
    """A ToUnicode CMap in which a presentation form maps to the letters it shows (NFKC: U+FEC3
    -> U+0637, the lam-alef ligature -> U+0644 U+0627), a private-use character that stands for a
    shaped glyph maps to its source text (``shaped``, see bidi_para.py), and a character beyond
    U+FFFF is written as UTF-16 (reportlab writes an odd-length hex string that readers reject)."""
    shaped = shaped or {}
    plain = makeToUnicodeCMap(fontname, subset)
    if _plain(subset, shaped):
        return plain  # reportlab's own CMap is right: keep its bytes
    head, _, rest = plain.partition("beginbfchar")
    _, _, tail = rest.partition("endbfchar")
    entries = "\n".join(f"<{i:02X}> <{_target(code, shaped)}>" for i, code in enumerate(subset))
    return f"{head}beginbfchar\n{entries}\nendbfchar{tail}"


class ExtractableTTFont(TTFont):
    """A TrueType font whose text layer says what the page shows (see the module's docstring),
    and that remembers the widths of the strings it measured."""

    _WIDTHS_KEPT = 200_000  # strings: a 300-development brief measures ~15,000 distinct ones

    def stringWidth(self, text, size, encoding="utf8"):
        # Line breaking measures every word of every paragraph, and the same words again when a
        # paragraph is split or measured by a keep-together group (91,000 calls in the
        # 300-development brief, 16% of its render); a word's width in font units is looked up
        # once per process. Same formula as reportlab's, so the same floats.
        try:
            widths = self._widths
        except AttributeError:
            widths = self._widths = {}
        units = widths.get(text)
        if units is None:
            if not isinstance(text, str):
                return super().stringWidth(text, size, encoding)
            get, default = self.face.charWidths.get, self.face.defaultWidth
            units = sum([get(ord(c), default) for c in text])
            if len(widths) >= self._WIDTHS_KEPT:
                widths.clear()
            widths[text] = units
        return 0.001 * size * units

    def addObjects(self, doc):
        state = self.state.get(doc)
        subsets = [list(s) for s in getattr(state, "subsets", ())] if state is not None else []
        super().addObjects(doc)  # makes one font object and ToUnicode stream per subset
        shaped = getattr(self.face, "briefgen_shaped", {})
        for n, subset in enumerate(subsets):
            if _plain(subset, shaped):
                continue
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX))
            base = base.decode("pdfdoc")
            stream = getattr(doc, "idToObject", {}).get("toUnicodeCMap:" + base)
            if stream is None or not hasattr(stream, "content"):
                raise ReportlabChanged(f"a ToUnicode stream named 'toUnicodeCMap:{base}'")
            stream.content = to_unicode_cmap(base, subset, shaped)


def stacked_height(flowables: list, width: float, canv) -> float:
    """Height of ``flowables`` laid one under another, spaces between merged as a frame does
    (keep.py: how much of a page a heading and its byline take)."""
    from reportlab.platypus import flowables as rl_flowables
    list_wrap_on = getattr(rl_flowables, "_listWrapOn", None)
    if list_wrap_on is None:
        raise ReportlabChanged("reportlab.platypus.flowables._listWrapOn")
    return list_wrap_on(flowables, width, canv)[1]


def may_keep_together(flowable) -> bool:
    """Whether reportlab's keep-with-next may put ``flowable`` in a KeepTogether (keep.py)."""
    from reportlab.platypus import doctemplate
    allowed = getattr(doctemplate, "_ktAllow", None)
    if allowed is None:
        raise ReportlabChanged("reportlab.platypus.doctemplate._ktAllow")
    return allowed(flowable)


def frame_used(frame) -> float:
    """The share of ``frame``'s height its flowables fill, top down (0 to 1)."""
    try:
        return (frame._y2 - frame._y) / frame._height
    except AttributeError:
        raise ReportlabChanged("the frame attributes _y2, _y and _height (its top, the current "
                               "y, its height)") from None


# --- tagged PDF (tags.py, structure.py) ---------------------------------------------------------
# Marked content is written into the page's content list as it is drawn; the structure tree,
# /StructParents, /Tabs and the annotations' /StructParent go into reportlab's document objects
# just before it is saved. reportlab has no API for any of these.

def page_code(canv) -> list:
    """The content-stream operators of the page being drawn (a list reportlab joins)."""
    code = getattr(canv, "_code", None)
    if not isinstance(code, list):
        raise ReportlabChanged("the canvas attribute _code (the page's operators)")
    return code


def page_annotations(canv) -> list:
    """References to the annotations of the page being drawn, in the order they were made."""
    refs = getattr(canv, "_annotationrefs", None)
    if not isinstance(refs, list):
        raise ReportlabChanged("the canvas attribute _annotationrefs")
    return refs


def _document(canv):
    doc = getattr(canv, "_doc", None)
    if getattr(doc, "_briefgen_checked", False):  # asked once per structure element
        return doc
    for attr in ("Catalog", "Pages", "Reference", "idToObject"):
        if not hasattr(doc, attr):
            raise ReportlabChanged(f"the canvas document's {attr}")
    doc._briefgen_checked = True
    return doc


def document_catalog(canv):
    """The document catalog (it writes StructTreeRoot, MarkInfo, Lang, Metadata if set)."""
    catalog = _document(canv).Catalog
    if not {"StructTreeRoot", "MarkInfo", "Metadata"} <= set(catalog.__NoDefault__):
        raise ReportlabChanged("the catalog entries StructTreeRoot, MarkInfo and Metadata")
    return catalog


def document_pages(canv) -> list:
    """The page objects made so far (all of them, once the last page is shown)."""
    pages = getattr(_document(canv).Pages, "pages", None)
    if not isinstance(pages, list):
        raise ReportlabChanged("the document's Pages.pages")
    return pages


def register(canv, obj, name: str):
    """``obj`` as an indirect object named ``name``; returns its reference."""
    return _document(canv).Reference(obj, name)


def set_page_entries(page, entries: dict) -> None:
    """Add entries to a page dictionary (reportlab writes only the keys in ``__NoDefault__``)."""
    keys = getattr(page, "__NoDefault__", None)
    if not isinstance(keys, list):
        raise ReportlabChanged("the page attribute __NoDefault__")
    page.__NoDefault__ = keys + [k for k in entries if k not in keys]
    for k, v in entries.items():
        setattr(page, k, v)


def link_annotation(canv, ref, struct_parent: int, texts: dict) -> tuple[str, str]:
    """Give the link annotation ``ref`` its /StructParent, the Print flag and a /Contents
    saying what it is: ``texts`` maps a URI or a destination name to the link's text.
    Returns the text and the URI or destination name."""
    from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFString
    obj = _document(canv).idToObject.get(getattr(ref, "name", None))
    if isinstance(obj, PDFDictionary):  # canvas.linkURL: a plain dictionary
        action = obj.dict.get("A")
        uri = getattr(action.dict.get("URI"), "s", "") if isinstance(action, PDFDictionary) else ""
        text, target = texts.get(uri) or f"Link to {uri}", uri
        obj.dict["StructParent"] = struct_parent
        obj.dict["F"] = 4
        obj.dict["Contents"] = PDFString(text)
    elif hasattr(obj, "otherkw") and hasattr(obj, "permitted") and hasattr(obj, "Contents"):
        target = name = getattr(getattr(obj, "Destination", None), "name", "")  # linkRect
        obj.permitted = tuple(obj.permitted) + ("StructParent",)
        obj.otherkw["StructParent"] = struct_parent
        obj.otherkw["F"] = 4
        text = obj.Contents = texts.get(name) or "Link within this document"
    else:
        raise ReportlabChanged(f"the link annotation object {getattr(ref, 'name', ref)!r}")
    return text, target


def list_bullets(list_flowable) -> list:
    """The bullet drawers of a ListFlowable's items, in order (one per item: reportlab gives
    the bullet to the indenter of the item's first flowable)."""
    content = getattr(list_flowable, "_content", None)
    if not isinstance(content, list):
        raise ReportlabChanged("ListFlowable._content")
    bullets = []
    for indenter in content:
        bullet = indenter.__dict__.get("_bullet") if hasattr(indenter, "__dict__") else None
        if bullet is not None:
            if not hasattr(bullet, "drawOn"):
                raise ReportlabChanged("the list indenter's _bullet.drawOn")
            bullets.append(bullet)
    return bullets


def object_numbers(document):
    """While ``document`` is being written: a function giving "n 0 R" for an object's name."""
    numbers = getattr(document, "idToObjectNumberAndVersion", None)
    if not isinstance(numbers, dict):
        raise ReportlabChanged("the document's idToObjectNumberAndVersion")

    def ref(name: str) -> str:
        n, v = numbers[name]
        return f"{n} {v} R"
    return ref


def line_text_out(text_object):
    """A text object's ``_textOut(text, TStar)``: how reportlab's Paragraph draws each line
    (tags.space_line_ends puts the space back where a line broke)."""
    out = getattr(text_object, "_textOut", None)
    if out is None:
        raise ReportlabChanged("the text object's _textOut")
    return out
