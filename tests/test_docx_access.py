"""The DOCX is accessible: what Word's accessibility checker checks, read back from the file.

Word's checker is not available offline, so its rules ("Rules for the Accessibility Checker",
Microsoft Support) are checked here on the package's XML: every picture has alt text or is
marked decorative, no picture floats (reading order), data tables have a header row and no
merged cells or blank rows/columns, no blank paragraphs are stacked for spacing, heading levels
are not skipped, the document has a title and a language. And what a reader is told: the
figures' descriptions are the alt text made from the data, every heading of the brief is a
heading-styled paragraph, tables carry a title and a description.

Offline checkers on PyPI were tried on the sample DOCX files and are not used: docx2daisy's
preparation check wants a style named "Heading 1" (a brief's title is the Title style, at
outline level 1, which is what screen readers and Word's navigation use) and finds no picture
without alt text; docx-plus's linter is about style consistency, and its heading rules
(heading-level-skip, empty-heading) report nothing on the samples.
"""
from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from briefgen.build import BuildOptions, build_brief, document_for
from briefgen.document import nodes as d
from briefgen.document.resolve import resolve
from briefgen.loading import load_workspace
from briefgen.render.docx.render import render_docx
from briefgen.templating.environment import TemplateRenderer
from briefgen.theme.model import Theme
from tests.doc_fixture import print_document

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
NS = {"w": W, "wp": WP, "a": A, "adec": ADEC}
SAMPLE_BRIEFS = sorted(p.stem for p in (ROOT / "content/briefs").glob("*.yaml"))


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _xml(source, name: str) -> etree._Element:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def pictures(source, part: str = "word/document.xml") -> list[tuple[str, str, str, bool]]:
    """(file name, description, title, decorative) of each picture, in document order."""
    out = []
    for pr in _xml(source, part).iter(f"{{{WP}}}docPr"):
        decorative = pr.xpath("a:extLst/a:ext/adec:decorative[@val='1']", namespaces=NS)
        name = pr.getparent().find(f".//{{{PIC}}}cNvPr")
        out.append((name.get("name", "") if name is not None else "", pr.get("descr", ""),
                    pr.get("title", ""), bool(decorative)))
    return out


def _text(el: etree._Element) -> str:
    return " ".join("".join(t.text or "" for t in el.iter(q("t"))).split())


def _style(p: etree._Element) -> str:
    style = p.find(f"{q('pPr')}/{q('pStyle')}")
    return style.get(q("val")) if style is not None else ""


def heading_levels(source) -> dict[str, int]:
    """Style id -> the outline level (1-9) its paragraphs have, as a screen reader and Word's
    navigation pane see them (``w:outlineLvl``, inherited through ``w:basedOn``)."""
    own, based = {}, {}
    for style in _xml(source, "word/styles.xml").iter(q("style")):
        sid = style.get(q("styleId"))
        level = style.find(f"{q('pPr')}/{q('outlineLvl')}")
        if level is not None:
            own[sid] = int(level.get(q("val")))
        parent = style.find(q("basedOn"))
        if parent is not None:
            based[sid] = parent.get(q("val"))
    levels = {}
    for sid in set(own) | set(based):
        at, seen = sid, set()
        while at not in own and at in based and at not in seen:
            seen.add(at)
            at = based[at]
        if own.get(at, 9) < 9:
            levels[sid] = own[at] + 1
    return levels


def checker_problems(source) -> list[str]:
    """What Word's accessibility checker would report for this DOCX (errors and warnings)."""
    problems = []
    body = _xml(source, "word/document.xml")
    for name, descr, _title, decorative in pictures(source):
        if not descr.strip() and not decorative:
            problems.append(f"missing alt text: picture {name}")
    if body.find(f".//{{{WP}}}anchor") is not None:
        problems.append("a picture is not in line with text (reading order)")
    for tbl in body.iter(q("tbl")):
        rows = tbl.findall(q("tr"))
        if tbl.find(f".//{q('gridSpan')}") is not None or tbl.find(f".//{q('vMerge')}") \
                is not None:
            problems.append("merged cells")
        cells = [r.findall(q("tc")) for r in rows]
        if len(cells[0]) == 1 and len(rows) == 1:
            continue  # a box: one cell, its rules and fill
        if rows[0].find(f"{q('trPr')}/{q('tblHeader')}") is None:
            problems.append(f"table without a header row: {_text(rows[0])[:40]}")
        if any(not any(_text(c) for c in row) for row in cells[1:]):
            problems.append("a blank table row")
        for j in range(len(cells[0])):
            if not any(_text(row[j]) for row in cells if j < len(row)):
                problems.append("a blank table column")
    previous = 0
    blank = 0
    levels = heading_levels(source)
    for p in body.iter(q("p")):
        if p.find(f"{q('pPr')}/{q('outlineLvl')}") is not None:
            problems.append(f"an outline level set on the paragraph, not by a heading style: "
                            f"{_text(p)[:40]}")
        level = levels.get(_style(p), 0)
        if level > previous + 1:
            problems.append(f"heading level skipped: {_text(p)!r} is level {level} after "
                            f"{previous}")
        previous = level or previous
        is_blank = not _text(p) and p.find(f".//{q('drawing')}") is None and \
            p.getparent().tag == q("body")
        blank = blank + 1 if is_blank else 0
        if blank == 2:
            problems.append("blank paragraphs stacked for spacing")
        if any("   " in (t.text or "") or "\t" in (t.text or "") for t in p.iter(q("t"))):
            problems.append(f"repeated blank characters: {_text(p)[:40]}")
    core = _xml(source, "docProps/core.xml")
    title = core.find("{http://purl.org/dc/elements/1.1/}title")
    if title is None or not (title.text or "").strip():
        problems.append("no document title")
    lang = _xml(source, "word/styles.xml").find(
        f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}/{q('lang')}")
    if lang is None or not lang.get(q("val")):
        problems.append("no document language")
    return problems


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every sample brief as DOCX, with its resolved document."""
    out = tmp_path_factory.mktemp("a11y")
    workspace = load_workspace(ROOT)
    renderer = TemplateRenderer(workspace.templates_dir)
    result = {}
    for brief_id in SAMPLE_BRIEFS:
        brief = workspace.corpus.briefs[brief_id]
        files = build_brief(workspace, brief, BuildOptions(formats=["docx"], watermark="DRAFT"),
                            out, renderer).files
        result[brief_id] = (files[0].path, document_for(workspace, brief, renderer))
    return result


@pytest.mark.parametrize("brief_id", SAMPLE_BRIEFS)
def test_every_sample_docx_passes_the_checkers_rules(built, brief_id):
    path, _doc = built[brief_id]
    assert checker_problems(path) == []


def _walk(blocks):
    for node in blocks:
        yield node
        if isinstance(node, (d.Callout, d.BlockQuote)):
            yield from _walk(node.children)
        elif isinstance(node, (d.BulletList, d.OrderedList)):
            for item in node.items:
                yield from _walk(item.children)


@pytest.mark.parametrize("brief_id", SAMPLE_BRIEFS)
def test_figures_are_described_by_their_data_and_headings_are_heading_styles(built, brief_id):
    path, doc = built[brief_id]
    blocks = list(_walk(([doc.cover] if doc.cover else []) + doc.children))
    figures = [n for n in blocks if isinstance(n, d.Figure)]
    described = [(descr, title) for name, descr, title, _ in pictures(path)
                 if name.startswith("figure")]
    assert described == [(f.alt, f"Figure {f.number}" + (f": {f.caption}" if f.caption else ""))
                         for f in figures]
    for descr, _ in described:  # the data in words, not the caption
        assert descr.startswith(("Timeline of ", "Relation map of ")), descr
    body = _xml(path, "word/document.xml")
    levels = heading_levels(path)
    assert levels["Title"] == levels["Heading1"] == 1 and levels["Heading3"] == 3
    styled = [_text(p) for p in body.iter(q("p")) if levels.get(_style(p))]
    assert styled == [" ".join(d.plain_text(h.children).split())
                      for h in blocks if isinstance(h, d.Heading)]


def test_tables_have_a_repeating_header_a_title_and_a_description(built):
    path, doc = built["afghanistan-central-asia"]
    tables = list(_xml(path, "word/document.xml").iter(q("tbl")))
    data = [t for t in tables if t.find(f"{q('tr')}/{q('trPr')}/{q('tblHeader')}") is not None]
    assert len(data) == sum(isinstance(n, d.Table) for n in _walk(doc.children)) >= 1
    for tbl in data:
        pr = tbl.find(q("tblPr"))
        description = pr.find(q("tblDescription")).get(q("val"))
        header = [_text(tc) for tc in tbl.find(q("tr")).findall(q("tc"))]
        assert description.endswith(f"and {len(header)} columns: {', '.join(header)}")
        assert description.startswith(f"Table of {len(tbl.findall(q('tr'))) - 1} row")
        assert pr.find(q("tblCaption")).get(q("val"))  # the heading the table is under
    boxes = {t.find(f"{q('tblPr')}/{q('tblCaption')}").get(q("val")) for t in tables
             if t not in data}
    assert boxes <= {"Bottom line", "Note", "Warning", "Key judgment"} and boxes


def test_language_and_title_are_the_documents(built):
    path, doc = built["afghanistan-central-asia"]
    lang = _xml(path, "word/styles.xml").find(
        f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}/{q('lang')}")
    assert lang.get(q("val")) == doc.info.language == "en"
    core = _xml(path, "docProps/core.xml")
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == doc.info.title
    assert core.findtext("{http://purl.org/dc/elements/1.1/}language") == "en"


def test_the_logo_is_decorative_and_an_image_without_alt_text_has_no_description(tmp_path):
    from PIL import Image
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), "navy").save(logo)
    doc = print_document()
    doc.children[3:3] = [d.Image(str(logo), "A navy band", 300, 100, line=40),
                         d.Image(str(logo), "", 300, 100, line=41)]
    data = render_docx(resolve(doc), Theme(logo=logo), datetime.datetime(2024, 10, 1))
    found = pictures(data)
    assert found[0] == ("logo.png", "", "", True)  # the cover's logo
    assert ("logo.png", "A navy band", "", False) in found
    assert ("logo.png", "", "", False) in found  # the build warns about it (test_alttext)
    assert checker_problems(data) == ["missing alt text: picture logo.png"]
    # the decorative mark is Office's own extension: read back as Word writes it
    pr = _xml(data, "word/document.xml").find(f".//{{{WP}}}docPr")
    ext = pr.find(f"{{{A}}}extLst/{{{A}}}ext")
    assert ext.get("uri") == "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


def _with_document_xml(data: bytes, edit) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            raw = src.read(item)
            dst.writestr(item, edit(raw.decode()).encode() if item.filename ==
                         "word/document.xml" else raw)
    return out.getvalue()


def test_the_checker_finds_what_word_would_report(tmp_path):
    """The rules above are not vacuous: a document that breaks them is reported."""
    from PIL import Image
    Image.new("RGB", (40, 20), "red").save(tmp_path / "red.png")
    cells = [d.TableCell([d.Text("Actor")]), d.TableCell([d.Text("Kind")])]
    doc = d.Document(d.DocumentInfo("A title"), [
        d.Heading(1, [d.Text("Top")], line=1),
        d.Heading(3, [d.Text("Too deep")], line=2),
        d.Table(cells, [[d.TableCell([d.Text("Taliban")]), d.TableCell([])],
                        [d.TableCell([]), d.TableCell([])]], line=3),
        d.Image(str(tmp_path / "red.png"), "", 40, 20, line=4),
    ])
    data = render_docx(resolve(doc), Theme(), datetime.datetime(2024, 10, 1))
    assert checker_problems(data) == [
        "missing alt text: picture red.png",
        "a blank table row",
        "heading level skipped: 'Too deep' is level 3 after 1"]
    broken = _with_document_xml(data, lambda xml: xml.replace("<w:tblHeader/>", "").replace(
        "<wp:inline", "<wp:anchor").replace("</wp:inline>", "</wp:anchor>"))
    found = checker_problems(broken)
    assert [p.split(":")[0] for p in found] == [
        "missing alt text", "a picture is not in line with text (reading order)",
        "table without a header row", "a blank table row", "heading level skipped"], found
