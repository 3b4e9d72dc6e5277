"""Batch builds: parallel jobs, one failure does not stop the others, ordered output, summary."""
from click.testing import CliRunner

from briefgen.batch import BriefOutcome, in_order
from briefgen.cli import main

BRIEFS = {
    f"content/briefs/{name}.yaml": f"title: Brief {name}\ndate: 2024-10-01\n{extra}"
    for name, extra in (("alpha", ""), ("bravo", "template: no-such-template\n"),
                        ("charlie", "scope: {since: 2022}\n"), ("delta", "marking: TLP:RED\n"))
}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_one_failure_does_not_stop_the_others(workspace, tmp_path):
    root = workspace(BRIEFS)
    out = tmp_path / "out"
    result = run("build", "-w", root, "-o", out, "-f", "pdf", "-j", "2")
    assert result.exit_code == 1, result.output
    built = sorted(p.name for p in out.iterdir())
    assert built == ["alpha.pdf", "charlie.pdf", "delta.pdf", "main.pdf"]
    assert "bravo.yaml: unknown template 'no-such-template'" in result.stderr
    # progress: one plain line per brief (stderr is not a terminal here)
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == 5 and all(line.startswith(f"[{n}/5] ") for n, line in
                                      enumerate(progress, 1))
    assert sum(line.endswith(" failed") for line in progress) == 1
    assert sum(line.endswith(" ok") for line in progress) == 4
    # results in brief order whatever the completion order; summary last
    wrote = [line for line in result.stdout.splitlines() if line.startswith("wrote ")]
    assert wrote == [f"wrote {out / n}.pdf" for n in ("alpha", "charlie", "delta", "main")]
    summary = result.stderr.splitlines()[-1]
    assert summary.startswith("built 4 brief(s) (4 file(s)), 1 failed, in ")


def test_parallel_and_serial_builds_write_the_same_bytes(workspace, tmp_path):
    root = workspace({k: v for k, v in BRIEFS.items() if "bravo" not in k})
    for jobs in ("1", "3"):
        result = run("build", "-w", root, "-o", tmp_path / jobs, "-j", jobs, "-f", "pdf")
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "1").iterdir())
    assert len(names) == 4
    for name in names:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "3" / name).read_bytes()


def test_jobs_must_be_positive(workspace):
    result = run("build", "-w", workspace(), "-j", "0")
    assert result.exit_code == 2


def test_outcomes_are_released_in_order():
    done = []
    outcomes = [BriefOutcome(i, f"b{i}") for i in (2, 0, 3, 1)]
    released = [o.index for o in in_order(iter(outcomes), lambda o, n: done.append((o.index, n)))]
    assert released == [0, 1, 2, 3]
    assert done == [(2, 1), (0, 2), (3, 3), (1, 4)]
