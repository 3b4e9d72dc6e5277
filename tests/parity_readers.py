"""What a reader gets from the PDF, the DOCX and the HTML of one brief, in a form both can give.

Compared (``Reading``): the body's words in reading order, the external link targets in order,
and the internal links (their target heading's text) in order. Left out, because the formats
give them different forms by design:

- page furniture: everything outside the text frame in the PDF (running heads, markings, page
  numbers, copy lines; the cover's organisation, banner and copy block) and, in the DOCX, the
  header and footer parts and the cover's own paragraphs (organisation, marking, copy);
- list labels (PDF prints bullets and numbers, ".1" as drawn for a right-to-left item; Word
  numbers the paragraphs itself), the
  contents' dot leaders and page numbers, and citation marks (PDF superscripts, Word footnote
  references);
- figure pictures: the PDF's vector drawing has words, the DOCX's PNG has none; the PDF's words
  between the text before a figure and its "Figure n" caption are dropped, and a figure that
  floated past a different amount of text in each format (their pages break in their own
  places) is compared as moved (test_parity.py, ``_without_figures``).
- the DOCX's footnotes repeat a note's text at the page foot; the notes are compared where both
  formats list them (``::: notes``), so footnotes.xml is read only for its links.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO

from lxml import etree
from pypdf import PdfReader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_LABEL = re.compile(r"^(?:[•–◦]|\d+\.|\.\d+)$")  # ".1": a right-to-left item's number
# the contents' dot leaders; a lone "." is text (the full stop of a right-to-left item's ".1")
_LEADER = re.compile(r"^ *\.(?: *\.)+ *$")


@dataclass
class Reading:
    words: list[str]
    external: list[str]   # URLs, in order
    internal: list[str]   # the words of the heading each internal link leads to, in order


def _words(text: str) -> list[str]:
    """Words without the punctuation at their ends: the PDF sets right-to-left runs in visual
    order, so a comma after Arabic script is met before it; the words themselves are compared."""
    out = []
    for w in text.split():
        if _LABEL.match(w):
            continue
        w = re.sub(r"^[^\w]+|[^\w]+$", "", w)
        if w:
            out.append(w)
    return out


# --- PDF -----------------------------------------------------------------------------------------

def read_pdf(data: bytes, frame: tuple[float, float, float, float],
             cover_frame: tuple[float, float, float, float] | None) -> Reading:
    """``frame``/``cover_frame``: (x, y, width, height) of the body's and the cover's text."""
    reader = PdfReader(BytesIO(data))
    words: list[str] = []
    for number, page in enumerate(reader.pages):
        x0, y0, w, h = cover_frame if number == 0 and cover_frame else frame
        chunks: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, font, size):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            # forms drawn inside the frame (the contents' page numbers) report their own origin
            inside = x0 - 2 <= x <= x0 + w + 2 and y0 - 2 <= y <= y0 + h + 2
            if inside and text.strip():
                chunks.append((text, size, y))

        page.extract_text(visitor_text=visit)
        kept = []
        last_size, last_y = 0.0, None
        for text, size, y in chunks:
            if _LEADER.match(text):
                continue
            # a citation mark: numbers and commas set smaller than the text they follow
            if size < last_size * 0.9 and re.fullmatch(r"[\d, ]+\s*", text):
                continue
            if last_y is not None and y != last_y:
                kept.append(" ")  # a new line: a chunk need not end with a space
            kept.append(text)
            last_size, last_y = size, y
        # chunks are runs: a bold word followed by its comma is one word
        words += _words("".join(kept))
    external, internal = [], []
    titles = _pdf_destinations(reader)
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            a = annot.get_object()
            action = a.get("/A")
            if action is not None and "/URI" in action:
                external.append(str(action["/URI"]))
                continue
            dest = a.get("/Dest") if "/Dest" in a else (action or {}).get("/D")
            if dest is None:
                continue
            title = titles.get(str(dest)) if isinstance(dest, str) else titles.get(
                (reader.get_page_number(dest[0].get_object()), round(float(dest[3] or 0))))
            if title is None or title.startswith("note-"):
                continue  # a citation mark's link to its note: left out (module docstring)
            internal.append(title)
    return Reading(words, external, _once(internal))


def _once(targets: list[str]) -> list[str]:
    """Consecutive links to one place count once (a contents entry links its text and its
    page number)."""
    return [t for i, t in enumerate(targets) if i == 0 or targets[i - 1] != t]


def _pdf_destinations(reader: PdfReader) -> dict:
    """Destination (its name, or its page and top) -> the outline title of its heading, or the
    name of a destination no heading has (a note's)."""
    titles: dict = {}

    def where(dest):
        return reader.get_destination_page_number(dest), round(float(dest.top or 0))

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles[where(item)] = " ".join(str(item.title).split())
    walk(reader.outline)
    for name, dest in reader.named_destinations.items():
        titles[str(name)] = titles.setdefault(where(dest), str(name))
    return titles


# --- DOCX ----------------------------------------------------------------------------------------

_FURNITURE_STYLES = {"CoverOrganisation", "CoverMarking", "CoverCopy"}


def read_docx(data: bytes) -> Reading:
    with zipfile.ZipFile(BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        footnote_rels = (etree.fromstring(z.read("word/_rels/footnotes.xml.rels"))
                         if "word/_rels/footnotes.xml.rels" in z.namelist() else None)
        footnotes = (etree.fromstring(z.read("word/footnotes.xml"))
                     if "word/footnotes.xml" in z.namelist() else None)
    targets = {r.get("Id"): r.get("Target") for r in rels}
    headings = {}
    for p in body.iter(W + "p"):
        for mark in p.iter(W + "bookmarkStart"):
            headings[mark.get(W + "name")] = " ".join(_text(p).split())
    words: list[str] = []
    fields: list[str] = []
    for p in body.iter(W + "p"):
        text = _text(p, fields)
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is None or style.get(W + "val") not in _FURNITURE_STYLES:
            words += _words(text)
    external, internal = [], []
    for link in body.iter(W + "hyperlink"):
        if (link.get(W + "anchor") or "").startswith("_Note"):
            continue  # a citation mark's link to its entry in the notes list, as in the PDF
        if link.get(W + "anchor"):
            internal.append(headings.get(link.get(W + "anchor"), link.get(W + "anchor")))
        else:
            external.append(targets[link.get(R + "id")])
    if footnotes is not None and footnote_rels is not None:  # links in notes count once
        note_targets = {r.get("Id"): r.get("Target") for r in footnote_rels}
        seen = set(external)
        for link in footnotes.iter(W + "hyperlink"):
            target = note_targets.get(link.get(R + "id"))
            if target and target not in seen:
                external.append(target)
    return Reading(words, external, _once(internal))


def _text(p, instr: list[str] | None = None) -> str:
    """A paragraph's text as read: field results but not PAGEREF ones, no footnote marks.
    ``instr``: the fields open where the paragraph starts (a TOC field spans paragraphs)."""
    out = []
    instr = [] if instr is None else instr
    skipping = bool(instr) and "PAGEREF" in instr[-1]
    for el in p.iter(W + "t", W + "tab", W + "br", W + "fldChar", W + "instrText"):
        tag = el.tag
        if tag == W + "fldChar":
            kind = el.get(W + "fldCharType")
            if kind == "begin":
                instr.append("")
            elif kind == "separate":
                skipping = "PAGEREF" in instr[-1]
            elif kind == "end":
                instr.pop()
                skipping = False
        elif tag == W + "instrText":
            instr[-1] += el.text or ""
        elif skipping:
            continue
        elif tag == W + "t":
            rpr = el.getparent().find(f"{W}rPr/{W}rStyle")
            if rpr is not None and rpr.get(W + "val") == "FootnoteReference":
                continue
            out.append(el.text or "")
        else:
            out.append(" ")
    return "".join(out)


# --- HTML ----------------------------------------------------------------------------------------

# Left out as in the other formats: page furniture (class "furniture": the marking banners, the
# cover's organisation and copy lines, the watermark), the <head>, citation marks (<sup>), the
# figures' drawings (<svg>, as the DOCX's pictures) and the notes printed at the end when the
# brief has no notes list (as the DOCX's footnotes: only their links count).
_HTML_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
              "source", "track", "wbr"}
_HTML_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre", "figcaption",
                "tr", "div", "blockquote", "section", "nav", "header", "main", "ol", "ul",
                "table", "figure", "br"}


class _HTMLReading(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, str]] = []  # (tag, skipped, what it is)
        self.text: list[str] = []
        self.links: list[tuple[str, bool]] = []  # (href, in the endnotes)

    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        skip = self.skipping() or tag in ("head", "sup", "svg") or "furniture" in classes
        endnotes = "endnotes" in classes or (bool(self.stack) and self.stack[-1][2] == "endnotes")
        if tag in _HTML_BLOCKS:
            self.text.append(" ")
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], endnotes))
        if tag in _HTML_VOID:
            return
        self.stack.append((tag, skip or endnotes, "endnotes" if endnotes else ""))

    def handle_endtag(self, tag):
        if tag in _HTML_VOID:
            return
        while self.stack:
            open_tag = self.stack.pop()[0]
            if open_tag == tag:
                break
        if tag in _HTML_BLOCKS:
            self.text.append(" ")

    def handle_data(self, data):
        if not self.skipping():
            self.text.append(data)


def read_html(data: bytes) -> Reading:
    parser = _HTMLReading()
    parser.feed(data.decode("utf-8"))
    parser.close()
    words = _words("".join(parser.text))
    headings = _html_heading_texts(data.decode("utf-8"))
    external, internal, seen = [], [], set()
    for href, in_endnotes in parser.links:
        if href.startswith(("#note:", "#cite:")):
            continue  # a citation mark's link to its note (and back), as in the other formats
        if href.startswith("#"):
            if not in_endnotes:
                internal.append(headings.get(href[1:], href[1:]))
        elif not in_endnotes or href not in seen:
            external.append(href)
        seen.add(href)
    return Reading(words, external, _once(internal))


_HTML_HEADING = re.compile(r'<(h[1-6])\b[^>]*\bid="([^"]*)"[^>]*>(.*?)</\1>', re.S)


def _html_heading_texts(page: str) -> dict[str, str]:
    """Heading id -> its text, as the PDF's outline and the DOCX's bookmarks name it."""
    from html import unescape
    return {unescape(m.group(2)): " ".join(unescape(re.sub(r"<[^>]+>", "", m.group(3))).split())
            for m in _HTML_HEADING.finditer(page)}
