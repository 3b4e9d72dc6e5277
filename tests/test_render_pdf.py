"""The PDF renderer: text, running heads, outline, fonts, links, determinism, robustness.

PDFs are checked through what pypdf extracts, never by comparing bytes with a stored file.
"""
from __future__ import annotations

import dataclasses
import datetime
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefgen.document import (BlockQuote, BulletList, Callout, CodeBlock, Document, DocumentInfo,
                               Heading, Link, ListItem, OrderedList, Paragraph, Table, Text)
from briefgen.errors import BriefgenError
from briefgen.render.pdf import render_pdf
from briefgen.theme import default_theme

from .doc_fixture import cell, para, sample_document

CREATED = datetime.datetime(2024, 10, 1, 9, 30, tzinfo=datetime.timezone.utc)
ROOT = Path(__file__).resolve().parent.parent


def render(doc: Document, paper: str = "A4", created=CREATED) -> bytes:
    return render_pdf(doc, default_theme(paper), created)


def read(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


def flat(text: str) -> str:
    return " ".join(text.split())


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def doc_with(*blocks, title="Test brief", marking="") -> Document:
    return Document(DocumentInfo(title=title, marking=marking, date="2 May 2025"), list(blocks))


@pytest.fixture(scope="module")
def fixture_pdf() -> bytes:
    return render(sample_document())


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return render(sample_document(paragraphs=60, rows=120))


# --- text -------------------------------------------------------------------------------------

def test_fixture_text_is_all_there_and_escaped(fixture_pdf):
    text = flat(" ".join(page_texts(read(fixture_pdf))))
    for expected in [
        "Afghanistan & Central Asia <b>security</b>",  # title, & and tags literal
        "Regional responses since 2021",
        "Issued: 1 October 2024",
        "Bottom line: the Taliban cannot contain ISKP & its allies.",
        "Very likely (80–95%) · moderate confidence",
        "15 August 2021 — Taliban take Kabul",
        "Plain, italic, bold, both, struck, code(), a link,",
        "raw <font color='red'>html</font> & <b>tags</b> stay literal.",
        "Организация Договора о коллективной безопасности (ОДКБ)",
        "Ελληνικά", "Tоҷикистон", "Oʻzbekiston", "Łódź",
        "first bullet", "nested bullet",
        "1. first step", "2. second step", "3. restarts at three", "4. four",
        "Actor 2 & <x>", "Since", "2002",
        "A quoted statement.", "A note callout.", "A warning callout.",
        "line one", "line two <tag> & more",
        "Filler paragraph 0.",
    ]:
        assert expected in text, expected
    assert "&amp;" not in text and "&lt;" not in text
    assert text.count("x" * 60) >= 1  # the 400-character word is printed (wrapped, not lost)
    assert sum(len(w) for w in re.findall(r"x{5,}", text)) == 400


def test_code_block_keeps_its_spaces():
    data = render(doc_with(CodeBlock("def f():\n    return  1\n\n\tdone")))
    lines = read(data).pages[0].extract_text().splitlines()
    assert "    return  1" in lines
    assert "    done" in lines  # a tab is four spaces


def test_metadata(fixture_pdf):
    meta = read(fixture_pdf).metadata
    assert meta.title == "Afghanistan & Central Asia <b>security</b>"
    assert meta.author == "A. Analyst, Б. Аналитик"
    assert meta.subject == "Regional responses since 2021"
    assert "TLP:AMBER" in meta["/Keywords"]
    assert meta.creator == "briefgen"
    assert meta["/CreationDate"] == "D:20241001093000+00'00'"
    later = render(sample_document(), created=datetime.datetime(
        2025, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=-5, minutes=-30))))
    assert read(later).metadata["/CreationDate"] == "D:20250102030405-05'30'"


# --- running heads ----------------------------------------------------------------------------

def test_marking_and_page_numbers_on_every_page(long_pdf):
    reader = read(long_pdf)
    total = len(reader.pages)
    assert total >= 5
    for n, text in enumerate(page_texts(reader), start=1):
        assert text.count("TLP:AMBER") == 2, n  # header and footer
        assert f"Page {n} of {total}" in text
        assert "Afghanistan & Central Asia <b>security</b>" in text  # running title
        assert "1 October 2024" in text  # footer date


def test_tlp_label_is_bold_and_at_least_12pt(fixture_pdf):
    found = []

    def visit(text, cm, tm, font, size):
        if "TLP:AMBER" in text:
            found.append((str(font.get("/BaseFont")), size * tm[0] * cm[0]))

    read(fixture_pdf).pages[0].extract_text(visitor_text=visit)
    assert len(found) == 2
    for font, size in found:
        assert font.endswith("DejaVuSans-Bold") and size >= 12
    content = read(fixture_pdf).pages[0].get_contents().get_data()
    assert b"0 0 0 rg" in content  # the black box
    assert b"1 .752941 0 rg" in content  # TLP amber #FFC000


def test_other_markings_are_banners_and_empty_marking_prints_nothing():
    reader = read(render(sample_document(marking="OFFICIAL-SENSITIVE", paragraphs=30)))
    assert len(reader.pages) > 1
    for text in page_texts(reader):
        assert text.count("OFFICIAL-SENSITIVE") == 2
    text = read(render(sample_document(marking=""))).pages[0].extract_text()
    assert "TLP" not in text and "Page 1 of" in text


# --- outline ----------------------------------------------------------------------------------

def outline_titles(items, depth=0):
    out = []
    for item in items:
        if isinstance(item, list):
            out += outline_titles(item, depth + 1)
        else:
            out.append((depth, item.title))
    return out


def test_outline_has_every_heading_nested(fixture_pdf):
    assert outline_titles(read(fixture_pdf).outline) == [
        (0, "Afghanistan & Central Asia <b>security</b>"),
        (1, "Key judgments"), (1, "Developments"), (2, "15 August 2021 — Taliban take Kabul")]


def test_outline_points_at_the_right_pages_and_skips_no_levels():
    filler = [para(f"Filler {i}. " + "Lorem ipsum dolor sit amet. " * 30) for i in range(12)]
    blocks = [Heading(3, [Text("Starts deep")], "deep")]
    for n in range(1, 5):
        blocks += [Heading(1, [Text(f"Part {n}")], f"part-{n}"), *filler,
                   Heading(4, [Text(f"Detail {n}")], "detail"),  # same anchor four times
                   Callout("bluf", [Heading(2, [Text(f"Boxed {n}")], ""), para("In a box.")])]
    reader = read(render(doc_with(*blocks)))
    assert outline_titles(reader.outline) == [(0, "Starts deep")] + [
        t for n in range(1, 5) for t in [(0, f"Part {n}"), (1, f"Detail {n}"), (1, f"Boxed {n}")]]

    def entries(items):
        for item in items:
            yield from entries(item) if isinstance(item, list) else [item]

    texts = page_texts(reader)
    pages = [reader.get_destination_page_number(e) for e in entries(reader.outline)]
    assert len(set(pages)) > 3  # not every entry on page 1
    for entry, page in zip(entries(reader.outline), pages):
        assert entry.title in texts[page]


# --- fonts, paper, determinism ----------------------------------------------------------------

def fonts_of(resources) -> set[str]:
    names = set()
    resources = resources.get_object() if resources else {}
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        names.add(str(font["/BaseFont"]))
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]  # embedded TrueType
    for xobject in (resources.get("/XObject") or {}).values():
        names |= fonts_of(xobject.get_object().get("/Resources"))
    return names


def test_only_embedded_dejavu_fonts(fixture_pdf):
    names = set()
    for page in read(fixture_pdf).pages:
        names |= fonts_of(page["/Resources"])
    assert names and all(re.fullmatch(r"/[A-Z]{6}\+DejaVu(Serif|Sans|SansMono)(-\w+)?", n)
                         for n in names), names
    faces = {n.split("+")[1] for n in names}  # <b>, <i> and code use the family's own faces
    assert {"DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic",
            "DejaVuSans-Bold", "DejaVuSansMono"} <= faces
    assert b"Helvetica" not in fixture_pdf


@pytest.mark.parametrize("paper, size", [("A4", (595.28, 841.89)), ("letter", (612, 792))])
def test_paper_size(paper, size):
    box = read(render(doc_with(para("x")), paper)).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == size


RENDER_SCRIPT = """
import datetime, sys
from tests.doc_fixture import sample_document
from briefgen.render.pdf import render_pdf
from briefgen.theme import default_theme
created = datetime.datetime(2024, 10, 1, 9, 30, tzinfo=datetime.timezone.utc)
sys.stdout.buffer.write(render_pdf(sample_document(paragraphs=8), default_theme(), created))
"""


def test_byte_identical_output_also_across_processes(fixture_pdf):
    assert render(sample_document()) == fixture_pdf
    expected = render(sample_document(paragraphs=8))
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, SOURCE_DATE_EPOCH="1234567890")
        out = subprocess.run([sys.executable, "-c", RENDER_SCRIPT], cwd=ROOT, env=env,
                             capture_output=True, check=True).stdout
        assert out == expected
    assert render(sample_document(), created=CREATED + datetime.timedelta(days=1)) != fixture_pdf


# --- robustness -------------------------------------------------------------------------------

def rightmost_text(reader: pypdf.PdfReader) -> float:
    """The right end of the widest line of text on any page (fonts must be registered)."""
    ends = [0.0]

    def visit(text, cm, tm, font, size):
        if font is not None and text.strip():
            name = str(font["/BaseFont"]).split("+")[-1]
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            ends.append(x + stringWidth(text.rstrip(), name, size * tm[0] * cm[0]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return max(ends)


def test_long_words_and_urls_wrap_inside_the_margins():
    word = "y" * 5000
    url = ("https://www.example.org/reports/2024/central-asia/security-assessment-of-the-regional-"
           "organisations-and-their-responses.pdf?download=1&lang=en")
    data = render(doc_with(para(word), Heading(2, [Text(word)], "w"), CodeBlock(word),
                           Table([cell("a"), cell("b")], [[cell(word), cell("b")]]),
                           BulletList([ListItem([para(word)])]),
                           Callout("note", [para(word)]), BlockQuote([para(word)]),
                           para("The report at ", Link(url, [Text(url)]), " says so."),
                           Table([cell("Source")], [[cell(url)]]),
                           Heading(3, [Text(word)], "at-the-end")))
    reader = read(data)
    text = "".join(page_texts(reader))
    assert text.count("y") >= 8 * 5000
    theme = default_theme()
    assert rightmost_text(reader) <= theme.page_size[0] - theme.margin_right + 1


def test_a_table_cell_taller_than_a_page_splits():
    huge = " ".join(f"w{i}" for i in range(1500))
    data = render(doc_with(
        Table([cell("Actor"), cell("Notes")], [[cell("one"), cell(huge)], [cell("two"), cell("x")]]),
        Callout("warning", [Table([cell("A")], [[cell(huge)]])]),
        para("After the tables.")))
    reader = read(data)
    text = flat(" ".join(page_texts(reader)))
    assert len(reader.pages) >= 3
    assert "w0 w1" in text and "w1499" in text and "After the tables." in text
    assert flat(reader.pages[1].extract_text()).count("Actor Notes") == 1  # header repeated


def test_empty_document_still_has_a_page():
    reader = read(render(doc_with()))
    assert len(reader.pages) == 1 and "Page 1 of 1" in reader.pages[0].extract_text()


@dataclasses.dataclass
class Mystery:
    line: int = 7


def test_unknown_nodes_raise_briefgen_error():
    with pytest.raises(BriefgenError, match="unknown block node type Mystery") as info:
        render(doc_with(para("ok"), Mystery()))
    assert info.value.problem.line == 7
    with pytest.raises(BriefgenError, match="unknown block node type Mystery"):
        render(doc_with(BulletList([ListItem([Mystery()])])))
    with pytest.raises(BriefgenError, match="unknown inline node type Mystery"):
        render(doc_with(Paragraph([Text("a"), Mystery()], line=3)))
    with pytest.raises(BriefgenError, match="unknown callout kind 'sidebar'"):
        render(doc_with(Callout("sidebar", [para("x")])))


def test_theme_problems_raise_briefgen_error():
    theme = default_theme()
    with pytest.raises(BriefgenError, match="paper"):
        render_pdf(doc_with(), dataclasses.replace(theme, paper="A5"), CREATED)
    with pytest.raises(BriefgenError, match="accent_colour"):
        render_pdf(doc_with(), dataclasses.replace(theme, accent_colour="navy-ish"), CREATED)
    with pytest.raises(BriefgenError, match="margins"):
        render_pdf(doc_with(), dataclasses.replace(theme, margin_left=400), CREATED)
    missing = dataclasses.replace(theme.body_font, name="Missing", regular=Path("/nonexistent.ttf"))
    with pytest.raises(BriefgenError, match="nonexistent.ttf"):
        render_pdf(doc_with(), dataclasses.replace(theme, body_font=missing), CREATED)


# --- links ------------------------------------------------------------------------------------

def test_only_web_and_mail_links_are_clickable():
    hrefs = ["https://example.org/a?b=1&c=\"2\"<x>", "http://example.org", "mailto:desk@example.org",
             "javascript:alert(1)", "JavaScript:alert(2)", "file:///etc/passwd",
             "data:text/html,<b>x</b>", "#key-judgments", "relative/page.html", "https:"]
    data = render(doc_with(Paragraph([Link(h, [Text(f"L{i}")]) for i, h in enumerate(hrefs)])))
    page = read(data).pages[0]
    uris = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]
    assert uris == hrefs[:3]  # the first one exactly, & " < > included
    text = page.extract_text()
    assert all(f"L{i}" in text for i in range(len(hrefs)))  # every link text is printed


def test_ordered_list_numbering():
    items = [ListItem([para(f"item {i}")]) for i in range(12)]
    nested = OrderedList([ListItem([para("outer"), OrderedList(items[:2], start=5)])], start=9)
    text = read(render(doc_with(OrderedList(items, start=0), nested))).pages[0].extract_text()
    # pypdf may put a label after its item text (other baseline): compare the sequences
    labels = [int(n) for n in re.findall(r"^\s*(\d+)\.", text, re.M)]
    assert labels == list(range(12)) + [9, 5, 6]
    assert re.findall(r"item \d+|outer", text) == [f"item {i}" for i in range(12)] + [
        "outer", "item 0", "item 1"]
