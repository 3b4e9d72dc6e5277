"""No brief ends with a line or two alone on its last page where tightening the vertical spaces
can take them back (render/pdf/tighten.py); type sizes and leading stay the theme's. Measured on
the PDF: page count, lines per page, font sizes and baselines."""
from __future__ import annotations

import datetime
from io import BytesIO

from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.cli import main
from briefgen.document.markdown import parse_markdown
from briefgen.document.nodes import DocumentInfo
from briefgen.document.resolve import resolve
from briefgen.render.pdf import tighten
from briefgen.render.pdf.render import render_pdf
from briefgen.theme.model import default_theme
from tests.conftest import REPO
from tests.readers import page_lines, squash

MARGINS = (72, 64)


def body_rows(page) -> list[tuple[float, list[float], str]]:
    """(baseline, font sizes, text) of each line inside the text area, top first."""
    top = float(page.mediabox.height) - MARGINS[0] + 4
    return [(y, sorted({round(size, 2) for size, _, _ in row}),
             squash(" ".join(t for _, _, t in row)))
            for y, row in page_lines(page) if MARGINS[1] - 4 < y < top]


def test_the_situation_report_takes_its_last_two_lines_back(tmp_path):
    """It ended with its last source, two lines, alone on page 4."""
    result = CliRunner().invoke(main, ["build", "sitrep-sept-2024", "-w", str(REPO),
                                       "-o", str(tmp_path), "-f", "pdf"])
    assert result.exit_code == 0, result.output
    pages = PdfReader(str(tmp_path / "sitrep-sept-2024.pdf")).pages
    assert len(pages) == 3
    last = body_rows(pages[-1])
    assert len(last) > 10 and "Sources" in [text for _, _, text in last]
    # sizes and leading are the theme's (10 pt on 14 pt): a paragraph's lines 14 pt apart
    rows = [row for page in pages[1:] for row in body_rows(page)]
    at = next(k for k, (_, _, text) in enumerate(rows) if text.startswith("A UN report warned"))
    assert rows[at][1] == [10.0] and rows[at][0] - rows[at + 1][0] == 14


FILLER = "Regional security cooperation depends on partners for training and equipment. " * 5


def _document(closing: int) -> str:
    """Ten sections, then ``closing`` one-line paragraphs: the end moves down a line at a time."""
    return ("".join(f"## Section {i}\n\n{FILLER}\n\n{FILLER}\n\n" for i in range(10))
            + "".join(f"Closing line {i}.\n\n" for i in range(closing)))


def _pages(markdown: str) -> list:
    doc = parse_markdown(markdown, DocumentInfo(title="T", organisation="Desk"))
    pdf = render_pdf(resolve(doc), default_theme("A4"), datetime.datetime(2024, 10, 1))
    return PdfReader(BytesIO(pdf)).pages


def test_a_brief_is_set_tighter_only_where_that_saves_its_last_page(monkeypatch):
    """Documents of growing length: wherever the plain setting leaves four lines or fewer on the
    last page, the brief comes out a page shorter, with the same words, sizes and leading;
    elsewhere it is set as before."""
    tried = 0
    for closing in range(10, 20):
        markdown = _document(closing)
        monkeypatch.setattr(tighten, "FACTORS", ())
        plain = _pages(markdown)
        monkeypatch.undo()
        last = body_rows(plain[-1])
        tight = _pages(markdown)
        if len(plain) < 2 or len(last) > 4:
            assert len(tight) == len(plain)
            continue
        tried += 1
        assert len(tight) == len(plain) - 1, closing
        text = " ".join(squash(p.extract_text()) for p in tight)
        assert text.count("Regional security") == 100 and text.count("Closing line") == closing
        sizes = {s for page in tight for _, row, _ in body_rows(page) for s in row}
        assert sizes == {s for page in plain for _, row, _ in body_rows(page) for s in row}
        first = body_rows(tight[0])
        assert first[2][0] - first[3][0] == default_theme("A4").leading  # within a paragraph
    assert tried, "no length left a few lines on a last page: the test saw nothing"
