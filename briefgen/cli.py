"""Command line: options in, library calls, BriefgenError out as exit status 1 (usage: 2)."""
from __future__ import annotations

import time
from pathlib import Path

import click

from .errors import BriefgenError, UsageError


def _fail(exc: BriefgenError) -> None:
    for problem in exc.problems:
        click.echo(f"error: {problem}", err=True)
    if len(exc.problems) > 1:
        click.echo(f"{len(exc.problems)} problems found; nothing was built.", err=True)
    raise SystemExit(2 if isinstance(exc, UsageError) else 1)


def _load(workspace_dir: Path, extra_briefs=()):
    from .content.workspace import load_workspace
    workspace = load_workspace(workspace_dir, list(extra_briefs))
    for warning in workspace.warnings:
        click.echo(f"warning: {warning}", err=True)
    return workspace


workspace_option = click.option(
    "-w", "--workspace", "workspace_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("."), show_default=True, help="Workspace folder.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefgen")
def main() -> None:
    """briefgen: policy briefs as PDF and DOCX from YAML content and Jinja templates."""


@main.command()
@click.argument("briefs", nargs=-1, metavar="[BRIEF]...")
@workspace_option
@click.option("-f", "--format", "fmt", type=click.Choice(["pdf", "docx", "all"]), default=None,
              help="Formats to build  [default: the brief's 'formats', else both].")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Output folder  [default: WORKSPACE/output].")
@click.option("--copies", is_flag=True,
              help="One numbered copy per recipient of the brief's distribution "
                   "(<id>-copy-<n>.pdf/.docx).")
@click.option("--watermark", default="", metavar="TEXT",
              help="Diagonal watermark on every page, e.g. DRAFT.")
@click.option("--paper", type=click.Choice(["A4", "letter"], case_sensitive=False), default=None,
              help="Paper size  [default: the workspace setting, else A4].")
def build(briefs: tuple[str, ...], workspace_dir: Path, fmt: str | None,
          output_dir: Path | None, copies: bool, watermark: str, paper: str | None) -> None:
    """Build briefs (ids or paths to brief files; none = every brief)."""
    from .build import BuildOptions, build_brief, resolve_briefs
    from .templating import TemplateRenderer
    try:
        extra = [Path(b) for b in briefs if b.endswith((".yaml", ".yml")) and Path(b).is_file()]
        workspace = _load(workspace_dir, extra)
        chosen = resolve_briefs(workspace, list(briefs))
        if not chosen:
            raise UsageError("this workspace has no briefs: add one under content/briefs/")
        out = output_dir or workspace.output_dir
        options = BuildOptions(
            formats=None if fmt is None else (["pdf", "docx"] if fmt == "all" else [fmt]),
            copies=copies, watermark=" ".join(watermark.split()),
            paper={"a4": "A4", "letter": "letter"}[paper.lower()] if paper else None)
        renderer = TemplateRenderer(workspace.templates_dir)
        started = time.monotonic()
        count = 0
        for n, brief in enumerate(chosen, 1):
            click.echo(f"[{n}/{len(chosen)}] {brief.id}", err=True)
            result = build_brief(workspace, brief, options, out, renderer)
            for warning in result.warnings:
                click.echo(f"warning: {warning}", err=True)
            for built in result.files:
                click.echo(f"wrote {built.path}")
                count += 1
        click.echo(f"built {count} file(s) from {len(chosen)} brief(s) in "
                   f"{time.monotonic() - started:.1f} s", err=True)
    except BriefgenError as exc:
        _fail(exc)


@main.command()
@workspace_option
def validate(workspace_dir: Path) -> None:
    """Check all content; list every problem as path:line: message."""
    try:
        workspace = _load(workspace_dir)
    except BriefgenError as exc:
        _fail(exc)
    c = workspace.corpus
    click.echo(f"ok: {len(c.actors)} actors, {len(c.developments)} developments, "
               f"{len(c.sources)} sources, {len(c.briefs)} briefs")


if __name__ == "__main__":
    main()
