"""Reading a workspace's content: find the files, parse every item, check ids and references.

Plain functions, one step each, so that whoever calls them decides how the per-file work is
spread (briefgen/loading.py: in this process, or over several for a big workspace):

    settings = read_settings(root)
    tasks = content_tasks(root, extra_briefs)
    corpus, problems, warnings = assemble(settings, tasks, [load_file(t) for t in tasks])

``load_file`` needs nothing from the other files and returns what pickles cheaply; ``assemble``
puts the per-file results together exactly as one pass over the files in task order would.
Problems are collected, not raised: the caller reports them all together.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, Problem, UsageError
from ..workspace_paths import display_path, leads_outside
from .crossref import Unloaded, check_references
from .models import Corpus, Settings
from .parse import Parser
from .yamlpos import load_yaml

KINDS = ("actors", "developments", "sources", "briefs")
SETTINGS_FILE = "briefgen.yaml"


def content_files(root: Path, kind: str) -> list[Path]:
    folder = root / "content" / kind
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith("."))


def content_tasks(root: Path, extra_briefs: list[Path] = ()) -> list[tuple[str, Path]]:
    """(kind, path) of every content file, in the order their problems are reported; the
    ``extra_briefs`` (brief files named on the command line) come after the workspace's own."""
    if not root.is_dir():
        raise ContentError([Problem("the workspace folder does not exist", display_path(root))])
    if not (root / "content").is_dir():
        raise UsageError(f"not a workspace (no content/ folder in {root.resolve()}): run "
                         "`briefgen init DIR` to make one, or name one with -w DIR")
    brief_files = content_files(root, "briefs")
    known = {p.resolve() for p in brief_files}
    brief_files += [p for p in extra_briefs if p.resolve() not in known]
    tasks = [(kind, path) for kind in KINDS
             for path in (brief_files if kind == "briefs" else content_files(root, kind))]
    # Brief files named on the command line are named on purpose and may be anywhere; the
    # workspace's own files must not be links out of it.
    extra = {id(p) for p in extra_briefs}
    # Resolving every path costs an lstat per folder level; a file can only lead out through
    # its own link or its folder's, so each folder is resolved once and each file is lstat'ed.
    folders = {}
    outside = []
    for _, path in tasks:
        if id(path) in extra:
            continue
        if path.parent not in folders:
            folders[path.parent] = leads_outside(path.parent, root)
        why = (folders[path.parent] or path.is_symlink()) and leads_outside(path, root)
        if why:
            outside.append(Problem(f"content file refused: {why}", display_path(path)))
    if outside:
        raise ContentError(outside)
    return tasks


@dataclass
class SettingsFile:
    settings: Settings
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    theme_at: Problem | None = None  # where the settings name the theme: its problems point here


def read_settings(root: Path) -> SettingsFile:
    """The workspace settings (defaults when there is no settings file)."""
    parser = Parser()
    out = SettingsFile(Settings(), parser.problems, parser.warnings)
    path = root / SETTINGS_FILE
    if not path.is_file():
        return out
    shown = display_path(path)
    why = leads_outside(path, root)
    if why:
        out.problems.append(Problem(f"settings file refused: {why}", shown))
        return out
    data, found = load_yaml(str(path), shown)
    out.problems += found
    if isinstance(data, dict):
        out.settings = parser.settings(data, shown)
        out.theme_at = Problem("", shown, data.line_of("theme"))
    elif data is not None:
        out.problems.append(Problem("the settings file must be a mapping of settings", shown))
    return out


@dataclass
class FileResult:
    """One content file, parsed and checked on its own."""

    shown: str  # the path as the user sees it
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # (item, line, number of the file's problems found before it was complete): the duplicate-id
    # check, which needs every file, slots its problem in where a one-pass load would have
    items: list[tuple[object, int, int]] = field(default_factory=list)
    # the file did not parse as YAML: where it failed, and the ids (for a developments file,
    # the words) its text seems to define, so that references to them make one note, not many
    unloaded: Unloaded | None = None


# 'id: x' in block or flow style: what a file that does not parse as YAML probably defines
_ID = re.compile(r"(?<![\w-])id[ \t]*:[ \t]*[\"']?([a-z0-9][a-z0-9-]*)")
_WORD = re.compile(r"[a-z0-9][a-z0-9-]*")


def _unloaded(kind: str, path: Path, shown: str, problems: list[Problem]) -> Unloaded | None:
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None
    # developments are referred to by their tags (a brief's scope), which may be anywhere
    names = _WORD.findall(text) if kind == "developments" else _ID.findall(text)
    return Unloaded(kind, shown, problems[0].line if problems else None, frozenset(names))


def load_file(task: tuple[str, Path]) -> FileResult:
    kind, path = task
    parser = Parser()
    shown = display_path(path)
    out = FileResult(shown, parser.problems, parser.warnings)
    problems = parser.problems
    data, found = load_yaml(str(path), shown)
    problems += found
    if data is None:
        if found and kind != "briefs":
            out.unloaded = _unloaded(kind, path, shown, found)
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


def assemble(settings: Settings, tasks: list[tuple[str, Path]], results: list[FileResult]
             ) -> tuple[Corpus, list[Problem], list[Problem]]:
    """The corpus, the problems (the files', duplicate ids, cross-references) and the warnings,
    from ``load_file``'s results for ``tasks``, in task order."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    items: dict[str, dict] = {kind: {} for kind in KINDS}
    first_seen: dict[tuple[str, str], tuple[str, int]] = {}
    for (kind, _), result in zip(tasks, results, strict=True):
        path = result.shown
        warnings += result.warnings
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
    problems += check_references(corpus, [r.unloaded for r in results if r.unloaded])
    return corpus, problems, warnings
