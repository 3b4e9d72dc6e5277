"""The case corpus: one folder per failure mode under tests/cases/ (see its README.md).

Each case runs the command line in a copy of its workspace, as a user would from that folder,
and checks the exit status, that every expected line is printed, and that nothing crashed.
"""
import os
import runpy
import shlex
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main

CASES = Path(__file__).parent / "cases"
MAX_SECONDS = 20


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "expected.txt").is_file())


def test_the_corpus_covers_at_least_a_hundred_failure_modes():
    assert len(_case_names()) >= 100


@pytest.mark.parametrize("name", _case_names())
def test_case(name, tmp_path, monkeypatch):
    case = CASES / name
    workspace = tmp_path / "workspace"
    if (case / "workspace").is_dir():
        shutil.copytree(case / "workspace", workspace)
    else:
        workspace.mkdir()
    env = {"SOURCE_DATE_EPOCH": None}
    if (case / "make.py").is_file():  # inputs that cannot be committed as text
        env.update(runpy.run_path(str(case / "make.py"))["make"](workspace) or {})
    args_file = case / "args.txt"
    args = shlex.split(args_file.read_text(encoding="utf-8")) if args_file.is_file() \
        else ["validate"]
    exit_file = case / "exit.txt"
    expected_exit = int(exit_file.read_text().strip()) if exit_file.is_file() else 1

    monkeypatch.chdir(workspace)
    started = time.monotonic()
    result = CliRunner().invoke(main, args, env=env)
    seconds = time.monotonic() - started

    output = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{type(result.exception).__name__}: {result.exception}\n{output}"
    assert "Traceback" not in output and "internal error" not in output, output
    assert result.exit_code == expected_exit, output
    for line in _lines(case / "expected.txt"):
        assert line in result.stderr, f"missing from stderr: {line}\n--- stderr:\n{result.stderr}"
    for line in _lines(case / "absent.txt"):
        assert line not in result.output, f"printed, but should not be: {line}\n{output}"
    for line in _lines(case / "stdout.txt"):
        assert line in result.stdout, f"missing from stdout: {line}\n--- stdout:\n{result.stdout}"
    # a failed build writes nothing
    if expected_exit != 0 and args and args[0] == "build":
        written = [p for ext in ("pdf", "docx", "html")
                   for p in (workspace / "output").rglob(f"*.{ext}") if p.is_file()]
        written = [p for p in written if not p.is_symlink()]  # a link put there on purpose
        assert not written, written
    assert not [p for p in workspace.rglob("*.tmp")], "a temporary file was left behind"
    assert os.getcwd() == str(workspace)
    # hostile input is answered, not waited for (a runaway layout took minutes)
    assert seconds < MAX_SECONDS, f"took {seconds:.1f} s"


def test_no_case_relies_on_an_empty_folder():
    """git keeps no empty folder: a case that has one passes here and fails on a fresh clone
    (its make.py must create the folder)."""
    empty = [str(p.relative_to(CASES)) for p in CASES.rglob("*")
             if p.is_dir() and not any(p.iterdir())]
    assert not empty, f"empty folders in tests/cases (git drops them): {empty}"
