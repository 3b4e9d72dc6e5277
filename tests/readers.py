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
    """Paragraph texts of the body, and of all headers and footers."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        return {
            "body": _paragraph_texts(z.read("word/document.xml")),
            "headers": [t for n in names if re.match(r"word/header\d*\.xml", n)
                        for t in _paragraph_texts(z.read(n))],
            "footers": [t for n in names if re.match(r"word/footer\d*\.xml", n)
                        for t in _paragraph_texts(z.read(n))],
        }


def docx_text(path: Path) -> str:
    return " ".join(docx_parts(path)["body"])
