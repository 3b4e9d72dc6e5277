"""Reading outputs back as a reader sees them."""
import re
import zipfile
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def pdf_pages(path: Path) -> list[str]:
    return [squash(page.extract_text() or "") for page in PdfReader(str(path)).pages]


def _paragraph_texts(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    return [squash("".join(t.text or "" for t in p.iter(W + "t"))) for p in root.iter(W + "p")]


def docx_parts(path: Path) -> dict[str, list[str]]:
    """Paragraph texts of the body, of all headers and footers, and of the footnotes."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        return {
            "body": _paragraph_texts(z.read("word/document.xml")),
            "headers": [t for n in names if re.match(r"word/header\d*\.xml", n)
                        for t in _paragraph_texts(z.read(n))],
            "footers": [t for n in names if re.match(r"word/footer\d*\.xml", n)
                        for t in _paragraph_texts(z.read(n))],
            "footnotes": (_paragraph_texts(z.read("word/footnotes.xml"))
                          if "word/footnotes.xml" in names else []),
        }


def docx_text(path: Path) -> str:
    return " ".join(docx_parts(path)["body"])


def page_lines(page) -> list[tuple[float, list[tuple[float, str, str]]]]:
    """The lines of a pypdf page, top first: (baseline y, [(size, font name, text), ...])."""
    chunks: dict[int, list[tuple[float, str, str]]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            name = str(font["/BaseFont"]).split("+")[-1] if font is not None else ""
            y = cm[5] + tm[5] * cm[3]
            chunks.setdefault(round(y), []).append((size * tm[0] * cm[0], name, text))

    page.extract_text(visitor_text=visit)
    return sorted(chunks.items(), key=lambda row: -row[0])


def stranded_headings(path: Path, margins: tuple[float, float] = (72, 64)) -> list[tuple]:
    """Headings (bold sans of at least 10.4 pt, inside the text area) that end a page with
    fewer than two lines of text after them while their text goes on on the next page; lines
    all in italics right under a heading (an actor's byline) do not count, a figure caption
    counts as the figure above it. The cover (page 1) is left out. Works on briefgen's PDFs and
    on LibreOffice's rendering of the DOCX (same faces)."""
    reader = PdfReader(str(path))
    pages = []
    for page in reader.pages:
        top = float(page.mediabox.height) - margins[0] + 4
        rows = []
        for y, row in page_lines(page):
            if not margins[1] - 4 < y < top:
                continue  # running heads
            text = " ".join(t for _, _, t in row).strip()
            if all("Sans-Bold" in name and size >= 10.4 for size, name, _ in row):
                kind = "heading"
            elif all("Italic" in name or "Oblique" in name for _, name, _ in row):
                kind = "italic"
            else:
                kind = "figure" if re.match(r"Figure\s*\d+\s*:", text) else "text"
            rows.append((kind, text))
        pages.append(rows)
    found = []
    for number, (rows, following) in enumerate(zip(pages[1:], pages[2:]), start=2):
        heads = [i for i, (kind, _) in enumerate(rows) if kind == "heading"]
        if not heads or (following and following[0][0] == "heading"):
            continue  # no heading, or its section ends with the page
        after = rows[heads[-1] + 1:]
        while after and after[0][0] == "italic":
            after = after[1:]
        lines = sum(2 if kind == "figure" else 1 for kind, _ in after)
        if lines < 2:
            found.append((number, rows[heads[-1]][1], [text for _, text in after]))
    return found
