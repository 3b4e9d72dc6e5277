"""Which templates a workspace has, which built-in each replaces, and exporting a built-in."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import jinja2
from jinja2 import nodes

from ..content.fields import did_you_mean
from ..content.models import Brief
from ..errors import OutputError, Problem, TemplateError, UsageError
from .environment import TEMPLATE_SUFFIX, TemplateRenderer, builtin_templates_dir
from ..workspace_paths import display_path, leads_outside


@dataclass
class TemplateInfo:
    name: str
    builtin: Path | None = None  # the built-in of this name
    workspace: Path | None = None  # the workspace's file of this name (it wins)
    extends: str = ""  # what the workspace file extends, e.g. builtin/policy-brief.md.j2
    blocks: list[str] = field(default_factory=list)  # blocks of the built-in (else the file)
    overridden_blocks: list[str] = field(default_factory=list)  # blocks the workspace replaces
    error: str = ""  # the workspace file does not parse


def _parse(env: jinja2.Environment, path: Path) -> nodes.Template:
    if not path.is_file():  # reading a FIFO waits for a writer forever
        raise OSError(0, "it is not a plain file (a named pipe, device or folder?); make it a "
                         "text file or remove it")
    return env.parse(path.read_text(encoding="utf-8"), path.name, str(path))


def _blocks(tree: nodes.Template) -> list[str]:
    return [b.name for b in tree.find_all(nodes.Block)]


def _extends(tree: nodes.Template) -> str:
    for node in tree.find_all(nodes.Extends):
        if isinstance(node.template, nodes.Const):
            return str(node.template.value)
        return "(a computed name)"
    return ""


def inventory(workspace_templates: Path | None) -> list[TemplateInfo]:
    renderer = TemplateRenderer(workspace_templates)
    env = renderer.env
    builtin = builtin_templates_dir()
    found: dict[str, TemplateInfo] = {}
    for path in sorted(builtin.glob("*" + TEMPLATE_SUFFIX)):
        name = path.name[: -len(TEMPLATE_SUFFIX)]
        info = found.setdefault(name, TemplateInfo(name))
        info.builtin = path
        info.blocks = _blocks(_parse(env, path))
    for folder in renderer.search_path[:-1]:  # the last one is the built-in folder
        for path in sorted(folder.glob("*" + TEMPLATE_SUFFIX)):
            name = path.name[: -len(TEMPLATE_SUFFIX)]
            info = found.setdefault(name, TemplateInfo(name))
            info.workspace = path
            why = leads_outside(path, folder.parent)
            if why:
                info.error = f"{display_path(path)}: refused: {why}"
                continue
            try:
                tree = _parse(env, path)
            except jinja2.TemplateSyntaxError as exc:
                info.error = (f"{display_path(path)}:{exc.lineno}: template syntax error: "
                              f"{exc.message}")
                continue
            except UnicodeDecodeError:
                info.error = f"{display_path(path)}: the file is not UTF-8 text: save it as UTF-8"
                continue
            except OSError as exc:
                info.error = f"{display_path(path)}: cannot read the file: {exc.strerror or exc}"
                continue
            info.extends = _extends(tree)
            if info.extends:
                info.overridden_blocks = _blocks(tree)
            if not info.blocks:
                info.blocks = _blocks(tree)
    return [found[k] for k in sorted(found)]


def check_templates(workspace_templates: Path | None, briefs: Iterable[Brief]) -> list[Problem]:
    """What ``validate`` finds wrong with the templates, without rendering any: each brief's
    template and each of the workspace's own must load and compile, with everything they
    extend, include or import by name."""
    renderer = TemplateRenderer(workspace_templates)
    found: dict[str, Problem] = {}  # one problem once, however many briefs use its template
    for name, brief in [*((b.template, b) for b in briefs),
                        *((n, None) for n in renderer.workspace_names())]:
        try:
            renderer.check(name, brief.origin.path if brief else None)
        except TemplateError as exc:
            problem = exc.problem
            if brief and problem.path == brief.origin.path and problem.line is None:
                problem = Problem(problem.message, problem.path, brief.origin.at("template"))
            found.setdefault(str(problem), problem)
    return list(found.values())


def export_template(name: str, workspace_templates: Path, force: bool = False,
                    extend: bool = False) -> Path:
    """Copy the built-in ``name`` into the workspace's templates folder for editing (or, with
    ``extend``, write a stub that extends it and lists its blocks)."""
    name = name[: -len(TEMPLATE_SUFFIX)] if name.endswith(TEMPLATE_SUFFIX) else name
    names = [p.name[: -len(TEMPLATE_SUFFIX)]
             for p in builtin_templates_dir().glob("*" + TEMPLATE_SUFFIX)]
    source = builtin_templates_dir() / (name + TEMPLATE_SUFFIX)
    if name not in names:  # a name, never a path ("../x" names no built-in)
        raise UsageError(f"no built-in template '{name}'{did_you_mean(name, names)}; built-in "
                         f"templates: {', '.join(sorted(names))}")
    target = workspace_templates / source.name
    # Never write through a link: templates/NAME.md.j2 -> /tmp/x.txt would create or (with
    # --force) overwrite a file out of the workspace.
    if target.is_symlink():
        raise UsageError(f"{display_path(target)} is a symbolic link (to "
                         f"{os.readlink(target)}): briefgen never writes through a link; "
                         "remove the link and export again")
    why = leads_outside(target, workspace_templates.parent)
    if why:
        raise UsageError(f"cannot export {source.name}: {why}")
    if target.exists() and not force:
        raise UsageError(f"{display_path(target)} exists already: edit it, or pass --force to "
                         "replace it with the built-in")
    try:
        workspace_templates.mkdir(parents=True, exist_ok=True)
        if extend:
            env = TemplateRenderer(None).env
            blocks = _blocks(_parse(env, source))
            lines = [f'{{% extends "builtin/{source.name}" %}}',
                     f"{{#- Replace only the blocks you want to change; the others come from the "
                     f"built-in '{name}'.",
                     f"    Its blocks: {', '.join(blocks)}.",
                     "    {{ super() }} inside a block prints the built-in block. -#}", ""]
            if blocks:
                lines += [f"{{% block {blocks[0]} %}}", "{{ super() }}{% endblock %}", ""]
            data = "\n".join(lines).encode("utf-8")
        else:
            data = source.read_bytes()
        _write_no_follow(target, data)
    except OSError as exc:
        raise OutputError(f"cannot write the template: {exc.strerror}",
                          display_path(target)) from None
    return target


def _write_no_follow(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target``, failing (ELOOP) if a link was put there since the check."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0),
                 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
