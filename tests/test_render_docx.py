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

from briefgen.document.nodes import (BlockQuote, BulletList, Callout, Contents, Document,
                                     DocumentInfo, Heading, Link, ListItem, Note, NoteRef,
                                     OrderedList, PageBreak, Paragraph, Table, TableCell, Text)
from briefgen.errors import BriefgenError
from briefgen.fonts.faces import FontFamily, noto_sans_sc
from briefgen.document.resolve import resolve
from briefgen.render.docx.render import render_docx
from briefgen.theme.model import Theme, default_theme
from tests.doc_fixture import para, print_document, sample_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
NS = {"w": W}
CREATED = datetime.datetime(2024, 10, 1, 9, 30, 0)
ROOT = Path(__file__).resolve().parents[1]


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def render(doc: Document | None = None, theme: Theme | None = None,
           created: datetime.datetime = CREATED) -> bytes:
    return render_docx(resolve(doc or sample_document()), theme or default_theme(), created)


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
    check_schema_order(sample, ["word/document.xml", "word/styles.xml", "word/header1.xml",
                                "word/footer1.xml", "word/numbering.xml"])


def check_schema_order(data: bytes, names: list[str]) -> None:
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
             "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"]
    tcpr = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap",
            "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark"]
    for name in names:
        root = part(data, name)
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
              "from briefgen.document.resolve import resolve\n"
              "from briefgen.render.docx.render import render_docx\n"
              "from briefgen.theme.model import default_theme\n"
              "from tests.doc_fixture import sample_document\n"
              f"data = render_docx(resolve(sample_document()), default_theme(), {CREATED!r})\n"
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


# --- the printed brief: cover, contents, running heads, watermark, notes, figures ----------------

RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
V = "urn:schemas-microsoft-com:vml"
COPY = (2, 3, "Head of CT")


@pytest.fixture(scope="module")
def printed() -> bytes:
    return render(print_document(copy=COPY, watermark="DRAFT"))


def rels_of(data: bytes, source: str) -> dict[str, etree._Element]:
    name = "/".join(source.split("/")[:-1] + ["_rels", source.split("/")[-1] + ".rels"])
    return {r.get("Id"): r for r in part(data, name)}


def section_parts(data: bytes) -> dict[str, str]:
    """(kind, type) of each header/footer reference -> part name, e.g. ("header", "first")."""
    sect = part(data, "word/document.xml").find("w:body/w:sectPr", NS)
    rels = rels_of(data, "word/document.xml")
    out = {}
    for ref in sect:
        kind = etree.QName(ref).localname.replace("Reference", "")
        if kind in ("header", "footer"):
            out[(kind, ref.get(q("type")))] = "word/" + rels[ref.get(R_ID)].get("Target")
    return out


def cover_paragraphs(data: bytes) -> list[etree._Element]:
    """Body paragraphs before the first one that starts a new page."""
    out = []
    for p in part(data, "word/document.xml").find("w:body", NS).iterchildren(q("p")):
        if p.find("w:pPr/w:pageBreakBefore", NS) is not None:
            return out
        out.append(p)
    raise AssertionError("no paragraph starts page 2")


def test_titleblock_becomes_a_cover_page(printed):
    cover = cover_paragraphs(printed)
    text = "\n".join(para_text(p) for p in cover)
    for piece in ("Desk & Co", "Afghanistan and Central Asian Security after 2021",
                  "Regional responses since 2021", "1 October 2024", "Prepared by A. Analyst",
                  "For Senior officials", "Copy 2 of 3", "Issued to: Head of CT"):
        assert piece in text, piece
    title = next(p for p in cover if "Afghanistan and" in para_text(p))
    assert style_of(title) == "Title"
    # the marking is printed by the cover's header and footer, not a third time in its body
    assert "TLP:AMBER" not in text
    parts = section_parts(printed)
    for name in (parts["header", "first"], parts["footer", "first"]):
        bands = [p for p in part(printed, name).iter(q("p")) if para_text(p) == "TLP:AMBER"]
        assert len(bands) == 1, name
        assert bands[0].find("w:pPr/w:shd", NS).get(q("fill")) == "000000"  # a black band
        assert bands[0].find("w:r/w:rPr/w:color", NS).get(q("val")) == "FFC000"
    # the cover's last paragraph is not kept with page 2's first
    assert cover[-1].find("w:pPr/w:keepNext", NS).get(q("val")) == "0"
    # page 2 starts with the contents
    nxt = cover[-1].getnext()
    assert para_text(nxt) == "Contents" and nxt.find("w:pPr/w:pageBreakBefore", NS) is not None


def test_cover_has_its_own_header_and_footer_with_the_marking(printed):
    sect = part(printed, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None
    parts = section_parts(printed)
    first_head, first_foot = part(printed, parts["header", "first"]), part(printed, parts[
        "footer", "first"])
    head, foot = part(printed, parts["header", "default"]), part(printed, parts["footer",
                                                                              "default"])
    for root in (first_head, first_foot, head, foot):
        assert "TLP:AMBER" in "".join(map(para_text, root.iter(q("p"))))
    # the cover: no running title, no page number; the copy line in its footer
    assert "Central Asian security" not in "".join(map(para_text, first_head.iter(q("p"))))
    assert instructions(first_foot) == []
    assert "Copy 2 of 3 \u2014 Head of CT" in "".join(map(para_text, first_foot.iter(q("p"))))
    # every later page: short title, date, Page N of M, copy line
    assert "Central Asian security" in "".join(map(para_text, head.iter(q("p"))))
    foot_text = "".join(map(para_text, foot.iter(q("p"))))
    assert "1 October 2024" in foot_text and "Copy 2 of 3 \u2014 Head of CT" in foot_text
    assert instructions(foot) == ["PAGE", "NUMPAGES"]


def test_without_a_titleblock_there_is_no_cover():
    doc = Document(DocumentInfo(title="t", marking="TLP:RED", copy=None),
                   [Heading(2, [Text("One")], "one"), para("text")])
    data = render(doc)
    sect = part(data, "word/document.xml").find("w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is None
    assert set(section_parts(data)) == {("header", "default"), ("footer", "default")}
    assert not part(data, "word/document.xml").findall(".//w:pageBreakBefore", NS)


def test_short_title_is_derived_from_a_long_title():
    doc = Document(DocumentInfo(title="A very long title " * 8), [para("x")])
    header = part(render(doc), section_parts(render(doc))["header", "default"])
    text = "".join(map(para_text, header.iter(q("p"))))
    assert text.endswith("\u2026") and len(text) <= 70


def test_contents_is_a_toc_field_whose_result_lists_every_heading(printed):
    body = part(printed, "word/document.xml").find("w:body", NS)
    paragraphs = list(body.iter(q("p")))
    begin = next(i for i, p in enumerate(paragraphs) if any(
        "TOC" in (t.text or "") for t in p.iter(q("instrText"))))
    instr = " ".join(t.text for t in paragraphs[begin].iter(q("instrText")))
    assert 'TOC \\o "2-3" \\h \\z \\u' in instr
    entries = []
    for p in paragraphs[begin:]:
        if style_of(p) not in ("TOC2", "TOC3"):
            break
        entries.append(p)
    assert entries[-1].findall(".//w:fldChar", NS)[-1].get(q("fldCharType")) == "end"
    # the headings the TOC must list: levels 2-3 after the Contents node
    doc = print_document(copy=COPY)
    after = doc.children[[type(b) for b in doc.children].index(Contents) + 1:]
    expected = [(h.level, "".join(t.text for t in h.children)) for h in after
                if isinstance(h, Heading) and h.level in (2, 3)]
    assert [(int(style_of(p)[3]), para_text(p.find("w:hyperlink", NS)).split("\t")[0])
            for p in entries] == expected
    bookmarks = {b.get(q("name")): b.getparent() for b in body.iter(q("bookmarkStart"))}
    for p in entries:
        link = p.find("w:hyperlink", NS)
        target = link.get(q("anchor"))
        heading = bookmarks[target]  # the bookmark exists, on the heading itself
        assert style_of(heading) in ("Heading2", "Heading3")
        assert para_text(heading) == para_text(link).split("\t")[0]
        pageref = [t.text for t in link.iter(q("instrText"))]
        assert pageref == [f" PAGEREF {target} \\h "]
        assert para_text(link).split("\t")[1].isdigit()  # a cached page number
    # no "update fields?" prompt when Word opens the file
    assert part(printed, "word/settings.xml").find("w:updateFields", NS) is None


def test_contents_without_headings_is_still_a_field():
    data = render(Document(DocumentInfo(title="t"), [Contents("In this brief"), para("x")]))
    p = paragraph_with(data, "No table of contents entries found.")
    assert [f.get(q("fldCharType")) for f in p.iter(q("fldChar"))] == ["begin", "separate",
                                                                       "end"]
    assert style_of(paragraph_with(data, "In this brief")) == "TOCHeading"


def test_watermark_is_a_text_shape_in_every_header(printed):
    parts = section_parts(printed)
    for kind in ("default", "first"):
        header = part(printed, parts["header", kind])
        shapes = list(header.iter(f"{{{V}}}shape"))
        assert len(shapes) == 1, kind
        shape = shapes[0]
        assert shape.get("id").startswith("PowerPlusWaterMarkObject")
        assert "rotation:315" in shape.get("style")
        assert shape.find(f"{{{V}}}textpath").get("string") == "DRAFT"
        assert shape.get("fillcolor").lower() not in ("black", "#000000")
    plain = render(print_document(copy=COPY))
    for name in section_parts(plain).values():
        assert not list(part(plain, name).iter(f"{{{V}}}shape"))


def test_first_citation_is_a_footnote_and_later_ones_refer_to_it(printed):
    rels = rels_of(printed, "word/document.xml")
    targets = [r.get("Target") for r in rels.values() if r.get("Type") == RT_FOOTNOTES]
    assert targets == ["footnotes.xml"]
    types = part(printed, "[Content_Types].xml")
    assert any(o.get("PartName") == "/word/footnotes.xml" and "footnotes+xml" in
               o.get("ContentType") for o in types)
    notes = part(printed, "word/footnotes.xml")
    footnotes = {f.get(q("id")): f for f in notes.findall("w:footnote", NS)}
    assert footnotes["-1"].get(q("type")) == "separator"
    assert footnotes["0"].get(q("type")) == "continuationSeparator"
    assert "Kim Jeong-ki, The Taliban\u2019s Return" in para_text(footnotes["1"])
    assert "Grade B2" in para_text(footnotes["1"])
    assert para_text(footnotes["2"]).strip().startswith("Elia Preto Martini")
    assert set(footnotes) == {"-1", "0", "1", "2"}  # one footnote per distinct source
    # the web link inside note 2 relates to the footnotes part
    link = footnotes["2"].find(".//w:hyperlink", NS)
    assert rels_of(printed, "word/footnotes.xml")[link.get(R_ID)].get("Target") == \
        "https://www.diplomaticourier.com"

    body = part(printed, "word/document.xml")
    refs = body.findall(".//w:footnoteReference", NS)
    assert [r.get(q("id")) for r in refs] == ["1", "2"]
    for ref in refs:  # each first reference sits in a bookmark the NOTEREFs point at
        start = ref.getparent().getprevious()
        assert start.tag == q("bookmarkStart")
        assert start.get(q("name")) == f"_Ref_note{ref.get(q('id'))}"
        assert ref.getparent().find("w:rPr/w:rStyle", NS).get(q("val")) == "FootnoteReference"
    noterefs = [i.text.split() for i in body.iter(q("instrText")) if "NOTEREF" in i.text]
    sections = 6
    assert noterefs.count(["NOTEREF", "_Ref_note1", "\\f", "\\h"]) == sections
    assert noterefs.count(["NOTEREF", "_Ref_note2", "\\f", "\\h"]) == 2 * sections - 1
    # the cached result of every NOTEREF is its note's number, superscript
    for instr in body.iter(q("instrText")):
        if "NOTEREF" in instr.text:
            result = instr.getparent().getnext().getnext()
            assert para_text(result) == instr.text.split()[1][-1]
            assert result.find("w:rPr/w:rStyle", NS).get(q("val")) == "FootnoteReference"
    settings = part(printed, "word/settings.xml")
    names = [etree.QName(c).localname for c in settings]
    assert names.index("footnotePr") < names.index("compat")
    styles = part(printed, "word/styles.xml")
    ref_style = styles.find("w:style[@w:styleId='FootnoteReference']", NS)
    assert ref_style.find("w:rPr/w:vertAlign", NS).get(q("val")) == "superscript"
    assert styles.find("w:style[@w:styleId='FootnoteText']", NS) is not None


def test_adjacent_citations_print_as_one_mark(printed):
    first, second = [p for p in body_paragraphs(printed)
                     if para_text(p).startswith("Some text citing")][:2]
    # first: NOTEREF 1, a separating comma, then footnote 2 (a footnoteReference, no text)
    assert "source1, and another.2" in para_text(first)
    assert "source1,2 and another.2" in para_text(second)  # NOTEREF, comma, NOTEREF
    comma = [r for r in second.iter(q("r")) if para_text(r) == ","][0]
    assert comma.find("w:rPr/w:rStyle", NS).get(q("val")) == "FootnoteReference"


def test_notes_list_prints_every_source_once(printed):
    listed = [para_text(p) for p in body_paragraphs(printed) if style_of(p) == "SourceList"]
    assert len(listed) == 2
    assert listed[0].startswith("1.\tKim Jeong-ki") and listed[1].startswith("2.\tElia Preto")


def test_out_of_order_note_numbers_keep_their_own_marks():
    doc = Document(DocumentInfo(title="t"), [para("a", NoteRef(3), " b", NoteRef(3))],
                   notes=[Note(3, [Text("Source three.")])])
    data = render(doc)
    ref = part(data, "word/document.xml").find(".//w:footnoteReference", NS)
    assert ref.get(q("customMarkFollows")) == "1" and para_text(ref.getparent()) == "3"


def test_citation_without_a_note_is_an_error():
    doc = Document(DocumentInfo(title="t"), [para("a", NoteRef(4), line=12)], notes=[])
    with pytest.raises(BriefgenError, match=r"\[4\].*line 12"):
        render(doc)


def test_figures_are_pictures_of_at_least_200_dpi_with_captions(printed):
    body = part(printed, "word/document.xml")
    rels = rels_of(printed, "word/document.xml")
    drawings = body.findall(".//w:drawing", NS)
    assert len(drawings) == 2
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    section = docx.Document(io.BytesIO(printed)).sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    captions = []
    for drawing in drawings:
        cx = int(drawing.find(f".//{wp}extent").get("cx"))
        assert abs(cx - text_width) < 12700  # the text width, within a point
        blip = drawing.find(f".//{a}blip")
        target = rels[blip.get(R_EMBED)].get("Target")
        with zipfile.ZipFile(io.BytesIO(printed)) as z:
            png = z.read("word/" + target)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        px_width = int.from_bytes(png[16:20], "big")
        assert px_width / (cx / 914400) >= 199.5  # effective resolution, dpi
        p = next(drawing.iterancestors(q("p")))
        styles = part(printed, "word/styles.xml")
        own = styles.find(f"w:style[@w:styleId='{style_of(p)}']", NS)
        assert own.find("w:pPr/w:keepNext", NS) is not None  # kept with its caption
        caption = p.getnext()
        assert style_of(caption) == "Caption"
        assert "SEQ Figure" in "".join(i.text for i in caption.iter(q("instrText")))
        captions.append(para_text(caption))
    assert captions == ["Figure 1: Timeline of developments in scope",
                        "Figure 2: Relations between actors"]


R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


def test_page_break_starts_the_next_block_on_a_new_page():
    doc = Document(DocumentInfo(title="t"), [
        para("one"), PageBreak(), para("two"), PageBreak(),
        Table([TableCell([Text("h")])], [[TableCell([Text("c")])]])])
    body = part(render(doc), "word/document.xml").find("w:body", NS)
    two = paragraph_with(render(doc), "two")
    assert two.find("w:pPr/w:pageBreakBefore", NS) is not None
    tbl = body.find("w:tbl", NS)
    assert tbl.getprevious().find("w:pPr/w:pageBreakBefore", NS) is not None


def test_arabic_script_runs_are_right_to_left():
    doc = Document(DocumentInfo(title="t"), [
        para("The movement calls itself الإمارة الإسلامية in statements."),
        para("جمهوری اسلامی ایران"),
        para("ښځې او ماشومان"),
    ])
    data = render(doc)
    mixed = paragraph_with(data, "The movement")
    runs = {para_text(r): r for r in mixed.iter(q("r"))}
    arabic = runs["الإمارة الإسلامية"].find("w:rPr", NS)
    assert arabic.find("w:rtl", NS) is not None
    assert arabic.find("w:rFonts", NS).get(q("cs")) == "Amiri"  # the face the PDF draws it in
    assert arabic.find("w:lang", NS).get(q("bidi")) == "ar-SA"
    assert runs["The movement calls itself "].find("w:rPr", NS) is None  # Latin stays LTR
    assert mixed.find("w:pPr/w:bidi", NS) is None  # mainly Latin: a left-to-right paragraph
    persian = paragraph_with(data, "جمهوری")
    assert persian.find("w:pPr/w:bidi", NS) is not None
    assert persian.find(".//w:lang", NS).get(q("bidi")) == "fa-IR"
    assert paragraph_with(data, "ښځې").find(".//w:lang", NS).get(q("bidi")) == "ps-AF"


def test_cjk_runs_use_a_fallback_font(tmp_path):
    # a theme fallback that has CJK glyphs wins over the built-in Noto Sans SC
    shutil.copy(noto_sans_sc().regular, tmp_path / "cjk.ttf")
    fallback = FontFamily("Noto Sans CJK SC", *(tmp_path / "cjk.ttf",) * 4)
    doc = Document(DocumentInfo(title="t"), [para("SCO: 上海合作组织.")])
    for theme, name in ((Theme(fallback_fonts=[fallback]), "Noto Sans CJK SC"),
                        (Theme(), "Noto Sans SC")):
        data = render(doc, theme=theme)
        run = next(r for r in paragraph_with(data, "SCO").iter(q("r")) if "上海" in para_text(r))
        fonts = run.find("w:rPr/w:rFonts", NS)
        assert fonts.get(q("eastAsia")) == name and fonts.get(q("hint")) == "eastAsia"


def test_metadata_carries_keywords_marking_and_language(printed):
    props = docx.Document(io.BytesIO(printed)).core_properties
    assert props.title == "Afghanistan and Central Asian Security after 2021"
    assert props.subject == "Regional responses since 2021"
    assert props.keywords == "Afghanistan, Central Asia, TLP:AMBER"
    assert props.category == "TLP:AMBER"
    assert props.language == "en"
    lang = part(printed, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(q("val")) == "en"


def test_printed_brief_is_reproducible(printed):
    assert render(print_document(copy=COPY, watermark="DRAFT")) == printed


def test_printed_parts_follow_schema_order(printed):
    with zipfile.ZipFile(io.BytesIO(printed)) as z:
        names = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
    check_schema_order(printed, names)


def test_logo_is_drawn_on_the_cover(tmp_path):
    logo = tmp_path / "logo.png"
    from PIL import Image
    Image.new("RGB", (300, 100), "navy").save(logo)
    data = render(print_document(), theme=Theme(logo=logo))
    cover = cover_paragraphs(data)
    assert any(p.find(".//w:drawing", NS) is not None for p in cover[:2])
    with pytest.raises(BriefgenError, match="missing.png"):
        render(print_document(), theme=Theme(logo=tmp_path / "missing.png"))


# --- reference document --------------------------------------------------------------------------

def make_reference(path: Path) -> Path:
    from docx.shared import Mm, Pt, RGBColor
    ref = docx.Document()
    heading = ref.styles["Heading 1"]
    heading.font.name = "Liberation Mono"
    heading.font.color.rgb = RGBColor(0xAA, 0x11, 0x22)
    heading.font.size = Pt(19)
    ref.add_paragraph("Body text of the reference document")
    section = ref.sections[0]
    section.page_width, section.page_height = Mm(200), Mm(280)
    section.left_margin = section.right_margin = Mm(30)
    section.header.paragraphs[0].text = "Header of the reference document"
    ref.save(path)
    return path


def test_reference_docx_styles_and_page_setup_win(tmp_path):
    theme = Theme(reference_docx=make_reference(tmp_path / "ref.docx"))
    doc = sample_document()
    doc.children.append(Heading(1, [Text("A level-one heading")], "l1"))
    data = render(doc, theme=theme)
    styles = part(data, "word/styles.xml")
    h1 = styles.find("w:style[@w:styleId='Heading1']", NS)
    assert h1.find("w:rPr/w:color", NS).get(q("val")) == "AA1122"
    assert h1.find("w:rPr/w:rFonts", NS).get(q("ascii")) == "Liberation Mono"
    assert h1.find("w:rPr/w:sz", NS).get(q("val")) == "38"
    # styles the reference lacks are made from the theme
    assert styles.find("w:style[@w:styleId='BriefMeta']", NS) is not None
    assert styles.find("w:style[@w:styleId='CodeBlock']", NS) is not None
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert round(section.page_width.mm) == 200 and round(section.left_margin.mm) == 30
    text = "".join(para_text(p) for p in body_paragraphs(data))
    assert "Body text of the reference" not in text and "Bottom line" in text
    for name in section_parts(data).values():
        head = "".join(map(para_text, part(data, name).iter(q("p"))))
        assert "Header of the reference" not in head
    header = part(data, section_parts(data)["header", "default"])
    assert "TLP:AMBER" in "".join(map(para_text, header.iter(q("p"))))  # the marking stays
    # a right tab stop at this text width, not the reference style's
    width = round((section.page_width - section.left_margin - section.right_margin) / 635)
    tabs = [t for t in header.iter(q("tab")) if t.get(q("val")) == "right"]
    assert tabs and all(int(t.get(q("pos"))) == width for t in tabs)


@pytest.mark.parametrize("content", [None, b"not a zip file", b"PK\x03\x04broken"])
def test_unusable_reference_docx_is_an_error_naming_it(tmp_path, content):
    path = tmp_path / "corporate-template.docx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BriefgenError, match="corporate-template.docx"):
        render(theme=Theme(reference_docx=path))


# --- what a viewer shows -------------------------------------------------------------------------

def soffice_to_pdf(tmp_path: Path, *docs: tuple[str, bytes]) -> dict[str, list[str]]:
    """Convert DOCX files with LibreOffice in one run; each file's pages as pdftotext text."""
    sources = []
    for name, data in docs:
        sources.append(tmp_path / f"{name}.docx")
        sources[-1].write_bytes(data)
    profile = (tmp_path / "profile").as_uri()  # a private profile: no clash with other soffice
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, sources)],
                   check=True, capture_output=True, timeout=180)
    out = {}
    for name, _ in docs:
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{name}.pdf"), "-"],
                              check=True, capture_output=True, text=True).stdout
        out[name] = [p for p in text.split("\f") if p.strip()]
    return out


needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None
    or shutil.which("pdftoppm") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext, pdftoppm) are not installed")


@needs_soffice
def test_libreoffice_prints_marking_and_page_numbers_on_every_page(tmp_path):
    pages = soffice_to_pdf(tmp_path, ("brief", render(sample_document(paragraphs=40))))["brief"]
    assert len(pages) >= 3
    assert pages[0].count("TLP:AMBER") >= 2 and "Page 1" not in pages[0]  # the cover
    for number, page in enumerate(pages[1:], start=2):
        assert page.count("TLP:AMBER") >= 2, f"page {number} lacks the marking twice"
        assert f"Page {number} of {len(pages)}" in page


@needs_soffice
def test_libreoffice_prints_the_brief_as_designed(tmp_path):
    import re
    printed = render(print_document(copy=COPY, watermark="DRAFT"))
    plain = render(print_document(copy=COPY))
    result = soffice_to_pdf(tmp_path, ("brief", printed), ("plain", plain))
    pages = result["brief"]
    assert len(pages) == len(result["plain"]) >= 4
    for number, page in enumerate(pages, start=1):
        assert page.count("TLP:AMBER") >= 2, f"page {number} lacks the marking"
        assert "Copy 2 of 3" in page and "Head of CT" in page, number
        if number > 1:
            assert f"Page {number} of {len(pages)}" in page, number
    assert "Page 1" not in pages[0]
    assert pages[0].count("TLP:AMBER") == 2  # the cover's header and footer bands, no third
    # the contents: every entry, with the page its heading is really on
    doc = print_document()
    headings = [b for b in doc.children if isinstance(b, Heading) and b.level in (2, 3)]
    toc_page = next(i for i, p in enumerate(pages) if "Contents" in p)
    for heading in headings:
        title = "".join(t.text for t in heading.children)
        entry = re.search(re.escape(title) + r"\.{3,}\s*(\d+)", pages[toc_page])
        assert entry, f"no contents entry for {title!r}"
        actual = [i + 1 for i, p in enumerate(pages) if
                  re.search(r"(?m)^\s*" + re.escape(title) + r"\s*$", p)]
        assert actual and int(entry.group(1)) == actual[0], (title, entry.group(1), actual)
    # footnote marks in the text and numbered notes at the page foot
    first = next(i for i, p in enumerate(pages) if "Kim Jeong-ki" in p)
    assert re.search(r"(?m)^\s*1\s*\n\s*2\s*\n", pages[first]) or \
        re.search(r"1\s+Kim Jeong-ki", pages[first])
    assert "source1,2 and another.2" in pages[first]
    # the watermark: far more light grey on every page than without it
    for name in ("brief", "plain"):
        subprocess.run(["pdftoppm", "-r", "20", "-gray", str(tmp_path / f"{name}.pdf"),
                        str(tmp_path / name)], check=True, timeout=60)
    for number in range(1, len(pages) + 1):
        suffix = f"-{number}.pgm" if len(pages) < 10 else f"-{number:02d}.pgm"
        grey = [light_grey_pixels(tmp_path / f"{name}{suffix}") for name in ("brief", "plain")]
        assert grey[0] > grey[1] + 300, f"page {number}: no watermark ({grey})"


def light_grey_pixels(path: Path) -> int:
    data = path.read_bytes()
    parts = data.split(maxsplit=4)  # P5 width height maxval pixels
    pixels = parts[4]
    return sum(1 for v in pixels if 180 <= v <= 245)


# --- table columns -------------------------------------------------------------------------------

def actor_table_document() -> Document:
    from tests.doc_fixture import cell
    summary = ("A landlocked state on the Afghan border whose security services cooperate with "
               "their neighbours through the SCO and the CSTO, with long summaries like this. ")
    role = "Member of the SCO, the CSTO and the CIS; partner of the EU in border management"
    rows = [[cell(name), cell("state"), cell(role), cell(summary), cell(summary * 2)]
            for name in ("Tajikistan", "Turkmenistan", "Kyrgyzstan", "Uzbekistan")]
    doc = sample_document()
    doc.children = [Table([cell("Actor"), cell("Kind"), cell("Role"), cell("Relations"),
                           cell("Summary")], rows, line=1)]
    return doc


def test_a_table_column_is_as_wide_as_its_longest_word():
    """A long third column used to squeeze the first to a fixed share that broke "Tajikista/n"."""
    from briefgen.fonts.ttf import face
    data = render(actor_table_document())
    word = docx.Document(io.BytesIO(data))
    table = word.tables[0]
    widths = [int(g.get(q("w"))) for g in table._tbl.findall("w:tblGrid/w:gridCol", NS)]
    theme = default_theme()
    serif = face(str(theme.body_font.regular))
    size = theme.small_size + 0.5
    for row in table.rows[1:]:
        for cell, width in zip(row.cells, widths):
            for text in cell.text.split():
                need = serif.width_1000(text) * size / 1000 * 20 + 2 * 90  # + cell margins
                assert need <= width, (text, need, width)
    assert widths[4] > widths[0] + widths[1]  # the summaries still get most of the room


@needs_soffice
def test_libreoffice_breaks_no_name_in_a_table(tmp_path):
    pages = soffice_to_pdf(tmp_path, ("table", render(actor_table_document())))["table"]
    words = " ".join(pages).split()
    for name in ("Tajikistan", "Turkmenistan", "Kyrgyzstan", "Uzbekistan"):
        assert name in words, name


# --- the one-pager -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def one_pager(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from briefgen.cli import main
    from tests.conftest import REPO
    out = tmp_path_factory.mktemp("one-pager")
    result = CliRunner().invoke(main, ["build", "one-pager-2024", "-w", str(REPO), "-o",
                                       str(out), "-f", "docx"])
    assert result.exit_code == 0, result.output
    return out / "one-pager-2024.docx"


def test_a_page_limited_brief_prints_each_source_once(one_pager):
    """A brief that must fit its pages prints its notes in the list only, as the PDF does:
    Word footnotes repeated every source at the page foot and ran the one-pager onto page 2."""
    data = one_pager.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "word/footnotes.xml" not in z.namelist()
    body = part(data, "word/document.xml")
    assert body.find(".//w:footnoteReference", NS) is None
    text = " ".join(para_text(p) for p in body.iter(q("p")))
    assert text.count("Elia Preto Martini") == 1 and text.count("Hamza Boltaev") == 1
    # each mark links to its entry in the list
    marks = {link.get(q("anchor")) for link in body.iter(q("hyperlink"))
             if link.get(q("anchor"), "").startswith("_Note")}
    entries = {b.get(q("name")) for b in body.iter(q("bookmarkStart"))}
    assert marks and marks <= entries and len(marks) == 4


@needs_soffice
def test_libreoffice_prints_the_one_pager_on_one_page(one_pager, tmp_path):
    pages = soffice_to_pdf(tmp_path, ("one", one_pager.read_bytes()))["one"]
    assert len(pages) == 1
    assert "Sources" in pages[0] and "Page 1 of 1" in pages[0]
