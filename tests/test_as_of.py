"""`briefgen build --as-of DATE`: the brief as of another date for one run, in files named for
that date (earlier builds are kept); a bad date is a usage error that writes nothing."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from briefgen.build import BuildOptions, brief_as_of
from briefgen.cli import main
from briefgen.content.dates import FuzzyDate
from briefgen.errors import UsageError
from briefgen.loading import load_workspace
from briefgen.scope.select import select
from tests.conftest import REPO
from tests.readers import pdf_pages

BRIEF = "sitrep-sept-2024"  # dated 30 September 2024; developments of 4-5 September in scope


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_as_of_builds_the_brief_as_it_was_and_keeps_the_other_builds(tmp_path):
    assert run("build", BRIEF, "-w", str(REPO), "-o", str(tmp_path), "-f", "pdf").exit_code == 0
    result = run("build", BRIEF, "-w", str(REPO), "-o", str(tmp_path), "-f", "all",
                 "--as-of", "2024-09-01")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{BRIEF}.pdf", f"{BRIEF}@2024-09-01.docx", f"{BRIEF}@2024-09-01.html",
        f"{BRIEF}@2024-09-01.pdf"]
    now = " ".join(pdf_pages(tmp_path / f"{BRIEF}.pdf"))
    then = " ".join(pdf_pages(tmp_path / f"{BRIEF}@2024-09-01.pdf"))
    assert "Information as of 1 September 2024" in then
    assert "Information as of 1 September 2024" not in now
    # a development of 4 September is in the brief of 30 September only
    assert "RATS SCO holds 10th international conference" in now
    assert "RATS SCO holds 10th international conference" not in then
    html = (tmp_path / f"{BRIEF}@2024-09-01.html").read_text(encoding="utf-8")
    assert "Information as of 1 September 2024" in html and "RATS SCO holds" not in html


def test_a_fuzzy_date_is_named_at_its_precision_and_copies_carry_it(tmp_path):
    result = run("build", "afghanistan-central-asia", "-w", str(REPO), "-o", str(tmp_path),
                 "-f", "pdf", "--as-of", "2024-06", "--copies")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names and all(n.startswith("afghanistan-central-asia@2024-06-copy-") for n in names)
    text = " ".join(pdf_pages(tmp_path / names[0]))
    assert "Information as of June 2024" in text


@pytest.mark.parametrize("value,says", [
    ("2024-02-30", "'2024-02-30' does not exist: February 2024 has 29 days"),
    ("2024-13", "'2024-13' has no month 13"),
    ("last friday", "'last friday' is not a date: write 2021, 2021-08 or 2021-08-15"),
    ("", "is not a date"),
])
def test_a_date_that_is_not_one_is_a_usage_error(tmp_path, value, says):
    result = run("build", BRIEF, "-w", str(REPO), "-o", str(tmp_path), "--as-of", value)
    assert result.exit_code == 2
    assert "Invalid value for '--as-of'" in result.output and says in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_a_date_after_the_issue_date_is_refused_naming_the_brief(tmp_path):
    result = run("build", BRIEF, "-w", str(REPO), "-o", str(tmp_path), "--as-of", "2024-10")
    assert result.exit_code == 2, result.output
    assert (f"sitrep-sept-2024.yaml:5: --as-of 2024-10 is after the issue date of brief "
            f"'{BRIEF}' (30 September 2024)") in result.output
    assert "give 2024-09-30 or earlier" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_a_date_before_changes_since_is_refused():
    workspace = load_workspace(REPO)
    brief = next(b for b in workspace.corpus.briefs.values() if b.changes_since)
    before = FuzzyDate(brief.changes_since.year - 1)
    with pytest.raises(UsageError, match="is before the changes_since date"):
        brief_as_of(brief, before)


def test_the_override_is_for_the_run_only():
    workspace = load_workspace(REPO)
    brief = workspace.corpus.briefs[BRIEF]
    then = brief_as_of(brief, FuzzyDate(2024, 9, 1))
    assert brief.as_of is None and then.as_of == FuzzyDate(2024, 9, 1)
    assert brief_as_of(brief, None) is brief
    assert len(select(workspace.corpus, then).developments) < \
        len(select(workspace.corpus, brief).developments)
    assert BuildOptions().as_of is None
