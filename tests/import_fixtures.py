"""What the importers' tests share: the command line, a new workspace, a snapshot of its files
(an import that fails must leave every byte as it was)."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    return root
