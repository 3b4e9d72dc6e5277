"""DOCX renderer: read the package back (python-docx and raw WordprocessingML) and check it."""
from __future__ import annotations

import datetime
import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefgen.document import (BlockQuote, BulletList, Callout, Document, DocumentInfo, Heading,
                               Link, ListItem, OrderedList, Paragraph, Table, TableCell, Text)
from briefgen.errors import BriefgenError
from briefgen.render.docx import render_docx
from briefgen.theme import Theme, default_theme
from tests.doc_fixture import para, sample_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
NS = {"w": W}
CREATED = datetime.datetime(2024, 10, 1, 9, 30, 0)
ROOT = Path(__file__).resolve().parents[1]


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def render(doc: Document | None = None, theme: Theme | None = None,
           created: datetime.datetime = CREATED) -> bytes:
    return render_docx(doc or sample_document(), theme or default_theme(), created)


@pytest.fixture(scope="module")
def sample() -> bytes:
    return render()


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def para_text(p: etree._Element) -> str:
    """What a reader sees in one paragraph (runs inside hyperlinks included, field codes not)."""
    out = []
    for el in p.iter(q("t"), q("tab"), q("br")):
        out.append(el.text or "" if el.tag == q("t") else "\t" if el.tag == q("tab") else "\n")
    return "".join(out)


def body_paragraphs(data: bytes) -> list[etree._Element]:
    """Every w:p of the body in reading order, table cells included."""
    return list(part(data, "word/document.xml").iter(q("p")))


def style_of(p: etree._Element) -> str | None:
    s = p.find("w:pPr/w:pStyle", NS)
    return None if s is None else s.get(q("val"))


def paragraph_with(data: bytes, text: str) -> etree._Element:
    found = [p for p in body_paragraphs(data) if text in para_text(p)]
    assert found, f"no paragraph contains {text!r}"
    return found[0]


# --- text ----------------------------------------------------------------------------------------

def test_all_visible_text_present_in_order(sample):
    text = "\n".join(para_text(p) for p in body_paragraphs(sample))
    expected = [
        "Afghanistan & Central Asia <b>security</b>",
        "Regional responses since 2021",
        "Issued: 1 October 2024\nAudience: Policy staff",   # LineBreak is a real break
        "Bottom line: the Taliban cannot contain ISKP & its allies.",
        "Key judgments", "Very likely (80–95%) · moderate confidence",
        "ISKP will attempt attacks in Central Asia.",
        "Developments", "15 August 2021 — Taliban take Kabul",
        "Plain, italic, bold, both, struck, code(), a link, "
        "raw <font color='red'>html</font> & <b>tags</b> stay literal.",
        "Организация Договора о коллективной безопасности (ОДКБ)", "Ελληνικά",
        "Tоҷикистон, Oʻzbekiston, Łódź.", "x" * 400,
        "first bullet", "second bullet", "nested bullet", "first step", "second step",
        "restarts at three", "four",
        "Actor", "Kind", "Since", "Actor 0 & <x>", "state", "2000", "Actor 2 & <x>", "2002",
        "A quoted statement.", "A note callout.", "A warning callout.",
        "line one\n  line two <tag> & more", "Filler paragraph 0.",
    ]
    pos = 0
    for piece in expected:
        found = text.find(piece, pos)
        assert found >= 0, f"{piece!r} missing or out of order"
        pos = found + len(piece)


def test_markup_in_text_is_escaped_not_interpreted(sample):
    with zipfile.ZipFile(io.BytesIO(sample)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "&lt;font color='red'&gt;html&lt;/font&gt;" in xml
    assert "&lt;b&gt;tags&lt;/b&gt;" in xml
    assert "<b>" not in xml and "<font" not in xml
    assert "Организация" in xml  # stored as UTF-8 text


def test_inline_formatting_runs(sample):
    p = paragraph_with(sample, "Plain, italic")
    runs = {para_text(r): r for r in p.iter(q("r"))}
    assert runs["italic"].find("w:rPr/w:i", NS) is not None
    assert runs["bold"].find("w:rPr/w:b", NS) is not None
    both = runs["both"].find("w:rPr", NS)
    assert both.find("w:b", NS) is not None and both.find("w:i", NS) is not None
    assert runs["struck"].find("w:rPr/w:strike", NS) is not None
    assert runs["code()"].find("w:rPr/w:rStyle", NS).get(q("val")) == "InlineCode"
    styles = docx.Document(io.BytesIO(render())).styles
    assert styles["Inline Code"].font.name == "DejaVu Sans Mono"


def test_code_block_keeps_line_breaks_and_spaces(sample):
    p = paragraph_with(sample, "line one")
    assert style_of(p) == "CodeBlock"
    assert p.find(".//w:br", NS) is not None
    spaced = [t for t in p.iter(q("t")) if t.text.startswith("  line two")]
    assert spaced and spaced[0].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


# --- styles and structure ------------------------------------------------------------------------

def test_headings_use_builtin_heading_styles(sample):
    word = docx.Document(io.BytesIO(sample))
    by_text = {p.text: p.style.name for p in word.paragraphs}
    assert by_text["Key judgments"] == "Heading 2"
    assert by_text["Developments"] == "Heading 2"
    assert by_text["15 August 2021 — Taliban take Kabul"] == "Heading 3"
    assert by_text["Afghanistan & Central Asia <b>security</b>"] == "Title"
    assert by_text["Regional responses since 2021"] == "Subtitle"
    styles = word.styles
    theme = default_theme()
    for level in range(1, 7):
        style = styles[f"Heading {level}"]
        assert style.font.size.pt == theme.heading_sizes[level - 1]
        assert style.font.name == "DejaVu Sans"
        assert style.paragraph_format.keep_with_next is True
        assert str(style.font.color.rgb) == theme.heading_colour[1:].upper()
        assert style.element.find("w:pPr/w:outlineLvl", NS).get(q("val")) == str(level - 1)
    # the title stays in the navigation pane / PDF outline
    assert styles["Title"].element.find("w:pPr/w:outlineLvl", NS).get(q("val")) == "0"


def test_fonts_cover_every_script_slot(sample):
    styles = part(sample, "word/styles.xml")
    for style_id, face in (("Normal", "DejaVu Serif"), ("Heading1", "DejaVu Sans"),
                           ("InlineCode", "DejaVu Sans Mono")):
        fonts = styles.find(f"w:style[@w:styleId='{style_id}']/w:rPr/w:rFonts", NS)
        assert {fonts.get(q(a)) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {face}
        assert fonts.get(q("asciiTheme")) is None  # a theme font would override the face
    normal = docx.Document(io.BytesIO(sample)).styles["Normal"]
    assert normal.font.size.pt == default_theme().body_size


def test_titleblock_ends_with_a_rule(sample):
    meta = paragraph_with(sample, "Issued:")
    assert style_of(meta) == "BriefMeta"
    assert meta.find("w:pPr/w:pBdr/w:bottom", NS) is not None


def test_lists_are_real_word_lists(sample):
    numbering = part(sample, "word/numbering.xml")
    nums = {n.get(q("numId")): n for n in numbering.findall("w:num", NS)}
    abstract = {a.get(q("abstractNumId")): a for a in numbering.findall("w:abstractNum", NS)}

    def numpr(text):
        p = paragraph_with(sample, text)
        assert style_of(p) == "ListParagraph"
        n = p.find("w:pPr/w:numPr", NS)
        assert n is not None, f"{text!r} is not a list paragraph"
        return n.find("w:numId", NS).get(q("val")), n.find("w:ilvl", NS).get(q("val"))

    def level_format(num_id, ilvl):
        abs_id = nums[num_id].find("w:abstractNumId", NS).get(q("val"))
        lvl = abstract[abs_id].find(f"w:lvl[@w:ilvl='{ilvl}']", NS)
        return lvl.find("w:numFmt", NS).get(q("val"))

    def start_override(num_id):
        override = nums[num_id].find("w:lvlOverride/w:startOverride", NS)
        return None if override is None else int(override.get(q("val")))

    first, second, nested = numpr("first bullet"), numpr("second bullet"), numpr("nested bullet")
    assert first == (first[0], "0") and second == first
    assert nested == (first[0], "1")
    assert level_format(*first) == "bullet" and level_format(*nested) == "bullet"

    step1, step2 = numpr("first step"), numpr("second step")
    three, four = numpr("restarts at three"), numpr("four")
    assert step1 == step2 and three == four
    assert step1[0] != three[0], "each ordered list needs its own w:num"
    assert level_format(*step1) == level_format(*three) == "decimal"
    assert start_override(step1[0]) == 1
    assert start_override(three[0]) == 3  # the second list starts at 3, not 1 or 5


def test_table_is_a_word_table_with_repeating_header(sample):
    word = docx.Document(io.BytesIO(sample))
    data = [t for t in word.tables if len(t.columns) == 3]
    assert len(data) == 1
    table = data[0]
    assert len(table.rows) == 4
    assert [c.text for c in table.rows[0].cells] == ["Actor", "Kind", "Since"]
    assert [c.text for c in table.rows[1].cells] == ["Actor 0 & <x>", "state", "2000"]
    rows = table._tbl.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    theme = default_theme()
    head_fill = rows[0].find("w:tc/w:tcPr/w:shd", NS).get(q("fill"))
    assert head_fill == theme.table_header_fill[1:].upper()
    assert style_of(rows[0].find(".//w:p", NS)) == "TableHeading"
    heading_style = word.styles["Table Heading"]
    assert heading_style.font.bold and str(heading_style.font.color.rgb) == "FFFFFF"
    stripes = [r.find("w:tc/w:tcPr/w:shd", NS) for r in rows[1:]]
    assert stripes[0] is None and stripes[1].get(q("fill")) == theme.table_stripe_fill[1:]
    since = rows[1].findall("w:tc", NS)[2].find("w:p/w:pPr/w:jc", NS)
    assert since.get(q("val")) == "right"
    assert table._tbl.find("w:tblPr/w:tblBorders/w:insideH", NS) is not None
    widths = [int(g.get(q("w"))) for g in table._tbl.findall("w:tblGrid/w:gridCol", NS)]
    page = word.sections[0]
    assert sum(widths) == round((page.page_width - page.left_margin - page.right_margin) / 635)


def test_callouts_are_shaded_boxes(sample):
    theme = default_theme()
    fills = {}
    for text in ("Bottom line", "A note callout.", "A warning callout."):
        tc = next(a for a in paragraph_with(sample, text).iterancestors(q("tc")))
        fills[text] = tc.find("w:tcPr/w:shd", NS).get(q("fill"))
        tbl = next(tc.iterancestors(q("tbl")))
        assert tbl.find("w:tblPr/w:tblBorders/w:left", NS).get(q("val")) == "single"
    assert fills["Bottom line"] == fills["A note callout."] == theme.callout_fill[1:].upper()
    assert fills["A warning callout."] not in (fills["A note callout."], "FFFFFF")
    quote = paragraph_with(sample, "A quoted statement.")
    assert quote.find("w:pPr/w:pBdr/w:left", NS) is not None
    assert int(quote.find("w:pPr/w:ind", NS).get(q("left"))) > 0


def test_property_children_follow_schema_order(sample):
    """Word (unlike LibreOffice) refuses files whose pPr/rPr children are out of order."""
    ppr = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
           "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
           "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN",
           "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
           "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
           "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]
    rpr = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
           "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish",
           "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight",
           "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
           "eastAsianLayout", "specVanish", "oMath"]
    tblpr = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
             "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
             "tblLayout", "tblCellMar", "tblLook"]
    tcpr = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
            "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"]
    for name in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/footer1.xml",
                 "word/numbering.xml"):
        root = part(sample, name)
        for tag, order in (("pPr", ppr), ("rPr", rpr), ("tblPr", tblpr), ("tcPr", tcpr)):
            for el in root.iter(q(tag)):
                names = [etree.QName(c).localname for c in el]
                assert all(n in order for n in names), (name, tag, names)
                ranks = [order.index(n) for n in names]
                assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks), (name, tag, names)


# --- links ---------------------------------------------------------------------------------------

def test_links_only_for_web_and_mail_schemes():
    doc = Document(DocumentInfo(title="Links"), [
        Heading(2, [Text("Target")], "target-1"),
        para("a ", Link("https://example.org/a?b=1&c=2", [Text("https")]),
             " b ", Link("http://example.com", [Text("http")]),
             " c ", Link("mailto:desk@example.org", [Text("mail")]),
             " d ", Link("javascript:alert(1)", [Text("script")]),
             " e ", Link("JavaScript:alert(2)", [Text("script2")]),
             " f ", Link("file:///etc/passwd", [Text("file")]),
             " g ", Link("relative/page.html", [Text("relative")]),
             " h ", Link("#target-1", [Text("internal")]),
             " i ", Link("#missing", [Text("dangling")])),
    ])
    data = render(doc)
    body = part(data, "word/document.xml")
    rels = part(data, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): (r.get("Target"), r.get("TargetMode")) for r in rels}
    links = {para_text(h): h for h in body.iter(q("hyperlink"))}
    assert set(links) == {"https", "http", "mail", "internal"}
    assert targets[links["https"].get(R_ID)] == ("https://example.org/a?b=1&c=2", "External")
    assert targets[links["http"].get(R_ID)] == ("http://example.com", "External")
    assert targets[links["mail"].get(R_ID)] == ("mailto:desk@example.org", "External")
    assert not any("script" in (t or "") or "passwd" in (t or "") for t, _ in targets.values())
    bookmark = body.find(".//w:bookmarkStart", NS).get(q("name"))
    assert links["internal"].get(q("anchor")) == bookmark
    text = para_text(body.findall(".//w:p", NS)[1])
    assert "d script e script2 f file g relative h internal i dangling" in text
    for h in links.values():
        assert all(r.find("w:rPr/w:rStyle", NS).get(q("val")) == "Hyperlink"
                   for r in h.iter(q("r")))


# --- running heads -------------------------------------------------------------------------------

def head_and_foot(data: bytes) -> tuple[etree._Element, etree._Element]:
    word = docx.Document(io.BytesIO(data))
    section = word.sections[0]
    assert not section.header.is_linked_to_previous
    return section.header.part.element, section.footer.part.element


def instructions(root: etree._Element) -> list[str]:
    return [i.text.strip() for i in root.iter(q("instrText"))]


def test_header_and_footer_carry_tlp_marking_and_page_fields(sample):
    header, footer = head_and_foot(sample)
    theme = default_theme()
    for root in (header, footer):
        labels = [r for r in root.iter(q("r")) if "TLP:AMBER" in para_text(r)]
        assert len(labels) == 1
        rpr = labels[0].find("w:rPr", NS)
        assert rpr.find("w:b", NS) is not None
        assert rpr.find("w:color", NS).get(q("val")) == "FFC000"
        assert rpr.find("w:shd", NS).get(q("fill")) == "000000"
        assert int(rpr.find("w:sz", NS).get(q("val"))) >= theme.marking_size * 2
        # right-aligned: the label follows a tab to the right tab stop
        previous = labels[0].getprevious()
        assert previous.find("w:tab", NS) is not None
    assert "Afghanistan & Central Asia <b>security</b>" in "".join(map(para_text, header))
    assert instructions(footer) == ["PAGE", "NUMPAGES"]
    footer_text = "".join(map(para_text, footer))
    assert "1 October 2024" in footer_text and "Page 1 of 1" in footer_text  # cached results
    styles = part(sample, "word/styles.xml")
    right = styles.find("w:style[@w:styleId='Footer']/w:pPr/w:tabs/w:tab[@w:val='right']", NS)
    assert right is not None


def test_free_text_marking_is_a_centred_banner():
    header, footer = head_and_foot(render(sample_document(marking="OFFICIAL-SENSITIVE")))
    for root in (header, footer):
        banner = [p for p in root.iter(q("p")) if para_text(p) == "OFFICIAL-SENSITIVE"]
        assert len(banner) == 1
        assert banner[0].find("w:pPr/w:jc", NS).get(q("val")) == "center"
        rpr = banner[0].find("w:r/w:rPr", NS)
        assert rpr.find("w:b", NS) is not None and rpr.find("w:shd", NS) is None
    assert instructions(footer) == ["PAGE", "NUMPAGES"]


def test_no_marking_no_banner():
    header, footer = head_and_foot(render(sample_document(marking="")))
    assert "TLP" not in "".join(map(para_text, header)) + "".join(map(para_text, footer))
    assert instructions(footer) == ["PAGE", "NUMPAGES"]


# --- page and package ----------------------------------------------------------------------------

@pytest.mark.parametrize("paper, size", [("A4", (11906, 16838)), ("letter", (12240, 15840))])
def test_paper_size_and_margins(paper, size):
    theme = default_theme(paper)
    section = docx.Document(io.BytesIO(render(theme=theme))).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == size
    assert section.left_margin.pt == theme.margin_left
    assert section.top_margin.pt == theme.margin_top
    assert section.bottom_margin.pt == theme.margin_bottom


def test_same_input_same_bytes(sample):
    assert render() == sample
    assert render(created=CREATED + datetime.timedelta(days=1)) != sample


def test_same_bytes_in_another_process(sample):
    script = ("import datetime, hashlib, sys\n"
              "from briefgen.render.docx import render_docx\n"
              "from briefgen.theme import default_theme\n"
              "from tests.doc_fixture import sample_document\n"
              f"data = render_docx(sample_document(), default_theme(), {CREATED!r})\n"
              "sys.stdout.write(hashlib.sha256(data).hexdigest())\n")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # a different set/dict hash order
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out == hashlib.sha256(sample).hexdigest()


def test_core_properties_and_zip_entries_are_stamped_with_created(sample):
    props = docx.Document(io.BytesIO(sample)).core_properties
    utc = CREATED.replace(tzinfo=datetime.timezone.utc)  # naive `created` means UTC
    assert props.created == props.modified == props.last_printed == utc
    assert props.revision == 1
    assert props.title == "Afghanistan & Central Asia <b>security</b>"
    assert props.author == "A. Analyst, Б. Аналитик"
    with zipfile.ZipFile(io.BytesIO(sample)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2024, 10, 1, 9, 30, 0)}
    names = [i.filename for i in infos]
    assert "docProps/thumbnail.jpeg" not in names  # python-docx's template picture
    assert "word/stylesWithEffects.xml" not in names


def test_aware_created_is_stored_as_utc():
    tz = datetime.timezone(datetime.timedelta(hours=5))
    local = datetime.datetime(2024, 10, 1, 14, 30, 0, 123456, tzinfo=tz)
    props = docx.Document(io.BytesIO(render(created=local))).core_properties
    assert props.created == CREATED.replace(tzinfo=datetime.timezone.utc)


# --- errors --------------------------------------------------------------------------------------

@dataclass
class Figure:  # a block type this renderer does not know
    caption: str
    line: int = 7


@dataclass
class Footnote:  # an inline type this renderer does not know
    text: str


@pytest.mark.parametrize("block, message", [
    (Figure("map"), "Figure"),
    (Paragraph([Footnote("1")], line=9), "Footnote"),
    (Callout("sidebar", [para("x")], line=4), "sidebar"),
    (Heading(7, [Text("too deep")], line=5), "heading level"),
    (BulletList([Paragraph([Text("not an item")])], line=3), "list items"),
    (Table([TableCell([Text("a")])], [[TableCell([Text("b")]), TableCell([Text("c")])]], line=6),
     "cells"),
    (Paragraph([Text("bell \x07 character")], line=8), "U+0007"),
])
def test_problems_raise_briefgen_error(block, message):
    doc = Document(DocumentInfo(title="t"), [para("fine"), block])
    with pytest.raises(BriefgenError) as err:
        render(doc)
    assert message in str(err.value)
    if block.line:
        assert f"line {block.line}" in str(err.value)


def test_unknown_node_nested_in_a_container_raises():
    doc = Document(DocumentInfo(title="t"), [BlockQuote([OrderedList([ListItem([Figure("x")])])])])
    with pytest.raises(BriefgenError, match="Figure"):
        render(doc)


@pytest.mark.parametrize("change", [{"paper": "A5"}, {"heading_colour": "navy"},
                                    {"margin_left": 500.0}, {"body_size": 0}])
def test_bad_theme_values_raise_briefgen_error(change):
    with pytest.raises(BriefgenError, match="theme"):
        render(theme=Theme(**change))


# --- performance ---------------------------------------------------------------------------------

def test_large_document_renders_quickly():
    doc = sample_document(paragraphs=600, rows=2000)
    start = time.perf_counter()
    data = render(doc)
    elapsed = time.perf_counter() - start
    assert elapsed < 3.0, f"600 paragraphs + 2,000 table rows took {elapsed:.2f} s"
    rows = part(data, "word/document.xml").findall(".//w:tbl/w:tr", NS)
    assert len(rows) > 2000


# --- what a viewer shows -------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and poppler (pdftotext) are not installed")
def test_libreoffice_prints_marking_and_page_numbers_on_every_page(tmp_path):
    source = tmp_path / "brief.docx"
    source.write_bytes(render(sample_document(paragraphs=40)))
    profile = (tmp_path / "profile").as_uri()  # a private profile: no clash with other soffice
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "brief.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.count("TLP:AMBER") >= 2, f"page {number} lacks the marking twice"
        assert f"Page {number} of {len(pages)}" in page
