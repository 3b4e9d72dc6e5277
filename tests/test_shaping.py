"""Right-to-left and complex-script paragraphs in the PDF as a reader sees them: the text layer
in logical order with marks and ZWNJ, wrapped lines top to bottom from the right edge, and the
glyphs HarfBuzz picks for the same string and font (render/pdf/bidi_para.py)."""
from __future__ import annotations

import io
import re
import subprocess

import pypdf
import pytest
import uharfbuzz as hb
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont

from briefgen.document.nodes import Heading, Text
from briefgen.fonts.faces import amiri, dejavu_sans

from .doc_fixture import para
from .test_render_pdf import doc_with, render

HARAKAT = "كَتَبَ الطَّالِبُ"
PASHTO = "پښتو کښتیو ګران ځوانان"
DARI = "می‌خواهند همکاری‌های"
# one paragraph, three lines or more: the words numbered in logical order
WORDS = [
    "افغانستان", "پښتو", "کښتیو", "ګران", "ځوانان", "می‌خواهند", "همکاری‌های", "نزدیک‌تر",
    "با", "همسایگان", "داشته", "باشند"]
LONG = " ".join(WORDS * 4) + " پایان."


_ARABIC = re.compile("[\u0600-\u06ff]")


def pdftotext(data: bytes, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def test_text_layer_is_logical_with_harakat_zwnj_and_pashto_letters():
    data = render(doc_with(para(HARAKAT), para(PASHTO + " و " + DARI),
                           Heading(2, [Text("پښتو — اوږده متن")])))
    # Both readers rebuild the logical order from the glyphs, drawn in visual order, and read the
    # letters from the ToUnicode map; each has a weak spot: pypdf breaks a word at a ZWNJ when it
    # reorders, pdftotext moves raised marks to a line of their own
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert HARAKAT in text  # the marks, in order, after their letters
    assert PASHTO in text and "پښتو — اوږده متن" in text
    layer = pdftotext(data)
    assert PASHTO in layer and DARI in layer and "پښتو — اوږده متن" in layer  # ZWNJ kept


def word_boxes(data: bytes) -> list[tuple[str, float, float, float]]:
    """(word, xMin, xMax, yMin) of each word poppler finds on page 1, top of page is y 0.
    With -bbox poppler gives a word's letters as drawn, left to right: an Arabic-script word
    is turned back to logical order here."""
    html = pdftotext(data, "-bbox", "-f", "1", "-l", "1")
    return [(w[::-1] if _ARABIC.search(w) else w, float(x0), float(x1), float(y0))
            for x0, y0, x1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        html)]


def line_of(y: float, lines: list[float]) -> float:
    """The line (a yMin of ``lines``) a box with yMin ``y`` sits on: Amiri's and DejaVu's boxes
    on one line have yMins a few points apart, lines are 14 pt apart."""
    return min(lines, key=lambda line: abs(line - y))


def on_lines(boxes) -> list[tuple[str, float, float, float]]:
    """``boxes`` with each yMin replaced by its line's (the topmost yMin within 6 pt)."""
    lines: list[float] = []
    for y in sorted(b[3] for b in boxes):
        if not lines or y - lines[-1] > 6:
            lines.append(y)
    return [(w, x0, x1, round(line_of(y, lines))) for w, x0, x1, y in boxes]


def test_a_wrapped_rtl_paragraph_reads_top_to_bottom_from_the_right_edge():
    data = render(doc_with(para(LONG)))
    all_boxes = on_lines(word_boxes(data))
    words = [b for b in all_boxes if b[0] in set(WORDS) | {"پایان."}]
    lines = sorted({round(b[3]) for b in words})
    assert len(lines) >= 3
    # poppler's -bbox cuts words at a ZWNJ: take every box on the paragraph's lines
    boxes = [b for b in all_boxes if lines[0] <= round(b[3]) <= lines[-1]]
    top = [b for b in boxes if round(b[3]) == lines[0]]
    bottom = [b for b in boxes if round(b[3]) == lines[-1]]
    right_edge = max(b[2] for b in boxes)
    first = max(top, key=lambda b: b[2])
    assert first[0] == WORDS[0]  # the first word starts the top line, at the right edge
    last = min(bottom, key=lambda b: b[1])
    assert last[0] == "پایان."  # the last word, with its full stop, ends the bottom line
    for y in lines:  # right-aligned, the last line too
        assert max(b[2] for b in boxes if round(b[3]) == y) == pytest.approx(right_edge, abs=0.1)
    assert right_edge > 500  # at the frame's right edge (A4, 68 pt margins)
    assert pdftotext(data).count("می‌خواهند") == 4  # never broken at its ZWNJ


def test_an_rtl_clause_in_an_english_sentence_keeps_its_order_on_each_line():
    clause = "همکاری‌های نزدیک‌تر با همسایگان"
    data = render(doc_with(para("In 2025 the council said that " + clause + " was its aim for "
                                "the coming years, and it repeated this aim twice in one long "
                                "sentence that wraps.")))
    # poppler marks its embeddings and moves the space at the clause's end into it
    layer = re.sub("[\u202a-\u202e\\s]", "", pdftotext(data))
    assert "saidthat" + clause.replace(" ", "") + "wasitsaim" in layer
    boxes = word_boxes(data)
    said = [b for b in boxes if b[0] == "said"][0]
    was = [b for b in boxes if b[0] == "was"][0]
    arabic = [b for b in boxes if _ARABIC.search(b[0])]
    # left to right on the page: "said", the clause read from its right end, then "was"
    assert said[2] < min(b[1] for b in arabic) and max(b[2] for b in arabic) < was[1]
    assert max(arabic, key=lambda b: b[2])[0].startswith("همکاری")
    assert min(arabic, key=lambda b: b[1])[0] == "همسایگان"
    xs = {b[0]: b[1] for b in arabic}
    # each word whole, ZWNJ included: the clause is one Amiri run, its ZWNJs inside
    assert xs["همکاری‌های"] > xs["نزدیک‌تر"] > xs["با"] > xs["همسایگان"]


def subset_outlines(data: bytes, font_name: str = "DejaVuSans") -> list[tuple]:
    """The outline of each glyph page 1 draws in an embedded subset of ``font_name``, in the order
    drawn (the subset renumbers glyphs, so glyphs are compared by outline)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    fonts = page["/Resources"]["/Font"]
    from pypdf.generic import ContentStream
    out, font = [], None
    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"Tf":
            font = fonts[operands[0]].get_object()
        elif op == b"Tj" and str(font["/BaseFont"]).endswith("+" + font_name):
            ttf = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))
            glyphs = ttf.getGlyphSet()
            cmap = ttf["cmap"].getcmap(1, 0).cmap  # reportlab's subsets: one byte, one glyph
            for code in operands[0].original_bytes:
                pen = DecomposingRecordingPen(glyphs)
                glyphs[cmap[code]].draw(pen)
                out.append(tuple(pen.value))
    return out


def harfbuzz_outlines(word: str, path=None) -> list[tuple]:
    """The outlines of the glyphs uharfbuzz picks for ``word`` in DejaVu Sans (or the TTF
    ``path``), in visual order."""
    path = path or dejavu_sans().regular
    blob = hb.Blob.from_file_path(str(path))
    buf = hb.Buffer()
    buf.add_str(word)
    buf.guess_segment_properties()
    hb.shape(hb.Font(hb.Face(blob)), buf, {})
    original = TTFont(str(path))
    glyphs = original.getGlyphSet()
    order = original.getGlyphOrder()
    out = []
    for info in buf.glyph_infos:
        pen = DecomposingRecordingPen(glyphs)
        glyphs[order[info.codepoint]].draw(pen)
        out.append(tuple(pen.value))
    return out


def test_a_running_head_is_shaped_and_ordered_too():
    title = "پښتو کښتیو ګران"
    data = render(doc_with(para("Body text."), title=title))
    # the running head is the only Arabic on the page; in Amiri, as the body sets Pashto
    # (the heading face, DejaVu Sans, has some Arabic letters but not all the Pashto ones)
    drawn = subset_outlines(data, "Amiri-Regular")
    expected: list[tuple] = []
    for word in reversed(title.split()):  # the last word at the left; a space is an empty glyph
        expected += ([()] if expected else []) + harfbuzz_outlines(word, amiri().regular)
    assert any(drawn[i:i + len(expected)] == expected for i in range(len(drawn)))
    assert title in pdftotext(data, "-f", "1", "-l", "1")


def test_glyphs_are_harfbuzzs_for_the_same_string_and_font():
    for word in ("پښتو", "كَتَبَ", "لا"):
        # body text: Arabic script in Amiri, the built-in Arabic-script face
        drawn = subset_outlines(render(doc_with(para(word))), "Amiri-Regular")
        expected = harfbuzz_outlines(word, amiri().regular)
        assert any(drawn[i:i + len(expected)] == expected for i in range(len(drawn))), word



def test_a_right_to_left_heading_in_the_contents_is_shaped_with_its_page_number():
    from briefgen.document.nodes import Contents, PageBreak
    heading = "پښتو — اوږده متن"
    data = render(doc_with(Contents(), PageBreak(), Heading(2, [Text(heading)]), para("x")))
    contents = pdftotext(data, "-f", "1", "-l", "1")
    assert re.search(heading + r"[\u202a-\u202e\s.]*2\b", contents), contents


def test_a_long_rtl_paragraph_splits_across_pages_in_reading_order():
    letters = "ابپتثجچحخد"  # word n spelled with letters for its digits: digits would be
    words = ["ک" + "".join(letters[int(d)] for d in str(n)) for n in range(1, 2000)]  # reordered
    data = render(doc_with(para(" ".join(words) + ".")))
    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    seen = []
    for n in range(1, len(pages) + 1):
        layer = pdftotext(data, "-f", str(n), "-l", str(n))
        seen += ["".join(str(letters.index(c)) for c in m)
                 for m in re.findall(f"ک([{letters}]+)", layer)]
    assert seen == [str(n) for n in range(1, 2000)]  # each once, top to bottom, page by page


def test_numbers_and_latin_names_inside_an_rtl_paragraph_sit_where_a_reader_expects():
    data = render(doc_with(para("د 2025 کال Ashraf Ghani سره خبرې (دوه ځله) وشوې.")))
    boxes = on_lines(word_boxes(data))
    line = [b for b in boxes if b[0] == "د"][0][3]
    x = {b[0]: b[1] for b in boxes if b[3] == line}  # the footer has a 2025 too
    # right to left in reading order; inside the Latin name and the number, left to right
    assert x["د"] > x["2025"] > x["کال"] > x["Ghani"] > x["Ashraf"] > x["سره"] > x["خبرې"]
    assert x["(دوه"] > x["ځله)"] > x["وشوې."]  # brackets mirrored round their words


def test_pdf_docx_and_html_agree_on_a_paragraphs_direction():
    """The first strong letter decides (UAX #9 P2-P3) in all three formats: a paragraph that
    starts in Latin and goes on in Arabic reads left to right, left-aligned; one that starts
    in Arabic reads right to left, right-aligned (the DOCX counted letters before: a mostly
    Arabic paragraph starting with an English word was right to left there, not in the PDF)."""
    import datetime
    import zipfile
    from briefgen.document.resolve import resolve
    from briefgen.render.docx.render import render_docx
    from briefgen.render.html.render import render_html
    from briefgen.theme.model import default_theme
    # (no harakat here: poppler's word boxes split a word at its marks)
    ltr, rtl = "Neighbour. كتب الطالب الدرس في البيت", "كتب الطالب: Neighbour."
    data = render(doc_with(para(ltr), para(rtl)))
    words = word_boxes(data)
    first, second = sorted({y for w, _, _, y in words if w in ("Neighbour.", ".Neighbour")})
    ltr_words = {w: (x0, x1) for w, x0, x1, y in words if abs(y - first) < 6}
    rtl_words = {w: (x0, x1) for w, x0, x1, y in words if abs(y - second) < 6}
    assert ltr_words["Neighbour."][0] == min(x0 for x0, _ in ltr_words.values())  # at the left
    # the Arabic run inside reads right to left: its first word at its right end
    assert ltr_words["Neighbour."][1] < ltr_words["البيت"][0] < ltr_words["كتب"][0]
    assert rtl_words["كتب"][1] == max(x1 for _, x1 in rtl_words.values())  # at the right
    assert rtl_words["كتب"][1] > 500 and rtl_words[".Neighbour"][1] < rtl_words["كتب"][0]

    def doc():
        return resolve(doc_with(para(ltr), para(rtl)))
    created = datetime.datetime(2024, 10, 1)
    with zipfile.ZipFile(io.BytesIO(render_docx(doc(), default_theme(), created))) as z:
        body = z.read("word/document.xml").decode()
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", body, re.S)
    first = next(p for p in paragraphs if "Neighbour. " in p)
    second = next(p for p in paragraphs if "Neighbour." in p and p is not first)
    assert "<w:bidi/>" not in first and "<w:bidi/>" in second
    html = render_html(doc(), default_theme(), created).decode()
    assert re.search(r'<p>Neighbour\. ', html) and re.search(r'<p dir="rtl">', html)
