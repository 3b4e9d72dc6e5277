"""Loading a workspace: its content and its theme, checked, every problem reported at once.

The app layer's half of loading: content/workspace.py reads the settings and parses each file;
this module loads the theme the settings name and decides where the files are parsed. A big
workspace's files are parsed in several processes (``concurrent.futures``), which gives exactly
what parsing them here gives: the same items, problems and warnings in the same order.
"""
from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .content.models import Brief, Corpus
from .content.workspace import FileResult, assemble, content_tasks, load_file, read_settings
from .errors import ContentError, Problem
from .scope.markings import marking_problems
from .theme.loader import workspace_theme
from .theme.model import Theme

# From this much YAML on, the files are parsed in several processes. `validate` on 2 cores
# (Python 3.11, Linux), one process -> two: 0.3 MB 136 -> 151 ms, 1 MB 217 -> 204 ms, 2 MB
# 306 -> 280 ms, 3 MB 430 -> 351 ms, 10 MB 1.23 -> 0.93 s; every time 20-40% more CPU time
# (pickling the results, starting the pool). Below 2 MB the gain is not worth the CPU.
PARALLEL_MIN_BYTES = 2_000_000
MAX_PROCESSES = 8  # a cap, not a measurement: only 2 cores were at hand


@dataclass
class Workspace:
    root: Path
    corpus: Corpus
    warnings: list[Problem] = field(default_factory=list)
    theme: Theme = field(default_factory=Theme)  # the settings' theme, loaded and checked
    theme_files: list[Path] = field(default_factory=list)  # files the theme was read from

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"


def load_workspace(root: str | Path, extra_briefs: list[Path] = (), *,
                   processes: int | None = None) -> Workspace:
    """Load and check everything; raise ContentError listing every problem found (and the
    warnings found with them)."""
    workspace, problems = read_workspace(root, extra_briefs, processes=processes)
    if problems:
        raise ContentError(problems, workspace.warnings)
    return workspace


def read_workspace(root: str | Path, extra_briefs: list[Path] = (), *,
                   processes: int | None = None) -> tuple[Workspace, list[Problem]]:
    """Load and check everything; the workspace (what could be read of it) and every problem.

    ``processes``: how many processes parse the content files (this one included); None
    decides from their size and the usable cores.
    """
    root = Path(root)
    tasks = content_tasks(root, list(extra_briefs))
    with _gc_paused():
        with _Files(tasks, processes or _processes_for(tasks)) as files:
            # The other processes are already parsing their share; this one reads the
            # settings and the theme, then parses its own share.
            settings = read_settings(root)
            theme = workspace_theme(root, settings.settings.theme, settings.theme_at,
                                    settings.settings.paper or None)
            results = files.results()
        corpus, problems, warnings = assemble(settings.settings, tasks, results)
    problems = settings.problems + theme.problems + problems
    if not problems:  # a brief's selection needs every reference to hold
        problems = marking_problems(corpus)
    return Workspace(root, corpus, settings.warnings + warnings, theme.theme,
                     theme.files), problems


@contextmanager
def _gc_paused():
    """No cyclic garbage collection while loading.

    Loading builds hundreds of thousands of small objects that all stay alive and make no
    cycles to speak of; each collection walks them all again and frees nothing. Pausing it
    saves a fifth of the load's CPU time at 10,000 developments (measured: see the commit).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def brief_for_path(workspace: Workspace, path: Path) -> Brief | None:
    target = path.resolve()
    for brief in workspace.corpus.briefs.values():
        if Path(brief.origin.path).resolve() == target:
            return brief
    return None


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _processes_for(tasks: list[tuple[str, Path]]) -> int:
    if sum(_size(path) for _, path in tasks) < PARALLEL_MIN_BYTES:
        return 1
    # Imported only now: a small workspace does not pay for it.
    import multiprocessing
    if multiprocessing.parent_process() is not None:
        return 1  # a worker of a pool (batch.py's, say): its siblings have the other cores
    return min(usable_cores(), MAX_PROCESSES)


def split(sizes: list[int], parts: int) -> list[list[int]]:
    """Task indices in ``parts`` groups of about equal total size (biggest first, each to the
    lightest group), each group in task order."""
    groups: list[list[int]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        lightest = loads.index(min(loads))
        groups[lightest].append(i)
        loads[lightest] += sizes[i]
    return [sorted(group) for group in groups]


def _load_files(tasks: list[tuple[str, Path]]) -> list[FileResult]:
    return [load_file(task) for task in tasks]


class _Files:
    """``load_file`` of every task: some groups in a process pool, started at once, and one
    group in this process when ``results()`` is called."""

    def __init__(self, tasks: list[tuple[str, Path]], processes: int):
        self.tasks = tasks
        parts = max(1, min(processes, len(tasks)))
        # one group needs no sizes: _processes_for has stat'ed the files already
        groups = split([_size(path) for _, path in tasks], parts) if parts > 1 else \
            [list(range(len(tasks)))]
        self.own, self.others = groups[0], [g for g in groups[1:] if g]
        self.pool = None
        self.futures = []
        if self.others:
            from concurrent.futures import ProcessPoolExecutor
            try:
                self.pool = ProcessPoolExecutor(max_workers=len(self.others))
                self.futures = [self.pool.submit(_load_files, [tasks[i] for i in group])
                                for group in self.others]
            except (OSError, ImportError, NotImplementedError, RuntimeError):
                # no processes to be had here (limits, a platform without semaphores ...)
                self.__exit__()
                self.own, self.others = sorted(i for g in groups for i in g), []

    @property
    def processes(self) -> int:
        return 1 + len(self.others)

    def results(self) -> list[FileResult]:
        out: list = [None] * len(self.tasks)
        for i in self.own:
            out[i] = load_file(self.tasks[i])
        for group, future in zip(self.others, self.futures):
            try:
                got = future.result()
            except Exception:  # a worker killed (out of memory ...): do its share here, where
                got = [load_file(self.tasks[i]) for i in group]  # a bug raises as usual
            for i, result in zip(group, got):
                out[i] = result
        return out

    def __enter__(self) -> "_Files":
        return self

    def __exit__(self, *exc_info) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
