"""Cancelling a build: workers die with their parent and write nothing more; temporary files a
killed build left behind are removed by the next build of that brief.

Signals and processes cannot be expressed as a case folder, so these run real processes."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefgen import output
from tests.conftest import REPO
from tests.test_hardening import build


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(p) for p in text]
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has stopped: only its exit status is left


def _files(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} if folder.is_dir() else {}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_workers_die_with_a_cancelled_build_and_write_nothing_more(tmp_path, how):
    root = tmp_path / "ws"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "briefgen.yaml", root / "briefgen.yaml")
    source = (root / "content/briefs/sitrep-sept-2024.yaml").read_text(encoding="utf-8")
    for n in range(40):  # enough work that the build is surely cancelled half-way
        (root / f"content/briefs/copy-{n:02}.yaml").write_text(source, encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "-w", str(root), "-o",
                             str(out), "-j", "2"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not _files(out):  # the workers are building
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        workers = _children(proc.pid)
        assert len(workers) >= 2, workers
        proc.send_signal(how)
        proc.wait(timeout=20)
        deadline = time.monotonic() + 10
        while any(_running(w) for w in workers):
            assert time.monotonic() < deadline, "workers outlived the cancelled build"
            time.sleep(0.05)
        after = _files(out)
        time.sleep(2)
        assert _files(out) == after, "files written after the build was cancelled"
        assert len([n for n in after if not n.endswith(".tmp")]) < 2 * 46
    finally:
        for pid in [proc.pid, *workers]:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


def test_the_next_build_removes_temporary_files_a_killed_build_left(workspace, tmp_path):
    root = workspace()
    out = root / "output"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out / f".main.pdf.{dead.pid}.k2j4x9z1.tmp"  # as a killed build leaves it
    stale.write_bytes(b"%PDF-1.4 half a file")
    live = out / f".main.pdf.{os.getppid()}.q8w7e6r5.tmp"  # a build still running elsewhere
    live.write_bytes(b"%PDF-1.4 being written")
    other = out / f".other.pdf.{dead.pid}.a1b2c3d4.tmp"  # another brief's: its own build's
    other.write_bytes(b"x")
    build(root, formats=("pdf",))
    assert not stale.exists()
    assert live.exists() and other.exists()
    assert (out / "main.pdf").read_bytes().startswith(b"%PDF")
    # what this build stages carries its process id, so the next build can tell
    names = []
    real = output._stage
    output._stage = lambda path, data: names.append(real(path, data)) or names[-1]
    try:
        build(root, formats=("pdf",))
    finally:
        output._stage = real
    assert names and all(f".main.pdf.{os.getpid()}." in n for n in names)
