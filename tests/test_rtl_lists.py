"""Lists whose items read right to left (issue 13): in the PDF each such item has its bullet or
number at the right, next to where its text begins, and its indent on the right, as LibreOffice
draws the DOCX's w:bidi list paragraphs; left-to-right items keep theirs at the left
(render/pdf/list_direction.py). Positions are read back with ``pdftotext -bbox``."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest

from briefgen.document.nodes import BulletList, ListItem, OrderedList

from .doc_fixture import para
from .pdf_structure import TaggedPdf
from .test_render_docx import needs_soffice
from .test_render_docx import render as render_docx
from .test_render_pdf import doc_with, render

PASHTO = "د تاشکند غونډه په سپټمبر کې جوړه شوه"
DARI = "ازبکستان می‌خواهد همکاری‌های امنیتی را گسترش دهد"
LEFT, RIGHT = 68.0, 595.276 - 68.0  # the frame's edges (A4, 68 pt margins)

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler's pdftotext is not installed")


def rtl_doc():
    return doc_with(
        para("An English paragraph before the lists."),
        BulletList([ListItem([para(PASHTO)]), ListItem([para(DARI)])]),
        OrderedList([ListItem([para(PASHTO)]), ListItem([para("English third item")]),
                     ListItem([para(DARI)])], start=1),
        BulletList([ListItem([para("English bullet")])]),
        OrderedList([ListItem([para("English step")])], start=9),
    )


def lines(data: bytes) -> list[list[tuple[str, float, float]]]:
    """Page 1's words as (word as drawn, xMin, xMax), grouped by line, top to bottom."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()
    return _rows(html)


def _rows(html: str) -> list[list[tuple[str, float, float]]]:
    rows: dict[int, list] = {}
    for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            html):
        middle = (float(y0) + float(y1)) / 2
        key = next((k for k in rows if abs(k - middle) < 5), round(middle))
        rows.setdefault(key, []).append((word, float(x0), float(x1)))
    return [sorted(rows[k], key=lambda w: w[1]) for k in sorted(rows)]


def line_with(rows, word: str) -> list[tuple[str, float, float]]:
    return next(row for row in rows if any(w[0] == word for w in row))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render(rtl_doc())


@needs_poppler
def test_an_rtl_items_bullet_is_at_the_right_margin_after_its_text(pdf):
    rows = lines(pdf)
    bulleted = [row for row in rows if row[-1][0] == "•" and len(row) > 2]
    assert len(bulleted) == 2  # both Pashto and Dari items: the bullet is the rightmost word
    for row in bulleted:
        bullet, text = row[-1], row[:-1]
        assert bullet[2] == pytest.approx(RIGHT, abs=0.5)  # at the right margin
        assert 5 < bullet[1] - max(w[2] for w in text) < 14  # a gap, then the text's start
        assert min(w[1] for w in text) > LEFT + 100  # the text right-aligned, far from the left
    english = line_with(rows, "bullet")
    assert english[0][0] == "•" and english[0][1] == pytest.approx(LEFT, abs=0.5)


def _nested(outer: str, inner: str, marker: str) -> BulletList:
    return BulletList([ListItem([para(outer), BulletList([ListItem([para(inner)]),
                                                          ListItem([para(marker)])])])])


@needs_poppler
def test_a_nested_list_is_indented_from_its_own_side_whatever_its_parents_direction():
    """LibreOffice indents a second-level item by two levels from the side its text begins,
    whether its parent item reads the same way or not; the PDF did not count the parent's indent
    when the parent read the other way (an English list in a Pashto item sat at the margin)."""
    rows = lines(render(doc_with(
        _nested("English outer", "English inner", "lone"),
        _nested(PASHTO, "English under Pashto", "solo"),
        _nested(DARI, DARI, "قلم"),
        _nested("English again", PASHTO, "کور"))))
    ltr = [line_with(rows, word)[0] for word in ("inner", "Pashto")]
    assert {label for label, _, _ in ltr} == {"–"}
    assert ltr[0][1] == pytest.approx(LEFT + 14, abs=0.5)  # one level in: the parent's indent
    assert ltr[1][1] == pytest.approx(ltr[0][1], abs=0.5)
    for word in ("lone", "solo"):  # the text after the label as far in
        assert line_with(rows, word)[1][1] == pytest.approx(LEFT + 28, abs=0.5)
    # the right-to-left second level (words come back as drawn: look for the label at the end)
    rtl = [row[-1] for row in rows if row[-1][0] == "–"]
    assert len(rtl) == 4  # two items under a Dari item, two under an English one
    for label in rtl:
        assert label[2] == pytest.approx(RIGHT - 14, abs=0.5)


@needs_poppler
def test_an_rtl_items_number_is_at_its_right_read_from_the_right(pdf):
    rows = lines(pdf)
    numbered = [row for row in rows if re.fullmatch(r"\.\d", row[-1][0])]
    # ".1" as drawn: a right-to-left reader reads the number, then its full stop
    assert [row[-1][0] for row in numbered] == [".1", ".3"]
    for row in numbered:
        label, text = row[-1], row[:-1]
        assert RIGHT - 20 < label[1] and label[2] <= RIGHT + 0.5  # in the right indent
        assert label[1] - max(w[2] for w in text) == pytest.approx(5, abs=0.5)
    text_end = max(w[2] for w in numbered[0][:-1])
    assert text_end == pytest.approx(RIGHT - 19.5, abs=0.5)  # the indent mirrored
    # the English item of the same list keeps its number at the left
    english = line_with(rows, "third")
    assert english[0][0] == "2." and english[0][1] < LEFT + 19.5
    assert line_with(rows, "step")[0][0] == "9."


def test_labels_stay_tagged_and_read_as_written(pdf):
    tagged = TaggedPdf(pdf)
    assert tagged.problems() == []
    assert tagged.reading_order_matches_drawing()
    items = tagged.elements("LI")
    assert len(items) == 7
    assert all([k.role for k in li.kids if not isinstance(k, tuple)] == ["Lbl", "LBody"]
               for li in items)
    # the mirrored numbers say what they are; the others are read as drawn
    actual = [str(e.obj["/ActualText"]) if "/ActualText" in e.obj else None
              for e in tagged.elements("Lbl")]
    assert actual == [None, None, "1.", None, "3.", None, None]


@needs_poppler
def test_rtl_notes_have_their_number_on_the_right():
    from .doc_fixture import print_document
    from briefgen.document.nodes import Note, Text
    doc = print_document()
    doc.notes = [Note(1, [Text(DARI)]), *doc.notes[1:]]
    data = render(doc)
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
    label = re.search(r'<word xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>\.1</word>', html)
    assert label and float(label.group(2)) <= RIGHT + 0.5 and float(label.group(1)) > RIGHT - 25


def test_the_docx_marks_each_rtl_item_bidi_and_numbered():
    data = render_docx(rtl_doc())
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    listed = [p for p in paragraphs if "<w:numPr>" in p]
    assert len(listed) == 7
    # LibreOffice (and Word) put a w:bidi paragraph's number and indent on the right
    assert ["<w:bidi/>" in p for p in listed] == [True, True, True, False, True, False, False]


@needs_soffice
def test_libreoffice_draws_the_docx_lists_as_the_pdf_does(tmp_path, pdf):
    (tmp_path / "brief.docx").write_bytes(render_docx(rtl_doc()))
    profile = (tmp_path / "profile").as_uri()  # a private profile: no clash with other soffice
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "brief.docx")],
                   check=True, capture_output=True, timeout=180)
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(tmp_path / "brief.pdf"),
                           "-"], capture_output=True, check=True).stdout.decode()
    for rows in (_rows(html), lines(pdf)):
        # the words right of the text's end (LibreOffice draws ".1" as two words, "." and "1")
        rightmost = ["".join(w[0] for w in row if w[1] > _text_end(row)) for row in rows
                     if len(row) > 2 and row[-1][2] > RIGHT - 20 and row[0][1] > LEFT + 50]
        assert rightmost == ["•", "•", ".1", ".3"]  # the labels of the four RTL items
        assert line_with(rows, "third")[0][0] == "2." and line_with(rows, "step")[0][0] == "9."


def _text_end(row) -> float:
    """Where a line's Arabic-script text ends at the right."""
    return max(w[2] for w in row if re.search("[\u0600-\u06ff]", w[0]))
