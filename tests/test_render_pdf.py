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

from briefgen.document.nodes import (BlockQuote, BulletList, Callout, CodeBlock, Document,
                                     DocumentInfo, Emph, Figure, Heading, Link, ListItem, NotesList,
                                     OrderedList, PageBreak, Paragraph, Table, Text, TimelineData,
                                     TimelineEvent)
from briefgen.errors import BriefgenError
from briefgen.fonts.faces import dejavu_sans, dejavu_serif
from briefgen.document.resolve import resolve
from briefgen.render.pdf.render import render_pdf
from briefgen.render.pdf.fonts import covered
from briefgen.theme.model import default_theme

from .doc_fixture import cell, para, print_document, sample_document

CREATED = datetime.datetime(2024, 10, 1, 9, 30, tzinfo=datetime.timezone.utc)
ROOT = Path(__file__).resolve().parent.parent


def render(doc: Document, paper: str = "A4", created=CREATED) -> bytes:
    return render_pdf(resolve(doc), default_theme(paper), created)


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
    cover, *pages = page_texts(reader)
    assert cover.count("TLP:AMBER") == 2  # the title block is a cover: banners, no running heads
    assert "Page 1 of" not in cover
    for n, text in enumerate(pages, start=2):
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
    cover, text = page_texts(read(render(sample_document(marking=""))))[:2]  # page 1: the cover
    assert "TLP" not in cover + text and "Page 2 of" in text


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
from briefgen.document.resolve import resolve
from briefgen.render.pdf.render import render_pdf
from briefgen.theme.model import default_theme
created = datetime.datetime(2024, 10, 1, 9, 30, tzinfo=datetime.timezone.utc)
sys.stdout.buffer.write(render_pdf(resolve(sample_document(paragraphs=8)), default_theme(), created))
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
        render_pdf(resolve(doc_with()), dataclasses.replace(theme, paper="A5"), CREATED)
    with pytest.raises(BriefgenError, match="accent_colour"):
        render_pdf(resolve(doc_with()), dataclasses.replace(theme, accent_colour="navy-ish"), CREATED)
    with pytest.raises(BriefgenError, match="margins"):
        render_pdf(resolve(doc_with()), dataclasses.replace(theme, margin_left=400), CREATED)
    missing = dataclasses.replace(theme.body_font, name="Missing", regular=Path("/nonexistent.ttf"))
    with pytest.raises(BriefgenError, match="nonexistent.ttf"):
        render_pdf(resolve(doc_with()), dataclasses.replace(theme, body_font=missing), CREATED)


# --- links ------------------------------------------------------------------------------------

def test_only_web_and_mail_links_are_clickable():
    hrefs = ["https://example.org/a?b=1&c=\"2\"<x>", "http://example.org", "mailto:desk@example.org",
             "javascript:alert(1)", "JavaScript:alert(2)", "file:///etc/passwd",
             "data:text/html,<b>x</b>", "#key-judgments", "relative/page.html", "https:"]
    data = render(doc_with(Paragraph([Link(h, [Text(f"L{i}")]) for i, h in enumerate(hrefs)])))
    page = read(data).pages[0]
    uris = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]
    # & kept; " < > percent-encoded once by resolve, the same target the DOCX relates to
    assert uris == ["https://example.org/a?b=1&c=%222%22%3Cx%3E", *hrefs[1:3]]
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


# --- print: cover, contents, running heads, notes, figures, watermark -------------------------

COPY = (2, 3, "Head of CT")
SECTION_HEADINGS = ["Bottom line up front"] + [
    t for n in range(1, 7) for t in (f"Section {n} & more", f"Subsection {n}.1")] + [
    "Distribution", "Sources"]


@pytest.fixture(scope="module")
def print_pdf() -> bytes:
    return render(print_document(copy=COPY, watermark="DRAFT"))


def text_chunks(page) -> list[tuple[str, float, float, str]]:
    """(text, font size, y, font name) of each piece of text pypdf sees on ``page``."""
    chunks = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            name = str(font["/BaseFont"]).split("+")[-1] if font is not None else ""
            chunks.append((text, size * tm[0] * cm[0], cm[5] + tm[5] * cm[3], name))

    page.extract_text(visitor_text=visit)
    return chunks


def link_dests(reader, page) -> list[tuple[float, int, float]]:
    """(top of the link's rectangle, target page index, target y) of each internal link."""
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    out = []
    for annot in page.get("/Annots", []):
        annot = annot.get_object()
        dest = annot.get("/Dest")
        if annot.get("/Subtype") == "/Link" and dest is not None:
            out.append((float(annot["/Rect"][3]), pages[dest[0].idnum], float(dest[3])))
    return out


def test_cover_page(print_pdf):
    cover = flat(read(print_pdf).pages[0].extract_text())
    for expected in ["Desk & Co", "Afghanistan and Central Asian Security after 2021",
                     "Regional responses since 2021", "1 October 2024",
                     "Prepared by A. Analyst, Б. Аналитик", "For Senior officials",
                     "Copy 2 of 3", "Head of CT"]:
        assert expected in cover, expected
    assert cover.count("TLP:AMBER") == 2  # banners at the top and the foot
    assert "Page 1 of" not in cover and "Central Asian security" not in cover  # no running heads


def test_running_heads_on_every_page_after_the_cover(print_pdf):
    texts = page_texts(read(print_pdf))
    total = len(texts)
    assert total >= 4
    for n, text in enumerate(texts[1:], start=2):
        assert text.count("TLP:AMBER") == 2, n
        assert f"Page {n} of {total}" in text, n
        assert "Copy 2 of 3 — Head of CT" in text, n
        assert "Central Asian security" in text and "1 October 2024" in text, n  # short title


def test_no_titleblock_no_cover():
    doc = print_document()
    doc.children = [b for b in doc.children if not isinstance(b, Callout)]
    first = read(render(doc)).pages[0].extract_text()
    assert "Page 1 of" in first and "Central Asian security" in first
    assert "Contents" in first


def test_contents_page_numbers_and_links(print_pdf):
    reader = read(print_pdf)
    heading_page = {}
    for i, page in enumerate(reader.pages):
        for text, size, _, _ in text_chunks(page):
            if size >= 12 and text.strip() in SECTION_HEADINGS:  # h2/h3 sizes; entries are 10 pt
                heading_page.setdefault(text.strip(), i)
    assert set(heading_page) == set(SECTION_HEADINGS)
    toc = flat(reader.pages[1].extract_text())
    assert toc.index("Contents") < toc.index("Bottom line up front")
    numbers = []
    for title in SECTION_HEADINGS:
        m = re.search(re.escape(title) + r"[ .]*?(\d+)\b", toc)
        assert m, title
        assert int(m.group(1)) == heading_page[title] + 1, title  # printed numbers are 1-based
        numbers.append(int(m.group(1)))
    assert len(set(numbers)) >= 3
    # every entry links to its heading: its text and its number, both to the heading's page
    links = sorted((-top, target) for top, target, _ in link_dests(reader, reader.pages[1])
                   if -top < -reader.pages[1].mediabox.height / 4)  # not the body's note marks
    rows: list[list[int]] = []
    last = None
    for top, target in links:
        if last is None or abs(top - last) > 4:
            rows.append([])
        rows[-1].append(target)
        last = top
    toc_rows = rows[:len(SECTION_HEADINGS)]
    assert [sorted(set(r)) for r in toc_rows] == [[heading_page[t]] for t in SECTION_HEADINGS]
    assert all(len(r) == 2 for r in toc_rows)


def test_outline_has_every_heading(print_pdf):
    reader = read(print_pdf)
    titles = outline_titles(reader.outline)
    assert titles == [(0, "Afghanistan and Central Asian Security after 2021"),
                      (1, "Contents")] + [
        (2 if t.startswith("Subsection") else 1, t) for t in SECTION_HEADINGS]


FILLS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}


def test_watermark_on_every_page_over_boxes_and_tables(print_pdf):
    """Drawn first, the watermark vanished under the fills of boxes and tables: it is drawn last,
    faint and multiplied, so text under it stays as dark as it was."""
    reader = read(print_pdf)
    filled_before = 0
    for n, page in enumerate(reader.pages):
        assert "DRAFT" in page.extract_text(), n
        states = page["/Resources"]["/ExtGState"]
        ops = pypdf.generic.ContentStream(page.get_contents(), reader).operations
        marks = [i for i, (args, op) in enumerate(ops) if op == b"gs"
                 and float(states[args[0]].get_object().get("/ca", 1)) < 0.5]
        assert len(marks) == 1, n
        draw = next(i for i in range(marks[0], len(ops)) if ops[i][1] == b"Do")  # its form
        state = {k: v for args, op in ops[marks[0]:draw] if op == b"gs"
                 for k, v in states[args[0]].get_object().items()}
        assert state.get("/BM") == "/Multiply", n
        after = [op for _, op in ops[draw:]]
        assert not FILLS & set(after), f"page {n + 1}: a fill drawn over the watermark"
        filled_before += any(op in FILLS for _, op in ops[:marks[0]])
    assert filled_before >= 3  # cover bands, the BLUF box, table rows: all under it
    assert "DRAFT" not in read(render(print_document(copy=COPY))).pages[1].extract_text()


def test_note_refs_link_to_the_notes_and_notes_print_once(print_pdf):
    reader = read(print_pdf)
    last = reader.pages[-1]
    notes = {text.split()[0]: y for text, _, y, _ in text_chunks(last)
             if text.startswith(("Kim Jeong-ki", "Elia Preto Martini"))}
    assert set(notes) == {"Kim", "Elia"}
    to_notes = [y for page in reader.pages for _, target, y in link_dests(reader, page)
                if target == len(reader.pages) - 1]
    near = {name: sum(1 for y in to_notes if 0 <= y - ny <= 16) for name, ny in notes.items()}
    assert near == {"Kim": 7, "Elia": 12}  # BLUF 1; each section 1, 2 and 2 again
    text = flat(" ".join(page_texts(reader)))
    assert "source1, 2 and another.2" in text  # adjacent marks joined
    assert text.count("Kim Jeong-ki") == 1 and text.count("Elia Preto Martini") == 1
    assert re.search(r"1\. ?Kim Jeong-ki.*2\. ?Elia Preto Martini", text)


def test_without_notes_list_the_notes_are_listed_at_the_end_and_marks_link_there():
    doc = print_document()
    doc.children = [b for b in doc.children if not isinstance(b, NotesList)]
    reader = read(render(doc))
    text = flat(" ".join(page_texts(reader)))
    assert "source1, 2" in text
    assert re.search(r"Notes 1\. ?Kim Jeong-ki.*2\. ?Elia Preto Martini.*$", text)
    assert text.count("Kim Jeong-ki") == 1
    last = len(reader.pages) - 1
    assert any(target == last for page in reader.pages[2:]
               for _, target, _ in link_dests(reader, page))


def xobject_kinds(resources) -> list[str]:
    kinds = []
    resources = resources.get_object() if resources else {}
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        kinds.append(str(xobject["/Subtype"]))
        kinds += xobject_kinds(xobject.get("/Resources"))
    return kinds


def test_figures_are_vector_with_numbered_captions(print_pdf):
    reader = read(print_pdf)
    text = flat(" ".join(page_texts(reader)))
    assert "Figure 1: Timeline of developments in scope" in text
    assert "Figure 2: Relations between actors" in text
    for label in ["Taliban regain control", "SCO summit", "Uzbekistan", "ISIS-K",
                  "Абдусалом Азизов"]:
        assert label in text, label  # drawn as text, not pixels
    for page in reader.pages:
        assert "/Image" not in xobject_kinds(page["/Resources"])


def test_a_figure_taller_than_the_frame_is_scaled_to_fit():
    from briefgen.figures.build import figure_size
    theme = dataclasses.replace(default_theme(), margin_top=330, margin_bottom=330)
    frame = theme.page_size[1] - 660
    events = [TimelineEvent(datetime.date(2020 + i // 12, i % 12 + 1, 1),
                            datetime.date(2020 + i // 12, i % 12 + 1, 1), f"Event {i}")
              for i in range(40)]
    figure = Figure("timeline", TimelineData(events), "Many events")
    assert figure_size(figure, theme.page_size[0] - 136, theme)[1] > frame  # too tall as drawn
    reader = read(render_pdf(resolve(doc_with(para("Before."), figure)), theme, CREATED))  # no LayoutError
    pages = [i for i, t in enumerate(page_texts(reader)) if "Figure 1: Many events" in t]
    assert len(pages) == 1
    ys = [y for text, _, y, _ in text_chunks(reader.pages[pages[0]]) if "Event" in text]
    assert ys and all(330 - 1 <= y <= 330 + frame for y in ys)  # all of it inside the frame


def test_print_document_on_letter_paper():
    reader = read(render(print_document(copy=COPY), "letter"))
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
    assert "Copy 2 of 3" in reader.pages[0].extract_text()


def test_page_breaks_never_make_empty_pages():
    reader = read(render(doc_with(PageBreak(), para("one"), PageBreak(), PageBreak(),
                                  para("two"), PageBreak())))
    texts = page_texts(reader)
    assert len(texts) == 2 and "one" in texts[0] and "two" in texts[1]


def test_print_metadata_and_reproducibility(print_pdf):
    reader = read(print_pdf)
    keywords = reader.metadata["/Keywords"]
    assert "Afghanistan" in keywords and "Central Asia" in keywords and "TLP:AMBER" in keywords
    assert reader.trailer["/Root"]["/Lang"] == "en"
    names = set()
    for page in reader.pages:
        names |= fonts_of(page["/Resources"])  # embedded TrueType only
    assert all("+DejaVu" in n for n in names) and b"Helvetica" not in print_pdf
    assert render(print_document(copy=COPY, watermark="DRAFT")) == print_pdf
    script = RENDER_SCRIPT.replace("sample_document(paragraphs=8)",
                                   "print_document(copy=(2, 3, 'Head of CT'), watermark='DRAFT')")
    script = script.replace("import sample_document", "import print_document")
    env = dict(os.environ, PYTHONHASHSEED="3")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True,
                         check=True).stdout
    assert out == print_pdf  # contents, figures, forms: nothing depends on the process


# --- scripts and fonts --------------------------------------------------------------------------

def shown_text(page) -> list[tuple[str, str, list[float]]]:
    """(font, text, glyph widths) of each string the content stream draws, in stream order:
    the text through the font's ToUnicode map, widths from its /Widths."""
    from pypdf.generic import ContentStream
    fonts = page["/Resources"]["/Font"]
    out, font = [], None
    for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"Tf":
            font = fonts[operands[0]].get_object()
        elif op in (b"Tj", b"TJ"):
            cmap = font["/ToUnicode"].get_object().get_data().decode()
            chars = {int(a, 16): bytes.fromhex(b).decode("utf-16-be")
                     for a, b in re.findall(r"<([0-9A-F]{2})> <((?:[0-9A-F]{4})*)>", cmap)}
            for item in operands[0] if op == b"TJ" else operands:
                if isinstance(item, str | bytes):
                    codes = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
                    out.append((str(font["/BaseFont"]).split("+")[-1],
                                "".join(chars[c] for c in codes),
                                [float(font["/Widths"][c - font["/FirstChar"]]) for c in codes]))
    return out


def test_arabic_is_joined_in_visual_order_and_extracts_in_logical_order():
    data = render(doc_with(para("Taliban (طالبان) and ", Emph([Text("ISKP (داعش خراسان)")]),
                                " in 2024.")))
    page = read(data).pages[0]
    # Text extraction (pypdf here; pdftotext gives the same letters) rebuilds the logical order
    # from the visual order in the file and reads the letters from the ToUnicode map: text
    # stored in logical order would come out reversed.
    text = page.extract_text().replace("\u00a0", " ")
    assert "Taliban (طالبان" in text
    assert "داعش خراسان" in text and "ISKP (" in text and "in 2024." in text
    # In the file: left to right, the last letter first, as HarfBuzz's joined forms, in Amiri
    # (the built-in Arabic-script face: the body serif has no Arabic), in its italic inside <i>
    import uharfbuzz as hb
    from briefgen.fonts.faces import amiri
    shown = shown_text(page)
    drawn = "".join(t for font, t, _ in shown if font == "Amiri-Regular")
    widths = [round(w) for font, _, ws in shown if font == "Amiri-Regular" for w in ws]
    assert "نابلاط" in drawn  # ToUnicode gives the letters: "طالبان" reversed
    face = hb.Face(hb.Blob.from_file_path(str(amiri().regular)))
    buf = hb.Buffer()
    buf.add_str("طالبان")
    buf.guess_segment_properties()
    hb.shape(hb.Font(face), buf, {})
    joined = [round(p.x_advance * 1000 / face.upem) for p in buf.glyph_positions]
    assert any(widths[i:i + len(joined)] == joined for i in range(len(widths)))
    isolated = [hb.Font(face).get_nominal_glyph(ord(c)) for c in "طالبان"]
    assert joined != [round(hb.Font(face).get_glyph_h_advance(g) * 1000 / face.upem)
                      for g in reversed(isolated)]  # the joined forms differ from the isolated
    assert "ناسارخ شعاد" in "".join(t for font, t, _ in shown if font == "Amiri-Italic")


def test_fallback_fonts_cover_what_the_theme_fonts_lack():
    serif_only = dataclasses.replace(default_theme(), heading_font=dejavu_serif(),
                                     mono_font=dejavu_serif())
    with_fallback = dataclasses.replace(serif_only, fallback_fonts=[dejavu_sans()])
    text = "Plane ✈ and 🦄"  # DejaVu Sans has ✈; DejaVu Serif and the script faces have not
    assert covered(text, serif_only) == {"✈", "🦄"}
    assert covered(text, with_fallback) == {"🦄"}  # no face has the emoji
    assert covered("Taliban طالبان Ωμέγα ОДКБ\n\t", default_theme()) == set()

    def fonts(theme):
        page = read(render_pdf(resolve(doc_with(para(text))), theme, CREATED)).pages[0]
        return {font: chunk for chunk, size, _, font in text_chunks(page) if size == 10}

    assert "✈" in fonts(with_fallback)["DejaVuSans"]
    assert set(fonts(serif_only)) == {"DejaVuSerif"}  # nothing covers it: left as is


def test_a_heading_is_never_stranded_above_a_figure():
    """A section heading followed by a tall figure moves to the figure's page."""
    from briefgen.document.nodes import Figure, MapEdge, MapNode, RelationMapData
    nodes = [MapNode(f"a{i}", f"Actor number {i}", "state") for i in range(40)]
    edges = [MapEdge(f"a{i}", f"a{(i * 7 + 3) % 40}", "works with") for i in range(40)]
    figure = Figure("relation-map", RelationMapData(nodes, edges), "Relations", line=1)
    heading = Heading(2, [Text("Relations overview")], "relations-overview")
    for fillers in (2, 3, 4):
        doc = print_document(sections=0)
        doc.children = doc.children[:1] + [para("Filler. " * 150) for _ in range(fillers)] + \
            [heading, figure]  # a cover, no contents
        pages = [p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(render(doc))).pages]
        (page,) = [p for p in pages if "Relations overview" in p]
        assert "Figure 1" in page.split("Relations overview", 1)[1], fillers


def test_the_renderer_counts_the_pages_it_wrote():
    from briefgen.render.pdf.render import render_pdf_pages
    for doc in (doc_with(para("One page.")), doc_with(para("A"), PageBreak(), para("B")),
                print_document(), sample_document(paragraphs=40)):
        data, pages = render_pdf_pages(resolve(doc), default_theme(), CREATED)
        assert pages == len(read(data).pages)
        assert data == render(doc)
    assert pages > 3  # the long one
