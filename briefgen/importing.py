"""``briefgen import``: run an importer, check what it read as the content reader will, refuse
ids the rest of the workspace already uses, then write its files all at once (or none)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from .content.crossref import references
from .content.workspace import content_tasks, load_file
from .errors import ContentError, Problem, UsageError
from .importers.check import check_items, check_references
from .importers.items import SLUG_NAME, Imported
from .importers.sync import Plan, owner, plan_sync
from .output import write_all_atomic
from .workspace_paths import display_path

MAX_PROBLEMS = 200  # a broken 100,000-row file should not print 100,000 lines


def command_line(root: Path, words: list[str], file: Path) -> str:
    """The command that repeats this import, as run in the workspace folder: written at the top
    of every file the import writes."""
    import shlex
    try:
        shown = os.path.relpath(file.resolve(), root.resolve())
    except ValueError:
        shown = str(file.resolve())
    if shown.startswith(".."):
        shown = str(file.resolve())
    return shlex.join(["briefgen", "import", words[0], shown, *words[1:]])


def run_import(root: Path, name: str, command: str, read: Callable[[], Imported]) -> Plan:
    """Import into the workspace ``root`` under ``name``; the plan that was carried out."""
    if not SLUG_NAME.match(name):
        raise UsageError(f"--name '{name}' must be lowercase letters, digits and hyphens: it "
                         "names the files the import writes")
    content_tasks(root)  # not a workspace: the usual message
    imported = read()
    check_items(imported)
    # the clashes' check adds unknown references to imported.problems: all come out together
    clashes, refs = _clashes(root, name, imported)
    problems = imported.problems + clashes
    if not problems:
        plan = plan_sync(root, imported, name, command)
        problems = plan.problems
        imported.warnings += plan.warnings + _dangling(refs, plan.removed, imported.source)
    if problems:
        error = ContentError(problems[:MAX_PROBLEMS], imported.warnings)
        if len(problems) > MAX_PROBLEMS:  # after the sorted ones, where it reads right
            more = len(problems) - MAX_PROBLEMS
            error.problems.append(Problem(f"... and {more} more problem{'s' if more > 1 else ''}"
                                          " like these", imported.source))
        raise error
    write_all_atomic(plan.writes)
    for path in plan.deletes:
        try:
            os.unlink(path)
        except OSError as exc:  # the new files are in place: say what is left over
            imported.warnings.append(Problem(
                f"this file of the last import could not be removed ({exc.strerror or exc}): "
                "delete it by hand, or its items stay in the workspace twice",
                display_path(path)))
    plan.warnings = imported.warnings
    return plan


def _dangling(refs: list, removed: set, source: str) -> list[Problem]:
    """A warning at each reference from the rest of the workspace to an item this import
    removes: the workspace will not validate until it is fixed."""
    return [Problem(f"{what} refers to the {kind[:-1]} '{item_id}', which this import removes "
                    f"(it is no longer in {source}): remove the reference or define the "
                    f"{kind[:-1]} by hand", path, line)
            for kind, item_id, line, what, path in refs if (kind, item_id) in removed]


def _clashes(root: Path, name: str, imported: Imported) -> tuple[list[Problem], list]:
    """An imported id that another file of the workspace (hand-written, or another import's)
    defines, and a reference to an id that nothing defines: the import would make the
    workspace invalid. And what the other files refer to: (kind, id, line, what, path)."""
    ours = {(i.kind, i.id): i for i in imported.items}
    others: dict[str, set] = {}
    problems = []
    refs = []
    for kind, path in content_tasks(root):
        if owner(path) == name:
            continue
        for item, line, _ in load_file((kind, path)).items:
            shown = display_path(path)
            refs += [(*ref, shown) for ref in references(kind, item)]
            if kind == "briefs":
                continue
            others.setdefault(kind, set()).add(item.id)
            mine = ours.get((kind, item.id))
            if mine is not None:
                problems.append(Problem(
                    f"the {kind[:-1]} id '{item.id}' is already defined at "
                    f"{display_path(path)}:{line}: rename that one, or remove it if it is the "
                    "same item imported before under another --name", imported.source,
                    mine.line))
    check_references(imported, others)
    return problems, refs
