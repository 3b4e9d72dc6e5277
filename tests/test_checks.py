"""Estimative language (ICD 203): vocabulary checks at load time, text checks in checks.py, and
how the CLI reports them (warnings; errors with --strict), always as path:line."""
from click.testing import CliRunner

from briefgen.scope.checks import check_brief, judgment_findings
from briefgen.cli import main
from briefgen.content.models import KeyJudgment, Md
from briefgen.loading import load_workspace


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def brief_file(judgments: str, extra: str = "") -> dict[str, str]:
    return {"content/briefs/main.yaml": "title: Main brief\ndate: 2024-10-01\n" + extra +
            "key_judgments:\n" + judgments}


HEDGED = """\
  - text: >-
      ISIS-K will carry out further attacks
      and might extend them to Central Asia,
      possibly in 2025.
    likelihood: likely
    confidence: moderate
  - text: The group could strike in May or on 5 May 2025.
    likelihood: likely
"""


def findings(text: str, likelihood: str = "likely") -> list[str]:
    return [f.message for f in judgment_findings(KeyJudgment(Md(text), 1, likelihood), 1)]


def test_hedges_point_at_the_line_of_the_word(workspace):
    root = workspace(brief_file(HEDGED))
    ws = load_workspace(root)
    problems = check_brief(ws.corpus.briefs["main"])
    where = [(p.path.endswith("content/briefs/main.yaml"), p.line) for p in problems]
    assert where == [(True, 6), (True, 7), (True, 10)]
    assert "'might' is a hedge outside the ICD 203 vocabulary" in problems[0].message
    assert "'possibly'" in problems[1].message
    assert problems[2].message.startswith("key judgment 2: 'could'")


def test_the_month_may_is_not_a_hedge():
    assert findings("Talks resume in May 2025 and end by 5 May.") == []
    assert findings("Attacks will rise after May.") == []
    assert len(findings("Attacks may rise.")) == 1
    assert len(findings("May attacks rise? They will.")) == 1  # at the start of a sentence


def test_other_hedges_and_phrases():
    for text in ("Perhaps it ends.", "It will probably end.", "Maybe it ends.",
                 "It is possible that it ends.", "An attack cannot be ruled out."):
        assert len(findings(text)) == 1, text
    assert findings("The Taliban will remain in power; their rule is possible to end.") == []


def test_a_likelihood_term_in_the_text_must_match_the_likelihood():
    assert findings("It is very likely that attacks continue.", "very likely") == []
    (message,) = findings("It is very likely that attacks continue.", "likely")
    assert "the text says 'very likely' but the judgment's likelihood is 'likely'" in message
    # the longest term wins: "unlikely" is not "likely", "highly improbable" not "improbable"
    assert len(findings("An unlikely outcome.", "likely")) == 1
    assert findings("A highly improbable outcome.", "highly improbable") == []
    assert findings("It will almost certainly happen.", "almost certain") == []
    (message,) = findings("Talks are likely to fail.", "")
    assert "has no 'likelihood': move it there (likelihood: likely)" in message
    # "remote" only counts when it qualifies a chance
    assert findings("Fighting in remote border areas.", "likely") == []
    assert len(findings("There is a remote chance of peace.", "likely")) == 1


def test_mismatched_term_points_at_its_line(workspace):
    root = workspace(brief_file("  - text: >-\n      Attacks will continue.\n"
                                "      An end is unlikely.\n    likelihood: very likely\n"))
    (problem,) = check_brief(load_workspace(root).corpus.briefs["main"])
    assert problem.line == 6
    assert "'unlikely' but the judgment's likelihood is 'very likely'" in problem.message


def test_flow_style_judgment_uses_its_own_line(workspace):
    root = workspace(brief_file("  - {text: It might happen., likelihood: likely}\n"))
    (problem,) = check_brief(load_workspace(root).corpus.briefs["main"])
    assert problem.line == 4


def test_validate_warns_and_strict_fails(workspace):
    root = workspace(brief_file(HEDGED))
    result = run("validate", "-w", str(root))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("warning: ") and "main.yaml:6: key judgment 1: 'might'" in line
               for line in lines)
    assert result.output.rstrip().splitlines()[-1].startswith("ok: ")

    result = run("validate", "-w", str(root), "--strict")
    assert result.exit_code == 1
    assert "error: " in result.output and "main.yaml:10: key judgment 2: 'could'" in result.output
    assert "3 problems found" in result.output
    assert "ok: " not in result.output


def test_strict_also_covers_load_warnings(workspace):
    root = workspace({"content/briefs/main.yaml": "title: t\ndate: 2024-10-01\ncolour: red\n"})
    assert run("validate", "-w", str(root)).exit_code == 0
    result = run("validate", "-w", str(root), "--strict")
    assert result.exit_code == 1
    assert "main.yaml:3: unknown field 'colour'" in result.output


def test_build_warns_and_strict_build_writes_nothing(workspace, tmp_path):
    root = workspace(brief_file(HEDGED))
    out = tmp_path / "out"
    result = run("build", "-w", str(root), "-o", str(out), "-f", "pdf", "--strict")
    assert result.exit_code == 1
    assert "main.yaml:6: key judgment 1: 'might'" in result.output
    assert not out.exists() or not list(out.iterdir())

    result = run("build", "-w", str(root), "-o", str(out), "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "main.yaml:7: key judgment 1: 'possibly'" in result.output
    assert (out / "main.pdf").exists()


def test_the_sample_is_clean_under_strict():
    from tests.conftest import REPO
    result = run("validate", "-w", str(REPO), "--strict")
    assert result.exit_code == 0, result.output


# --- the vocabulary itself is checked when the content is loaded --------------------------

def test_a_likelihood_outside_the_vocabulary_fails_with_file_and_line(workspace):
    root = workspace(brief_file("  - text: Attacks will continue.\n"
                                "    likelihood: probably maybe\n"))
    result = run("validate", "-w", str(root))
    assert result.exit_code == 1
    assert "main.yaml:5: 'probably maybe' is not an ICD 203 likelihood term" in result.output


def test_mixed_sets_fail_at_the_second_set(workspace):
    root = workspace(brief_file("  - {text: A., likelihood: likely}\n"
                                "  - {text: B., likelihood: highly improbable}\n"))
    result = run("validate", "-w", str(root))
    assert result.exit_code == 1
    assert ("main.yaml:5: 'highly improbable' comes from the other ICD 203 set: use one set of "
            "terms in a brief") in result.output


def test_confidence_is_low_moderate_or_high(workspace):
    root = workspace(brief_file("  - {text: A., likelihood: likely, confidence: medium}\n"))
    result = run("validate", "-w", str(root))
    assert result.exit_code == 1
    assert "main.yaml:4: 'confidence' must be one of low, moderate, high" in result.output


def test_band_and_alias():
    assert KeyJudgment(Md("x"), 1, "very likely").band == "80–95%"
    assert KeyJudgment(Md("x"), 1, "remote").band == "01–05%"


def test_almost_certainly_is_accepted_as_almost_certain(workspace):
    root = workspace(brief_file("  - {text: A., likelihood: Almost Certainly}\n"))
    ws = load_workspace(root)
    assert ws.corpus.briefs["main"].key_judgments[0].likelihood == "almost certain"
