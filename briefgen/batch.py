"""Building many briefs at once, in parallel worker processes.

Each worker receives the loaded workspace once, when it starts (pickling a loaded workspace
takes about 1 ms against about 40 ms for loading it again from YAML, measured on the sample), and
builds one brief per task. A brief that fails does not stop the others: its problems come back
in its outcome. Output files are the same bytes whatever the number of jobs.
"""
from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from .build import BriefResult, BuildOptions, BuiltFile, build_brief
from .content.models import Brief
from .loading import Workspace
from .errors import BriefgenError, Problem, UsageError


@dataclass
class BriefOutcome:
    index: int  # position in the list of briefs asked for
    brief_id: str
    files: list[BuiltFile] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # empty: the brief was built
    detail: str = ""  # a traceback, for a failure that is a bug in briefgen
    usage: bool = False  # the failure is wrong usage (exit status 2), e.g. a bad environment
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def default_jobs() -> int:
    return os.cpu_count() or 1


def _build_one(workspace: Workspace, brief: Brief, index: int, options: BuildOptions,
               out_dir: Path, renderer) -> BriefOutcome:
    started = time.monotonic()
    outcome = BriefOutcome(index, brief.id)
    try:
        result: BriefResult = build_brief(workspace, brief, options, out_dir, renderer)
        outcome.files, outcome.warnings = result.files, result.warnings
    except BriefgenError as exc:
        outcome.problems = list(exc.problems)
        outcome.warnings = list(exc.warnings)
        outcome.usage = isinstance(exc, UsageError)
    except Exception as exc:  # a bug: report it with this brief and carry on with the others
        outcome.problems = [Problem(f"internal error while building brief '{brief.id}' (a bug "
                                    f"in briefgen; please report it): {type(exc).__name__}: "
                                    f"{exc}")]
        outcome.detail = traceback.format_exc()
    outcome.seconds = time.monotonic() - started
    return outcome


def _collect_before_next_brief() -> None:
    # the last brief's render garbage (see build.rendered_files); not after the last brief,
    # where the process ends anyway
    gc.collect()


# Worker state: set once per worker process by _init_worker.
_worker: dict = {}


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """A worker of a cancelled build (SIGTERM, or SIGKILL of the parent) must not go on
    building and writing files as an orphan: on Linux the kernel sends it SIGTERM when the
    parent dies. Elsewhere, the parent-pid check before each brief is what stops it."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    _check_parent(parent)  # the parent may have died before prctl took effect


def _check_parent(parent: int) -> None:
    if os.getppid() != parent:
        os._exit(1)


def _init_worker(workspace: Workspace, parent: int) -> None:
    _die_with_parent(parent)
    # a worker ends on SIGTERM at once, whatever handler the parent had
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from .templating.environment import TemplateRenderer
    _worker["workspace"] = workspace
    _worker["parent"] = parent
    _worker["renderer"] = TemplateRenderer(workspace.templates_dir)


def _work(index: int, brief: Brief, options: BuildOptions, out_dir: Path) -> BriefOutcome:
    _check_parent(_worker["parent"])
    if _worker.get("built"):
        _collect_before_next_brief()
    _worker["built"] = True
    return _build_one(_worker["workspace"], brief, index, options, out_dir, _worker["renderer"])


def build_many(workspace: Workspace, briefs: list[Brief], options: BuildOptions, out_dir: Path,
               jobs: int | None = None) -> Iterator[BriefOutcome]:
    """Build every brief; yield each outcome as it completes (index tells its place).

    jobs <= 1, or a single brief, builds in this process, in order.
    """
    jobs = max(1, min(jobs or default_jobs(), len(briefs)))
    if jobs == 1:
        from .templating.environment import TemplateRenderer
        renderer = TemplateRenderer(workspace.templates_dir)
        for index, brief in enumerate(briefs):
            if index:
                _collect_before_next_brief()
            yield _build_one(workspace, brief, index, options, out_dir, renderer)
        return
    # Imported here: a one-brief build should not pay for multiprocessing (~10 ms).
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # Workers are forked where the platform allows: importing the renderers once here (about
    # 0.25 s) saves each worker that much.
    from .render.docx import render as _docx
    from .render.pdf import render as _pdf
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(workspace, os.getpid())) as pool:
        pending = {pool.submit(_work, index, brief, options, out_dir):
                   (index, brief) for index, brief in enumerate(briefs)}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    index, brief = pending.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        yield BriefOutcome(index, brief.id, problems=[Problem(
                            f"the worker building brief '{brief.id}' stopped unexpectedly (out "
                            "of memory?); try again with fewer jobs (-j 1)")])
        finally:
            for future in pending:
                future.cancel()


def in_order(outcomes: Iterator[BriefOutcome],
             on_done: Callable[[BriefOutcome, int], None] | None = None
             ) -> Iterator[BriefOutcome]:
    """Re-order outcomes by index, releasing each as soon as all before it are done;
    ``on_done(outcome, count_done)`` is called in completion order (for progress)."""
    waiting: dict[int, BriefOutcome] = {}
    next_index = 0
    for count, outcome in enumerate(outcomes, 1):
        if on_done:
            on_done(outcome, count)
        waiting[outcome.index] = outcome
        while next_index in waiting:
            yield waiting.pop(next_index)
            next_index += 1
    for index in sorted(waiting):
        yield waiting[index]
