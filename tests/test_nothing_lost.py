"""Nothing is silently cut: every brief ends in the PDF and the DOCX where its Markdown ends, and
Markdown a stage cannot represent is an error at the content file and line."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, brief_markdown, build_brief
from briefgen.errors import BriefgenError
from briefgen.loading import load_workspace
from briefgen.templating.environment import TemplateRenderer
from tests.conftest import MINIMAL, REPO
from tests.readers import docx_parts, docx_text, pdf_pages, squash


def _last_heading(markdown: str) -> str:
    # read from the template's text, not from markdown-it, which is what may stop early
    headings = re.findall(r"^#{1,6} +(.+?) *#*$", markdown, re.M)
    return squash(re.sub(r"[*_`\\]", "", headings[-1]))


def _assert_ends_present(root: Path, brief_id: str, out: Path) -> None:
    workspace = load_workspace(root)
    brief = workspace.corpus.briefs[brief_id]
    markdown, _ = brief_markdown(workspace, brief, TemplateRenderer(workspace.templates_dir))
    last = _last_heading(markdown)
    result = build_brief(workspace, brief, BuildOptions(formats=["pdf", "docx"]), out)
    files = {f.format: f.path for f in result.files}
    assert last in " ".join(pdf_pages(files["pdf"])), f"{brief_id}: '{last}' missing from PDF"
    assert last in docx_text(files["docx"]), f"{brief_id}: '{last}' missing from DOCX"


@pytest.mark.parametrize("brief_id", sorted(p.stem for p in (REPO / "content/briefs").glob("*.yaml")))
def test_every_sample_brief_ends_with_its_last_section(brief_id, tmp_path):
    root = tmp_path / "ws"
    for name in ("content", "templates", "briefgen.yaml"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
        elif (REPO / name).exists():
            root.mkdir(exist_ok=True)
            shutil.copy(REPO / name, root / name)
    _assert_ends_present(root, brief_id, tmp_path / "out")


def _with_summary(workspace, summary: str) -> Path:
    development = MINIMAL["content/developments/d.yaml"].replace(
        "summary: The Taliban take Kabul.", "summary: " + summary)
    return workspace({"content/developments/d.yaml": development})


def test_a_list_nested_as_deep_as_the_limit_prints_and_the_brief_ends(workspace, tmp_path):
    nine = "|\n" + "".join(" " * 12 + "  " * i + f"- level {i + 1}\n" for i in range(9))
    root = _with_summary(workspace, nine)
    _assert_ends_present(root, "main", tmp_path / "out")


@pytest.mark.parametrize("summary", [
    '"- - - - - - - - - - - - x"',
    "|\n" + "".join(" " * 12 + "  " * i + f"- level {i + 1}\n" for i in range(10)),
    '"' + "> " * 25 + 'deep"',
])
def test_markdown_nested_past_the_limit_is_an_error_at_its_content_line(workspace, tmp_path,
                                                                       summary):
    root = _with_summary(workspace, summary)
    with pytest.raises(BriefgenError) as caught:
        _assert_ends_present(root, "main", tmp_path / "out")
    problem = caught.value.problem
    assert problem.path.endswith("content/developments/d.yaml") and problem.line == 4, problem
    assert "nested more than 9 levels deep" in problem.message
    assert not list((tmp_path / "out").glob("*"))


def test_notes_are_printed_when_the_template_does_not_list_them(tmp_path):
    """A template without ``::: notes``: the DOCX has its footnotes, the PDF (no page-foot notes)
    lists the notes at the end instead of printing bare reference numbers."""
    root = tmp_path / "ws"
    shutil.copytree(REPO / "content", root / "content")
    (root / "templates").mkdir()
    template = (REPO / "templates/one-pager.md.j2").read_text(encoding="utf-8")
    (root / "templates/one-pager.md.j2").write_text(
        re.sub(r"^::: notes\n:::\n", "", template, flags=re.M), encoding="utf-8")
    workspace = load_workspace(root)
    brief = workspace.corpus.briefs["one-pager-2024"]
    result = build_brief(workspace, brief, BuildOptions(formats=["pdf", "docx"]), tmp_path / "out")
    files = {f.format: f.path for f in result.files}
    pdf = squash(" ".join(pdf_pages(files["pdf"])))
    footnotes = squash(" ".join(docx_parts(files["docx"])["footnotes"]))
    assert "Hamza Boltaev" in footnotes
    notes = pdf[pdf.rindex("Notes"):]
    assert "Hamza Boltaev" in notes and "Diplomatic Courier" in notes
