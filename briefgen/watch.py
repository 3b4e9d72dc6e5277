"""Rebuild briefs when their content, templates or theme change.

Polls file modification times (no extra dependency, works on every file system) and, after a
change, reloads the workspace and rebuilds only the briefs whose output can differ: a brief is
rebuilt when the Markdown its template produces, the data of its figures, the theme or the build
options changed. Problems are reported and watching goes on; the caller stops the loop (the
command line on Ctrl-C).
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .build import BuildOptions, brief_markdown, build_brief, resolve_briefs, theme_for
from .content.workspace import SETTINGS_FILE
from .loading import Workspace, load_workspace
from .errors import BriefgenError, Problem

POLL_SECONDS = 0.5
WATCHED_FOLDERS = ("content", "templates", "themes")

# report(level, message): level is "info", "warning", "error" or "wrote" (message = a path).
Report = Callable[[str, str], None]


# Folders deeper than this under content/, templates/ or themes/ are not watched: no build
# reads them, and walking 1,500 levels by recursion (Path.rglob) stopped watch with a traceback.
MAX_WATCH_DEPTH = 16


def _walk(folder: Path) -> list[Path]:
    """Every entry under ``folder`` (not hidden), to MAX_WATCH_DEPTH levels, without recursion."""
    found: list[Path] = []
    stack = [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            found.append(path)
            if depth < MAX_WATCH_DEPTH and entry.is_dir(follow_symlinks=False):
                stack.append((path, depth + 1))
    return found


def snapshot(root: Path, extra: list[Path]) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every file that can change a build."""
    found: dict[str, tuple[int, int]] = {}
    paths = [root / SETTINGS_FILE, *extra]
    for folder in WATCHED_FOLDERS:
        if (root / folder).is_dir():
            paths += _walk(root / folder)
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        if path.is_file():
            found[str(path)] = (st.st_mtime_ns, st.st_size)
    return found


@dataclass
class Watcher:
    """One watch session; ``step()`` checks once and rebuilds what changed."""

    root: Path
    refs: list[str]
    options: BuildOptions
    output_dir: Path | None
    report: Report
    extra: list[Path] = field(default_factory=list)  # brief files outside the workspace
    _seen: dict | None = None
    _signatures: dict = field(default_factory=dict)  # brief id -> signature of its last build
    _outputs: dict = field(default_factory=dict)  # brief id -> the files its last build wrote
    _theme_files: list[Path] = field(default_factory=list)

    def step(self) -> bool:
        """Rebuild if anything changed since the last step, or an output file was deleted;
        return True if it looked again."""
        current = snapshot(self.root, self.extra + self._theme_files)
        if current == self._seen and all(p.exists() for files in self._outputs.values()
                                         for p in files):
            return False
        self._seen = current
        try:
            self.rebuild()
        except Exception as exc:  # a bug: report it and keep watching
            self.report("error", f"internal error (a bug in briefgen; please report it): "
                                 f"{type(exc).__name__}: {exc}")
            self.report("info", "watching for changes")
        # The theme may now come from other files (the settings named another theme): take
        # those as they are now, and keep the rest as they were before the rebuild, so that a
        # file saved during the rebuild is still seen as changed at the next step.
        self._seen = {**snapshot(self.root, self._theme_files), **current}
        return True

    def rebuild(self) -> None:
        from .templating.environment import TemplateRenderer
        try:
            workspace = load_workspace(self.root, self.extra)
        except BriefgenError as exc:
            self._problems(exc.problems, warnings=exc.warnings)
            return
        self._theme_files = list(workspace.theme_files)
        for warning in workspace.warnings:
            self.report("warning", str(warning))
        try:
            briefs = resolve_briefs(workspace, self.refs)
        except BriefgenError as exc:
            self._problems(exc.problems)
            return
        out = self.output_dir or workspace.output_dir
        renderer = TemplateRenderer(workspace.templates_dir)
        built = failed = 0
        for brief in briefs:
            try:
                signature = self._signature(workspace, brief, renderer)
                if self._signatures.get(brief.id) == signature and \
                        all(p.exists() for p in self._outputs.get(brief.id, ())):
                    continue
                result = build_brief(workspace, brief, self.options, out, renderer)
            except BriefgenError as exc:
                self._signatures.pop(brief.id, None)
                self._outputs.pop(brief.id, None)
                self._problems(exc.problems, brief.id, exc.warnings)
                failed += 1
                continue
            self._signatures[brief.id] = signature
            self._outputs[brief.id] = [f.path for f in result.files]
            built += 1
            for warning in result.warnings:
                self.report("warning", str(warning))
            for file in result.files:
                self.report("wrote", str(file.path))
        if built or failed:
            self.report("info", f"rebuilt {built} brief(s)" +
                        (f", {failed} failed" if failed else "") + "; watching for changes")
        else:
            self.report("info", "no brief changed; watching for changes")

    def _signature(self, workspace: Workspace, brief, renderer) -> str:
        markdown, context = brief_markdown(workspace, brief, renderer)
        selection = context["selection"]
        digest = hashlib.sha256()
        for part in (markdown, _fingerprint(selection.developments),
                     _fingerprint(selection.actors), _fingerprint(selection.relations),
                     repr(theme_for(workspace, self.options.paper)), repr(self.options),
                     _fingerprint(brief)):
            digest.update(part.encode("utf-8", "replace"))
            digest.update(b"\0")
        return digest.hexdigest()

    def _problems(self, problems: list[Problem], brief_id: str | None = None,
                  warnings: list[Problem] = ()) -> None:
        for problem in problems:
            self.report("error", str(problem))
        for warning in warnings:
            self.report("warning", str(warning))
        what = f"brief '{brief_id}'" if brief_id else "the workspace"
        self.report("info", f"{len(problems)} problem(s) in {what}; fix and save to rebuild")


def _fingerprint(value) -> str:
    """repr() without the places things came from: moving an item within its file, or adding
    a comment above it, changes no page."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__ + "(" + ",".join(
            f"{f.name}={_fingerprint(getattr(value, f.name))}" for f in dataclasses.fields(value)
            if f.name not in _PLACE_FIELDS) + ")"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_fingerprint(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k!r}:{_fingerprint(v)}" for k, v in value.items()) + "}"
    return repr(value)


_PLACE_FIELDS = ("origin", "line")


def watch(watcher: Watcher, interval: float = POLL_SECONDS,
          stop: Callable[[], bool] = lambda: False, max_steps: int | None = None,
          sleep: Callable[[float], None] = time.sleep) -> None:
    """Poll until ``stop()`` is true or ``max_steps`` checks were made (KeyboardInterrupt
    propagates to the caller, which ends the session)."""
    steps = 0
    while not stop():
        watcher.step()
        steps += 1
        if max_steps is not None and steps >= max_steps:
            return
        sleep(interval)
