"""Loading a workspace: find the files, parse every item, check ids and cross-references.

All problems are collected and raised together as one ContentError.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, Problem
from ..theme.model import Theme
from ..workspace_paths import display_path
from .crossref import check_references
from ..fanout import Fanout
from .models import Brief, Corpus, Settings
from .parse import Parser
from .yamlpos import load_yaml

KINDS = ("actors", "developments", "sources", "briefs")
SETTINGS_FILE = "briefgen.yaml"


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


def content_files(root: Path, kind: str) -> list[Path]:
    folder = root / "content" / kind
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith("."))


@contextmanager
def _gc_paused():
    """No cyclic garbage collection while loading.

    Loading builds hundreds of thousands of small dicts, lists and objects that all stay alive,
    and every full collection walks all of them again: on 10,000 developments the collector
    took about a third of the load time (18 full collections) and freed nothing worth having.
    Loading makes no reference cycles to speak of; the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# From this much YAML on, the files are parsed and checked on every usable core (fanout.py).
# Forking pays already at 80 KB (the sample workspace: 15 -> 13 ms on 2 cores; 136 KB:
# 21 -> 17 ms; 330 KB: 44 -> 32 ms); below 100 KB the gain is too small to bother.
PARALLEL_MIN_BYTES = 100_000


def load_workspace(root: str | Path, extra_briefs: list[Path] = (), *,
                   parallel_min_bytes: int | None = None) -> Workspace:
    """Load and check everything; raise ContentError listing every problem found.

    Content files add up to ``parallel_min_bytes`` (default PARALLEL_MIN_BYTES) or more: they
    are parsed and checked in several processes. The result is the same either way.
    """
    with _gc_paused():
        return _load_workspace(Path(root), extra_briefs, PARALLEL_MIN_BYTES
                               if parallel_min_bytes is None else parallel_min_bytes)


@dataclass
class _FileResult:
    """One content file, parsed and checked: what comes back from a worker process."""

    shown: str  # the path as the user sees it
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # (item, line, number of the file's problems found before it was complete): the duplicate-id
    # check, done once all files are in, slots its problem in where a one-pass load would have
    items: list[tuple[object, int, int]] = field(default_factory=list)


def _load_file(task: tuple[str, Path]) -> _FileResult:
    kind, path = task
    parser = Parser()
    shown = display_path(path)
    out = _FileResult(shown, parser.problems, parser.warnings)
    problems = parser.problems
    data, found = load_yaml(str(path), shown)
    problems += found
    if data is None:
        return out
    if kind == "briefs":
        if not isinstance(data, dict):
            problems.append(Problem("a brief file holds one brief: a mapping with title, "
                                    "date, ...", shown, getattr(data, "line", None)))
            return out
        brief = parser.brief(data, shown, path.stem)
        if brief.id:
            out.items.append((brief, data.line, len(problems)))
        return out
    make = getattr(parser, kind[:-1])
    entries = data if isinstance(data, list) else [data]
    for i, entry in enumerate(entries):
        line = data.line_of(i) if isinstance(data, list) else getattr(data, "line", 1)
        if not isinstance(entry, dict):
            problems.append(Problem(f"each {kind[:-1]} must be a mapping of fields "
                                    f"(id, ...), not {type(entry).__name__}", shown, line))
            continue
        item = make(entry, shown)
        if item.id:
            out.items.append((item, line, len(problems)))
    return out


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _load_workspace(root: Path, extra_briefs: list[Path], parallel_min_bytes: int) -> Workspace:
    if not root.is_dir():
        raise ContentError([Problem("the workspace folder does not exist", display_path(root))])
    brief_files = content_files(root, "briefs")
    known = {p.resolve() for p in brief_files}
    brief_files += [p for p in extra_briefs if p.resolve() not in known]
    tasks = [(kind, path) for kind in KINDS
             for path in (brief_files if kind == "briefs" else content_files(root, kind))]
    # Other processes start on their share of the files now; this one reads the settings and
    # the theme, then does its own share.
    fanout = Fanout(_load_file, tasks, [_size(path) for _, path in tasks], parallel_min_bytes)
    try:
        parser = Parser()
        problems = parser.problems
        settings = Settings()
        settings_path = root / SETTINGS_FILE
        theme_where = None
        if settings_path.is_file():
            shown = display_path(settings_path)
            data, found = load_yaml(str(settings_path), shown)
            problems += found
            if isinstance(data, dict):
                settings = parser.settings(data, shown)
                theme_where = Problem("", shown, data.line_of("theme"))
            elif data is not None:
                problems.append(Problem("the settings file must be a mapping of settings",
                                        shown))
        from ..theme.loader import workspace_theme
        theme = workspace_theme(root, settings.theme, theme_where, settings.paper or None)
        problems += theme.problems
        results = fanout.results()
    finally:
        fanout.close()

    items: dict[str, dict] = {kind: {} for kind in KINDS}
    first_seen: dict[tuple[str, str], tuple[str, int]] = {}
    for (kind, _), result in zip(tasks, results):
        path = result.shown
        parser.warnings += result.warnings
        done = 0
        for item, line, before in result.items:
            problems += result.problems[done:before]
            done = before
            key = (kind, item.id)
            if key in first_seen:
                where = "%s:%d" % first_seen[key]
                problems.append(Problem(f"duplicate {kind[:-1]} id '{item.id}': already "
                                        f"defined at {where}; give one of them another id",
                                        path, line))
                continue
            first_seen[key] = (path, line)
            items[kind][item.id] = item
        problems += result.problems[done:]

    corpus = Corpus(settings, items["actors"], items["developments"], items["sources"],
                    items["briefs"])
    problems += check_references(corpus)
    if problems:
        raise ContentError(problems)
    return Workspace(root, corpus, parser.warnings, theme.theme, theme.files)


def brief_for_path(workspace: Workspace, path: Path) -> Brief | None:
    target = path.resolve()
    for brief in workspace.corpus.briefs.values():
        if Path(brief.origin.path).resolve() == target:
            return brief
    return None
