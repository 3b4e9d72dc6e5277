"""Print-grade output through the command line: numbered copies, watermark, paper, scripts,
reproducible files. Read back as a reader would."""
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.cli import main
from tests.conftest import REPO
from tests.readers import docx_parts, pdf_pages

BRIEF = "afghanistan-central-asia"


def run(*args, env=None):
    return CliRunner(env=env).invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    out = tmp_path_factory.mktemp("copies")
    result = run("build", BRIEF, "-w", str(REPO), "-o", str(out), "--copies",
                 "--watermark", "DRAFT")
    assert result.exit_code == 0, result.output
    return out


def recipients():
    from briefgen.loading import load_workspace
    return load_workspace(REPO).corpus.briefs[BRIEF].distribution


def test_one_file_per_recipient(copies):
    names = sorted(p.name for p in copies.iterdir())
    n = len(recipients())
    assert n == 3
    assert names == sorted(f"{BRIEF}-copy-{i}.{ext}" for i in range(1, n + 1)
                           for ext in ("pdf", "docx"))


@pytest.mark.parametrize("number", [1, 2, 3])
def test_each_pdf_copy_is_numbered_on_every_page(copies, number):
    who = recipients()[number - 1]
    pages = pdf_pages(copies / f"{BRIEF}-copy-{number}.pdf")
    cover, body = pages[0], pages[1:]
    assert f"Copy {number} of 3" in cover and who in cover
    assert "TLP:AMBER" in cover
    for n, page in enumerate(body, 2):
        assert f"Copy {number} of 3" in page and who in page, f"page {n}"
        assert page.count("TLP:AMBER") >= 2, f"page {n}"
        assert f"Page {n} of {len(pages)}" in page, f"page {n}"
    for page in pages:
        assert "DRAFT" in page
    # The distribution page lists every recipient with their copy number.
    text = " ".join(pages)
    for i, recipient in enumerate(recipients(), 1):
        assert f"{i} of 3 {recipient}" in text


@pytest.mark.parametrize("number", [1, 3])
def test_each_docx_copy_is_numbered(copies, number):
    who = recipients()[number - 1]
    parts = docx_parts(copies / f"{BRIEF}-copy-{number}.docx")
    body = " ".join(parts["body"])
    assert f"Copy {number} of 3" in body and who in body  # the cover
    footers = " ".join(parts["footers"])
    assert f"Copy {number} of 3" in footers and who in footers


def test_copies_need_a_distribution(workspace):
    root = workspace()
    result = run("build", "main", "-w", str(root), "-o", str(root / "out"), "--copies")
    assert result.exit_code == 1
    assert "main.yaml:1: numbered copies need a distribution list" in result.output


def test_letter_paper(tmp_path):
    result = run("build", "ct-dialogue-2024", "-w", str(REPO), "-o", str(tmp_path), "-f", "pdf",
                 "--paper", "letter")
    assert result.exit_code == 0, result.output
    for page in PdfReader(str(tmp_path / "ct-dialogue-2024.pdf")).pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_outline_and_fonts(tmp_path):
    result = run("build", BRIEF, "-w", str(REPO), "-o", str(tmp_path), "-f", "pdf")
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(tmp_path / f"{BRIEF}.pdf"))

    def titles(entries):
        for e in entries:
            if isinstance(e, list):
                yield from titles(e)
            else:
                yield e.title
    outline = list(titles(reader.outline))
    for heading in ("Bottom line up front", "Key judgments", "Developments", "Actors",
                    "Recommendations", "Sources"):
        assert heading in outline
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:  # Type0: the descriptor sits on the descendant font
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    # the theme's DejaVu faces, and Amiri for the sample's Arabic-script aliases
    assert fonts and all("DejaVu" in f or "Amiri" in f for f in fonts)


def test_rebuilds_are_byte_identical(tmp_path):
    for env in ({"SOURCE_DATE_EPOCH": "1700000000"}, {"SOURCE_DATE_EPOCH": ""}):
        first, second = tmp_path / "a", tmp_path / "b"
        for out in (first, second):
            shutil.rmtree(out, ignore_errors=True)
            assert run("build", BRIEF, "-w", str(REPO), "-o", str(out), env=env).exit_code == 0
        for name in (f"{BRIEF}.pdf", f"{BRIEF}.docx"):
            assert (first / name).read_bytes() == (second / name).read_bytes(), (env, name)


def test_scripts_print_and_uncovered_characters_are_reported(workspace, tmp_path):
    root = workspace({
        "content/actors/taliban.yaml": """
            id: taliban
            name: Taliban
            kind: movement
            aliases: [طالبان, Талибан]
            summary: A movement 🦊 with a fox in its summary.
            """,
        "content/briefs/main.yaml": """
            title: Талибы и Центральная Азия
            date: 2024-10-01
            scope: {actors: [taliban]}
            """,
    }, drop=("content/actors/actors.yaml", "content/developments/d.yaml"))
    # The minimal workspace's developments and relations point at removed actors: replace them.
    result = run("build", "-w", str(root), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert any(line.startswith("warning: ") and "taliban.yaml:5: 'summary' has characters no "
               "configured font covers: U+1F98A FOX FACE" in line
               for line in result.output.splitlines()), result.output
    text = " ".join(pdf_pages(tmp_path / "main.pdf"))
    assert "Талибы и Центральная Азия" in text and "Талибан" in text
    if shutil.which("pdftotext"):
        plain = subprocess.run(["pdftotext", str(tmp_path / "main.pdf"), "-"],
                               capture_output=True, text=True, check=True).stdout
        assert "طالبان" in plain
    docx = " ".join(docx_parts(tmp_path / "main.docx")["body"])
    assert "طالبان" in docx and "Талибы и Центральная Азия" in docx


@pytest.mark.parametrize("text, why", [
    ("DRA\u200bFT", "U+200B ZERO WIDTH SPACE"),
    ("\u202eTFARD", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\u0422LP:CLEAR", "mixes Cyrillic and Latin"),
    ("\uff24RAFT", "FULLWIDTH LATIN CAPITAL LETTER D"),
    ("TLP:PINK", "reads as a TLP label"),
])
def test_watermark_cannot_forge_a_marking(tmp_path, text, why):
    out = tmp_path / "out"
    result = run("build", "one-pager-2024", "-w", str(REPO), "-f", "pdf", "-o", str(out),
                 "--watermark", text)
    assert result.exit_code == 2, result.output
    assert "--watermark" in result.output and why in result.output
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize("text", ["DRAFT", "TLP:AMBER", "\u0645\u0633\u0648\u062f\u0647"])
def test_watermark_in_plain_letters_of_any_script_prints(tmp_path, text):
    out = tmp_path / "out"
    result = run("build", "one-pager-2024", "-w", str(REPO), "-f", "pdf", "-o", str(out),
                 "--watermark", text)
    assert result.exit_code == 0, result.output
    assert (out / "one-pager-2024.pdf").is_file()
