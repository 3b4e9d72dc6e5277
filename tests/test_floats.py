"""A figure that does not fit the rest of a page floats: the text after it fills the page and
the figure heads the next one (render/pdf/floats.py), instead of leaving the page half blank.
Measured on the PDF as a reader sees it: how much of each page is left blank, on which page
the figure and the text around it are."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.cli import main
from tests.conftest import REPO
from tests.readers import page_lines, squash

MARGINS = (72, 64)  # the sample theme's top and bottom margins


def build(root, out, *briefs):
    result = CliRunner().invoke(main, ["build", *briefs, "-w", str(root), "-o", str(out),
                                       "-f", "pdf"])
    assert result.exit_code == 0, result.output


def body_lines(page) -> list[tuple[float, str]]:
    """(baseline, text) of the lines inside the text area, top first."""
    top = float(page.mediabox.height) - MARGINS[0] + 4
    return [(y, squash(" ".join(t for _, _, t in row))) for y, row in page_lines(page)
            if MARGINS[1] - 4 < y < top]


def blank_below(page) -> float:
    """The share of the text area left empty under the page's last line."""
    lines = body_lines(page)
    height = float(page.mediabox.height) - MARGINS[0] - MARGINS[1]
    return (lines[-1][0] - MARGINS[1]) / height if lines else 1.0


def test_the_relation_map_floats_after_the_profiles_that_follow_it(tmp_path):
    """The policy brief's relation map is too tall for the rest of page 9 even scaled down by a
    quarter: page 9 was 61% blank. Now the first profiles fill page 9 and the map heads page 10,
    still numbered and captioned as Figure 2."""
    build(REPO, tmp_path, "afghanistan-central-asia")
    pages = PdfReader(str(tmp_path / "afghanistan-central-asia.pdf")).pages
    texts = [squash(page.extract_text()) for page in pages]
    at = next(n for n, text in enumerate(texts) if "Figure 2: Relations between the actors" in text)
    before = texts[at - 1]
    # the section's heading and the profiles after the figure moved up, onto the page before
    assert "Actors" in [text for _, text in body_lines(pages[at - 1])]
    assert "Run by the Taliban since their return" in before
    assert "Figure 2" not in before and blank_below(pages[at - 1]) < 0.1
    # the figure heads its page: no line of text above its drawing (its labels are 7.5 pt
    # or smaller, the body is larger)
    first = page_lines(pages[at])
    top = [row for y, row in first if y < float(pages[at].mediabox.height) - MARGINS[0] + 4]
    assert all(size < 8 for size, _, _ in top[0])
    # the profiles go on after the figure, in their order
    lines = [text for _, text in body_lines(pages[at]) + body_lines(pages[at + 1])]
    caption = next(k for k, text in enumerate(lines) if text.startswith("Figure 2:"))
    assert "Kazakhstan" in lines[caption + 1:] and "Kazakhstan" not in before
    assert before.index("Afghanistan") < before.index("China")


def test_no_page_of_the_sample_briefs_is_left_half_blank(tmp_path):
    """Except the cover, a brief's last page and a page before a page break (the policy brief's
    distribution list starts a page), no page of a sample brief is 40% blank or more."""
    build(REPO, tmp_path)
    for pdf in sorted(tmp_path.glob("*.pdf")):
        pages = PdfReader(str(pdf)).pages
        for number, (page, following) in enumerate(zip(pages[1:-1], pages[2:]), start=2):
            first = body_lines(following)
            if first and first[0][1] == "Distribution":  # `::: pagebreak` in the template
                continue
            assert blank_below(page) < 0.4, f"{pdf.name} page {number}: " \
                                             f"{blank_below(page):.0%} blank"


def _pages(markdown: str) -> list[str]:
    """The page texts of a document with timeline figures; its PDF reads as its DOCX does."""
    import datetime
    from io import BytesIO
    from briefgen.document.markdown import parse_markdown
    from briefgen.document.nodes import DocumentInfo
    from briefgen.document.resolve import resolve
    from briefgen.render.pdf.render import render_pdf
    from briefgen.theme.model import default_theme
    from tests.test_parity import _compare, _timeline

    def doc():
        return parse_markdown(markdown, DocumentInfo(title="T", organisation="Desk"),
                              figures=lambda kind: _timeline())
    theme = default_theme("A4")
    _compare(doc(), theme)  # no word lost or doubled, a floated figure read back in its place
    pdf = render_pdf(resolve(doc()), theme, datetime.datetime(2024, 10, 1))
    return [squash(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


FILL = "\\\n".join(f"Filler line {i}." for i in range(44))  # leaves a sixth of page 1


def test_a_figure_floats_to_the_next_page_before_the_story_ends():
    pages = _pages(FILL + "\n\n## Map\n\n::: figure timeline Events\n:::\n\nText after it.\n")
    assert len(pages) == 2
    assert "Map" in pages[0] and "Text after it." in pages[0] and "Figure 1" not in pages[0]
    assert "Figure 1: Events" in pages[1]


def test_a_figure_never_floats_past_a_page_break():
    pages = _pages(FILL + "\n\n::: figure timeline Events\n:::\n\nText after it.\n\n"
                   "::: pagebreak\n:::\n\nNext part.\n")
    assert len(pages) == 3 and "Text after it." in pages[0]
    assert "Figure 1: Events" in pages[1] and "Next part." in pages[2]


def test_floated_figures_keep_their_order():
    """While the first waits for the next page, the second may not overtake it."""
    pages = _pages(FILL + "\n\n::: figure timeline First\n:::\n\nText between.\n\n"
                   "::: figure timeline Second\n:::\n\nText after both.\n\n" + FILL + "\n")
    assert "Text between. Text after both." in pages[0] and "Figure" not in pages[0]
    assert pages[1].index("Figure 1: First") < pages[1].index("Figure 2: Second")
    assert pages[1].index("Figure 2: Second") < pages[1].index("Filler line 5.")


def test_the_docx_floats_the_relation_map_after_the_profiles_too(tmp_path):
    """The DOCX's pages are LibreOffice's or Word's to break, estimated here as for the
    contents' page numbers (render/docx/pages.py): the map's paragraph and caption move after
    the profiles that fill the rest of the page, and a word processor's pages show it (below)."""
    from tests.readers import docx_parts
    result = CliRunner().invoke(main, ["build", "afghanistan-central-asia", "-w", str(REPO),
                                       "-o", str(tmp_path), "-f", "docx"])
    assert result.exit_code == 0, result.output
    body = docx_parts(tmp_path / "afghanistan-central-asia.docx")["body"]
    caption = body.index("Figure 2: Relations between the actors in scope")
    heading = max(k for k, text in enumerate(body[:caption]) if text == "Actors")
    run_by = next(k for k, text in enumerate(body) if text.startswith("Run by the Taliban"))
    assert heading < run_by < caption and "China" in body[run_by:caption]
    assert body[caption - 1] == ""  # the picture's paragraph, right above its caption


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_leaves_no_page_of_the_policy_brief_half_blank(tmp_path):
    """LibreOffice left 69% of page 9 blank, the relation map on page 10 with its heading."""
    from tests.test_keep_with_next import libreoffice_pdf
    result = CliRunner().invoke(main, ["build", "afghanistan-central-asia", "-w", str(REPO),
                                       "-o", str(tmp_path), "-f", "docx"])
    assert result.exit_code == 0, result.output
    pdf = libreoffice_pdf(tmp_path / "afghanistan-central-asia.docx", tmp_path)
    pages = PdfReader(str(pdf)).pages
    texts = [squash(page.extract_text()) for page in pages]
    at = next(n for n, text in enumerate(texts) if "Figure 2: Relations between" in text)
    assert "Run by the Taliban since their return" in texts[at - 1]
    for number, (page, following) in enumerate(zip(pages[1:-1], pages[2:]), start=2):
        first = body_lines(following)
        if first and first[0][1] == "Distribution":  # `::: pagebreak` in the template
            continue
        assert blank_below(page) < 0.4, f"page {number}: {blank_below(page):.0%} blank"


def _relation_map():
    from briefgen.document.nodes import MapEdge, MapNode, RelationMapData
    kinds = ("state", "organisation", "armed-group", "person")
    nodes = [MapNode(f"a{i}", f"Actor {i}", kinds[i % 4]) for i in range(16)]
    edges = ([MapEdge(f"a{i}", f"a{(i + 1) % 16}", "works with") for i in range(16)]
             + [MapEdge(f"a{i}", f"a{(i + 5) % 16}", "funds") for i in range(0, 16, 3)])
    return RelationMapData(nodes, edges)


LEAD = ("".join(f"Lead paragraph {i}.\n\n" for i in range(24))  # leaves 40% of page 1
        + "## Map\n\n::: figure relation-map Relations\n:::\n\n")
PARA = "Regional security cooperation depends on partners for training and equipment. " * 4


def _after(count: int) -> str:
    return "".join(f"Paragraph {i} after. {PARA}\n\n" for i in range(count))


@pytest.mark.parametrize("case", ["page break", "end", "two figures"])
def test_the_docx_floats_a_tall_figure_within_the_same_limits(case):
    """A relation map two thirds of a page tall under a heading that leaves 40% of page 1: the
    DOCX moves it after the text that follows, before a page break or at the end at the
    latest, and a second map waits behind the first (each with parity)."""
    import datetime
    from briefgen.document.markdown import parse_markdown
    from briefgen.document.nodes import DocumentInfo
    from briefgen.document.resolve import resolve
    from briefgen.render.docx.render import render_docx
    from briefgen.theme.model import default_theme
    from tests.parity_readers import read_docx
    from tests.test_parity import _compare
    markdown = {"page break": LEAD + _after(3) + "::: pagebreak\n:::\n\nNext part.\n",
                "end": LEAD + _after(3),
                "two figures": LEAD + _after(1) + "::: figure relation-map Second\n:::\n\n"
                + _after(12)}[case]

    def doc():
        return parse_markdown(markdown, DocumentInfo(title="T", organisation="Desk"),
                              figures=lambda kind: _relation_map())
    _compare(doc(), default_theme("A4"))
    words = read_docx(render_docx(resolve(doc()), default_theme("A4"),
                                  datetime.datetime(2024, 10, 1))).words
    figures = [i for i in range(len(words) - 1) if words[i] == "Figure"]
    assert words[figures[0] + 1] == "1" and words.index("Map") < words.index("Paragraph")
    assert words.index("Paragraph") < figures[0]  # moved after the text that follows it
    if case == "page break":
        assert figures[0] < words.index("Next")
    if case == "two figures":
        assert words[figures[1] + 1] == "2" and figures[0] < figures[1]


def test_a_figure_floats_within_its_section_never_past_its_end():
    """'## Map' holds only its figure, the next '## ' section follows: floating the figure
    would leave 'Map' above another section's heading, so the heading and figure go on to
    the next page together. Past a subsection's heading ('###') the figure still floats."""
    pages = _pages(FILL + "\n\n## Map\n\n::: figure timeline Events\n:::\n\n## Next section\n\n"
                   "Text of the next section.\n")
    assert "Map" not in pages[0] and "Figure 1" not in pages[0]
    assert pages[1].index("Map") < pages[1].index("Figure 1: Events") < pages[1].index("Next")
    pages = _pages(FILL + "\n\n## Map\n\n::: figure timeline Events\n:::\n\n### A part of it\n\n"
                   "Text after it.\n")
    assert "Map" in pages[0] and "Text after it." in pages[0] and "Figure 1" not in pages[0]


def test_the_docx_figure_floats_within_its_section_never_past_its_end():
    import datetime
    from briefgen.document.markdown import parse_markdown
    from briefgen.document.nodes import DocumentInfo
    from briefgen.document.resolve import resolve
    from briefgen.render.docx.render import render_docx
    from briefgen.theme.model import default_theme
    from tests.parity_readers import read_docx
    for heading, floats in (("## Next section", False), ("### A part of it", True)):
        doc = parse_markdown(LEAD + f"{heading}\n\n" + _after(3), DocumentInfo(title="T"),
                             figures=lambda kind: _relation_map())
        words = read_docx(render_docx(resolve(doc), default_theme("A4"),
                                      datetime.datetime(2024, 10, 1))).words
        figure = words.index("Figure")
        assert (words.index("Paragraph") < figure) is floats, heading
