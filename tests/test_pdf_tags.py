"""Tagged PDF (issue 14): the structure tree read back, the marked content on the pages, the
document-level entries, and what a screen reader would read (``pdfinfo -struct-text``).

tests/pdf_structure.py checks the PDF/UA-1 rules that need nothing beyond pypdf on every run;
``outloud`` (an offline PDF/UA-1 and WCAG checker on PyPI) runs when it is installed.
"""
from __future__ import annotations

import dataclasses
import datetime
import io
import json
import re
import shutil
import subprocess
import sys

import pypdf
import pytest
from PIL import Image as PILImage

from briefgen.document.nodes import Document, DocumentInfo, Figure, Heading, Image, Text
from briefgen.document.resolve import resolve
from briefgen.render.pdf import internals
from briefgen.render.pdf.render import render_pdf
from briefgen.theme.model import default_theme

from .doc_fixture import print_document, sample_document
from .pdf_structure import TaggedPdf

CREATED = datetime.datetime(2024, 10, 1, 9, 30, tzinfo=datetime.timezone.utc)
TIMELINE_ALT = ("Timeline from August 2021 to September 2024: 4 developments, 2 of high "
                "significance: the Taliban regain control; the RATS SCO conference.")
MAP_ALT = "Relation map of 5 actors: Uzbekistan is a member of the SCO; the Taliban fight ISIS-K."


def render(doc: Document) -> bytes:
    return render_pdf(resolve(doc), default_theme("A4"), CREATED)


def with_alt(doc: Document) -> Document:
    """``doc`` with alternative text on its figures (document/alttext.py writes it in a build)."""
    alts = {"timeline": TIMELINE_ALT, "relation-map": MAP_ALT}
    doc.children = [dataclasses.replace(b, alt=alts[b.kind]) if isinstance(b, Figure) else b
                    for b in doc.children]
    return doc


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render(sample_document())


@pytest.fixture(scope="module")
def print_pdf() -> bytes:
    """A brief as printed: cover, contents, figures, notes, a numbered copy and a watermark."""
    return render(with_alt(print_document(copy=(2, 5, "J. Reader"),
                                          watermark="DRAFT")))


def test_the_sample_documents_break_no_checked_rule(sample_pdf, print_pdf):
    for data in (sample_pdf, print_pdf):
        pdf = TaggedPdf(data)
        assert pdf.problems() == []
        assert pdf.reading_order_matches_drawing()
        assert "<pdfuaid:part>1</pdfuaid:part>" in _xmp(pdf)


def test_every_block_has_its_standard_role(sample_pdf):
    pdf = TaggedPdf(sample_pdf)
    roles = {e.role for e in pdf.elements()}
    assert {"Document", "H1", "H2", "H3", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH",
            "TD", "BlockQuote", "Div", "Link"} <= roles
    assert [th.attrs.get("Scope") for th in pdf.elements("TH")] == ["Column"] * 3
    assert len(pdf.elements("TR")) == 4  # the header row and three rows
    # one item per list item, each with its label and body, nested list inside its item
    items = pdf.elements("LI")
    assert len(items) == 7
    assert all([k.role for k in li.kids if not isinstance(k, tuple)] == ["Lbl", "LBody"]
               for li in items)


def test_headings_follow_the_outline_and_never_skip_a_level(print_pdf):
    pdf = TaggedPdf(print_pdf)
    headings = [e.role for e in pdf.elements() if re.fullmatch(r"H\d", e.role)]
    assert headings[:4] == ["H1", "H2", "H2", "H2"]  # title, Contents, BLUF, Section 1
    assert headings.count("H3") == 6
    outline = pypdf.PdfReader(io.BytesIO(print_pdf)).outline
    assert len([o for o in outline if not isinstance(o, list)]) >= 1


def test_figures_have_their_alternative_text_and_a_caption(print_pdf):
    pdf = TaggedPdf(print_pdf)
    figures = pdf.elements("Figure")
    assert [f.alt for f in figures] == [TIMELINE_ALT, MAP_ALT]
    for parent in pdf.elements():
        kids = [k for k in parent.kids if not isinstance(k, tuple)]
        for i, kid in enumerate(kids):
            if kid.role == "Figure":
                assert kids[i + 1].role == "Caption"


def test_notes_have_ids_and_labels_and_the_contents_is_a_toc(print_pdf):
    pdf = TaggedPdf(print_pdf)
    notes = pdf.elements("Note")
    assert [n.id for n in notes] == ["note-1", "note-2"]
    assert all(n.kids[0].role == "Lbl" for n in notes)
    toc = pdf.elements("TOC")
    assert len(toc) == 1 and {k.role for k in toc[0].kids} == {"TOCI"}


def test_link_annotations_say_what_they_are(sample_pdf):
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    contents = [str(a.get_object().get("/Contents")) for page in reader.pages
                for a in page.get("/Annots", [])]
    assert "link" in contents  # the link's own text, not its address
    links = TaggedPdf(sample_pdf).elements("Link")
    assert len(links) == len(contents) and all(link.alt for link in links)


def test_document_level_entries(sample_pdf):
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = _xmp(TaggedPdf(sample_pdf))
    assert "Afghanistan &amp; Central Asia &lt;b&gt;security&lt;/b&gt;" in xmp
    doc = sample_document()
    doc.info = dataclasses.replace(doc.info, language="ru")
    assert pypdf.PdfReader(io.BytesIO(render(doc))).trailer["/Root"]["/Lang"] == "ru"


def test_a_right_to_left_paragraph_has_its_own_language(tmp_path):
    """In an English brief a Pashto or Dari paragraph is read in its language (/Lang on its P,
    guessed from the letters as the DOCX and HTML guess it); in a Dari brief it is the
    document's language already."""
    from .doc_fixture import para
    texts = ["An English paragraph.", "د همکارۍ سازمان غونډه", "همکاری‌های امنیتی گسترش",
             "القاعدة في المنطقة", "Neighbour. كتب"]
    doc = Document(DocumentInfo(title="Languages"), [para(t) for t in texts])
    found = [e.obj.get("/Lang") for e in TaggedPdf(render(doc)).elements("P")]
    assert found == [None, "ps-AF", "fa-IR", "ar-SA", None]
    doc.info = dataclasses.replace(doc.info, language="fa-AF")
    found = [e.obj.get("/Lang") for e in TaggedPdf(render(doc)).elements("P")]
    assert found == [None] * 5


def test_a_picture_without_alternative_text_is_not_claimed_as_pdf_ua(tmp_path):
    path = tmp_path / "map.png"
    PILImage.new("RGB", (40, 20), "navy").save(path)

    def doc(alt: str) -> Document:
        return Document(DocumentInfo(title="Pictures"), [
            Heading(1, [Text("Pictures")], "pictures"), Image(str(path), alt, 40, 20)])
    described = TaggedPdf(render(doc("A navy rectangle")))
    assert [f.alt for f in described.elements("Figure")] == ["A navy rectangle"]
    assert "pdfuaid" in _xmp(described)
    bare = TaggedPdf(render(doc("")))
    assert bare.problems() == ["a Figure without /Alt"]
    assert "pdfuaid" not in _xmp(bare)


def test_output_stays_deterministic(sample_pdf):
    assert render(sample_document()) == sample_pdf


def _xmp(pdf: TaggedPdf) -> str:
    return pdf.catalog["/Metadata"].get_object().get_data().decode()


# --- what a screen reader reads -------------------------------------------------------------------

def _struct_text(data: bytes, tmp_path) -> list[str]:
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler's pdfinfo is not installed")
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True,
                         check=True).stdout.decode("utf-8", "replace")  # it prints /Alt raw
    return [m.group(1) for m in re.finditer(r'^\s*"(.*)"$', out, re.M)]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_tree_reads_the_brief_in_order_without_running_heads(print_pdf, tmp_path):
    texts = _struct_text(print_pdf, tmp_path)
    read = _squash("".join(texts))
    # words stay apart where a line broke (reportlab draws no space there: tags.py adds it)
    words = " ".join(t for t in texts if "Lorem" in t).split()
    assert words.count("Lorem") == 6 * 20 and words.count("amet.") == 6 * 20
    doc = print_document()
    title = doc.info.title
    assert read.count(_squash(title)) == 1  # the title, not the running head of every page
    assert read.count("TLP:AMBER") == 1  # the marking, said once
    for furniture in ("Pageof", "DRAFT", "Copy2of5", "J.Reader", "CentralAsiansecurity"):
        assert furniture.lower() not in read.lower().replace("centralasiansecurityafter", "")
    # the document's paragraphs and headings, in document order
    expected = ["Contents", "Bottom line up front", "The Taliban cannot contain ISKP",
                "Section 1 & more", "Subsection 1.1", "Some text citing a source",
                "Section 6 & more", "Relations between actors", "Distribution",
                "Director, Regional Security Desk", "Sources", "Kim Jeong-ki"]
    at = 0
    for text in expected:
        found = read.find(_squash(text), at)
        assert found >= 0, f"{text!r} missing or out of order"
        at = found


# --- an offline PDF/UA checker from PyPI, when installed --------------------------------------------

# outloud's TAG-002 ("prose marked as artifact") takes a line for a running head only when it
# recurs on (nearly) every page; a short brief's running head (title + marking) on all but the
# cover is reported although the title is read once, as the H1.
_RUNNING_HEAD = re.compile(r"^.*(TLP:|CONFIDENTIAL|RESTRICTED|SECRET|OFFICIAL)")


def test_an_offline_pdf_ua_checker_finds_no_error(print_pdf, sample_pdf, tmp_path):
    pytest.importorskip("outloud", reason="the offline checker outloud is not installed")
    paths = []
    for name, data in (("print.pdf", print_pdf), ("sample.pdf", sample_pdf)):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    run = subprocess.run([sys.executable, "-m", "outloud.cli", *map(str, paths), "--json", "-",
                          "--fail-on", "never"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    errors = [(f["rule"], f.get("evidence")) for result in report["results"]
              for f in result["findings"] if f["severity"] == "error"
              and not (f["rule"] == "TAG-002" and _RUNNING_HEAD.match(f.get("evidence") or ""))]
    assert errors == []


# --- reportlab internals the tagging relies on ---------------------------------------------------

@pytest.mark.parametrize("accessor", [internals.page_code, internals.page_annotations,
                                      internals.document_pages, internals.document_catalog,
                                      internals.line_text_out])
def test_a_changed_reportlab_internal_stops_the_build_with_a_message(accessor):
    with pytest.raises(internals.ReportlabChanged) as raised:
        accessor(object())
    assert "briefgen/render/pdf/internals.py" in str(raised.value)
    with pytest.raises(internals.ReportlabChanged):
        internals.list_bullets(object())
    with pytest.raises(internals.ReportlabChanged):
        internals.object_numbers(object())


def test_paragraph_link_text_is_not_lost(sample_pdf):
    """The parity test's words are still on the pages: tagging adds operators, no text."""
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(sample_pdf)).pages)
    assert "a link, raw <font color='red'>html</font>" in " ".join(text.split())


def test_a_header_row_repeated_on_the_next_page_is_read_once():
    data = render(sample_document(rows=120))
    pdf = TaggedPdf(data)
    assert pdf.problems() == []
    pages = [page.extract_text() for page in pdf.reader.pages]
    repeated = [i for i, text in enumerate(pages) if "Actor Kind Since" in " ".join(text.split())]
    assert len(repeated) >= 2  # reportlab repeats it on every page of the table
    marked = {kid[1] for th in pdf.elements("TH") for kid in th.kids if isinstance(kid, tuple)}
    assert marked == {repeated[0]}  # tagged where it first is; its repeats are artifacts


def test_a_citation_is_a_reference_to_its_note(print_pdf):
    pdf = TaggedPdf(print_pdf)
    references = pdf.elements("Reference")
    assert references and all([k.role for k in r.kids] == ["Link"] for r in references)
    reader = pdf.reader
    targets = {str(a.get_object()["/Contents"]) for page in reader.pages
               for a in page.get("/Annots", [])}
    assert {"Note 1", "Note 2"} <= targets


def test_only_furniture_is_left_out_of_the_tree(print_pdf, tmp_path):
    """Every word on the pages is in the tree, as often, except the page furniture's."""
    from collections import Counter
    # poppler runs a figure's labels together where pypdf splits them: count in the squashed
    # tree text, not by words
    tree = _squash("".join(_struct_text(print_pdf, tmp_path)))
    pages = Counter(" ".join(p.extract_text() for p in TaggedPdf(print_pdf).reader.pages).split())
    missing = {w for w, n in pages.items() if tree.count(w) < n}
    furniture = {"Page", "of", "DRAFT", "Copy", "Issued", "to:", "J.", "Reader", "Central",
                 "Asian", "security", "1", "October", "2024", "TLP:AMBER", "Desk", "&", "Co", "—"}
    assert {w for w in missing if not re.fullmatch(r"[\d.]+", w)} <= furniture
