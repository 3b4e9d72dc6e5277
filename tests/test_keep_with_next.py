"""Keep with next: no heading ends a page without at least two lines of the text it introduces,
in the PDF and in LibreOffice's rendering of the DOCX; an actor's byline ("State · also known
as ...") does not count as that text."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from tests.conftest import REPO
from tests.readers import stranded_headings

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed")


def actors_workspace(workspace):
    """A new workspace with 24 actors of many lengths (bylines of one and two lines, summaries
    of one to eight lines, none to three relations): headings land at every height of a page."""
    words = ("Border security cooperation with neighbouring states remains uneven and "
             "depends on external partners for training, equipment and intelligence. ").split()
    actors = []
    for i in range(24):
        aliases = ", ".join(f"Alias {i}-{j} Ассоциация" for j in range(i % 4))
        summary = " ".join(words[(i * 7 + j) % len(words)] for j in range(6 + (i * 29) % 90))
        relations = "".join(f"\n    - {{actor: a{(i + j + 1) % 24}, type: works with}}"
                            for j in range(i % 4))
        actors.append(f"- id: a{i}\n  name: Actor number {i} of the Sahel\n"
                      f"  kind: {('state', 'organisation', 'armed-group', 'person')[i % 4]}\n"
                      + (f"  aliases: [{aliases}]\n" if aliases else "")
                      + f"  summary: {summary}.\n"
                      + (f"  relations:{relations}\n" if relations else ""))
    return workspace({
        "content/actors/actors.yaml": "".join(actors),
        "content/briefs/main.yaml": "title: Sahel\ndate: 2024-10-01\nscope: {actors: ["
                                    + ", ".join(f"a{i}" for i in range(24)) + "]}\n",
    }, drop=("content/developments/d.yaml",))


def build(root, out, fmt="all", *briefs):
    result = CliRunner().invoke(main, ["build", *briefs, "-w", str(root), "-o", str(out),
                                       "-f", fmt])
    assert result.exit_code == 0, result.output


def libreoffice_pdf(docx, out):
    profile = (out / "profile").as_uri()  # a private profile: no clash with another soffice
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   check=True, capture_output=True, timeout=180)
    return out / (docx.stem + ".pdf")


def test_the_sample_briefs_strand_no_heading(tmp_path):
    build(REPO, tmp_path, "pdf")
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) >= 6
    for pdf in pdfs:  # the policy brief stranded five, ct-dialogue and situation-end more
        assert stranded_headings(pdf) == [], pdf.name


def test_actor_profiles_of_every_length_strand_no_heading(workspace, tmp_path):
    build(actors_workspace(workspace), tmp_path, "pdf")
    assert stranded_headings(tmp_path / "main.pdf") == []


@needs_soffice
def test_libreoffice_strands_no_heading_of_the_docx(workspace, tmp_path):
    build(REPO, tmp_path / "sample", "docx", "afghanistan-central-asia")
    build(actors_workspace(workspace), tmp_path / "sahel", "docx")
    for docx in (tmp_path / "sample" / "afghanistan-central-asia.docx",
                 tmp_path / "sahel" / "main.docx"):
        assert stranded_headings(libreoffice_pdf(docx, tmp_path / docx.stem)) == [], docx.stem


def blank_below(page, margins=(72, 64)) -> float:
    """The share of the text area left empty under the page's last line."""
    from tests.readers import page_lines
    height = float(page.mediabox.height)
    ys = [y for y, _ in page_lines(page) if margins[1] - 4 < y < height - margins[0] + 4]
    return (min(ys) - margins[1]) / (height - margins[0] - margins[1]) if ys else 1.0


def test_a_figure_too_tall_for_the_rest_of_a_page_is_scaled_to_fit_within_limits(tmp_path):
    """The relation map of ct-dialogue-2024 did not fit under the last development: page 4 was
    61% blank, the map on page 5. It is scaled (by at most a quarter) to fit there instead."""
    from pypdf import PdfReader
    from tests.readers import page_lines
    build(REPO, tmp_path, "pdf", "ct-dialogue-2024", "afghanistan-central-asia")
    reader = PdfReader(str(tmp_path / "ct-dialogue-2024.pdf"))
    pages = reader.pages
    for number, page in enumerate(pages[1:-1], start=2):  # the cover and the end may be short
        assert blank_below(page) < 0.4, f"page {number} is {blank_below(page):.0%} blank"
    caption = next(n for n, page in enumerate(pages) if "Figure 2" in page.extract_text())
    assert "RATS SCO holds 10th" in pages[caption].extract_text()  # the text before it
    # scaled within limits: the map's labels (6.5 and 7.5 pt) keep three quarters of their size
    sizes = [size for _, row in page_lines(pages[caption]) for size, _, text in row
             if "Taliban" in text]
    assert sizes and min(sizes) >= 0.75 * 6.5 - 0.01
    # the policy brief's timeline (47% of page 5 left blank) likewise
    brief = PdfReader(str(tmp_path / "afghanistan-central-asia.pdf")).pages
    timeline = next(n for n, page in enumerate(brief) if "Figure 1" in page.extract_text())
    assert blank_below(brief[timeline]) < 0.2 and "Outlook" in brief[timeline].extract_text()


def test_a_heading_keeps_two_lines_of_right_to_left_text(tmp_path):
    """A one-line piece of a shaped (right-to-left) paragraph counted as two lines, so a heading
    ended a page with one line of Persian under it. The filler before the heading takes every
    height of a page foot in steps of a line (a paragraph of hard breaks, then a code block)."""
    import datetime
    from briefgen.document.markdown import parse_markdown
    from briefgen.document.nodes import DocumentInfo
    from briefgen.document.resolve import resolve
    from briefgen.render.pdf.render import render_pdf
    from briefgen.theme.model import default_theme
    persian = ("طالبان در کابل قدرت را به دست گرفتند و همسایگان آسیای مرکزی مرزهای خود را "
               "تقویت کردند. ") * 6
    pdf = tmp_path / "rtl.pdf"
    for lines in range(40, 44):
        for code in range(4):
            md = ("::: titleblock\n# Cover\n:::\n\nIntro.\n\n"
                  + "\\\n".join(f"Filler line {i}." for i in range(lines))
                  + ("\n\n```\n" + "code\n" * code + "```" if code else "")
                  + "\n\n## Heading over Persian text\n\n" + persian + "\n\nAfter.\n")
            doc = parse_markdown(md, DocumentInfo(title="T", organisation="Desk"))
            pdf.write_bytes(render_pdf(resolve(doc), default_theme("A4"),
                                       datetime.datetime(2024, 10, 1)))
            assert stranded_headings(pdf) == [], (lines, code)
