"""Command line: options in, library calls, BriefgenError out as exit status 1 (usage: 2)."""
from __future__ import annotations

import gc
import time
from pathlib import Path

import click

from .content.paper import PAPER_SIZES, paper_name
from .errors import BriefgenError, UsageError


def _fail(exc: BriefgenError, outcome: str = "nothing was built", always: bool = False) -> None:
    """Every problem, then the warnings found with them, then how many of each and the
    ``outcome``; for a lone problem only when ``always`` (its line says enough otherwise)."""
    for problem in exc.problems:
        click.echo(f"error: {problem}", err=True)
    for warning in exc.warnings:
        click.echo(f"warning: {warning}", err=True)
    if always or len(exc.problems) > 1 or exc.warnings:
        click.echo(f"{_count(len(exc.problems), 'problem')} found"
                   + (f", and {_count(len(exc.warnings), 'warning')}" if exc.warnings else "")
                   + f"; {outcome}.", err=True)
    raise SystemExit(2 if isinstance(exc, UsageError) else 1)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _raise_problems(problems, warnings, strict: bool):
    """Raise the problems (with --strict, the warnings too) together with the warnings left;
    return the warnings when there is no problem."""
    from .errors import ContentError
    if strict:
        problems, warnings = problems + warnings, []
    if problems:
        raise ContentError(problems, warnings)
    return warnings


def _load(workspace_dir: Path, extra_briefs=(), strict: bool = False):
    """The workspace; its problems (with --strict, its warnings too) raised together with the
    warnings. The caller prints the warnings of a workspace without problems."""
    from .loading import read_workspace
    workspace, problems = read_workspace(workspace_dir, list(extra_briefs))
    _raise_problems(problems, workspace.warnings, strict)
    return workspace


strict_option = click.option(
    "--strict", is_flag=True,
    help="Treat warnings (unknown fields, hedged key judgments, ...) as errors: exit status 1.")


def _formats(fmt: str | None) -> list[str] | None:
    from .content.models import FORMATS
    return None if fmt is None else (list(FORMATS) if fmt == "all" else [fmt])


def _as_of(ctx, param, value: str | None):
    """--as-of's fuzzy date, or a usage error (exit status 2) saying what is wrong with it."""
    if value is None:
        return None
    from .content.dates import FuzzyDate
    try:
        return FuzzyDate.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


format_option = click.option(
    "-f", "--format", "fmt", type=click.Choice(["pdf", "docx", "html", "all"]),
    default=None, help="Formats to build (all: pdf, docx and html)  [default: the brief's "
                       "'formats', else pdf and docx].")
output_option = click.option(
    "-o", "--output", "output_dir", type=click.Path(path_type=Path),
    default=None, help="Output folder  [default: WORKSPACE/output].")
paper_option = click.option(
    "--paper", type=click.Choice(list(PAPER_SIZES), case_sensitive=False), default=None,
    help="Paper size  [default: the workspace setting, else the theme's (A4)].")
workspace_option = click.option(
    "-w", "--workspace", "workspace_dir", type=click.Path(file_okay=False, path_type=Path),
    default=Path("."), show_default=True, help="Workspace folder.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefgen")
def main() -> None:
    """briefgen: policy briefs as PDF, DOCX and HTML from YAML content and Jinja templates."""
    # A command is one short pass over a large, nearly acyclic graph of objects (content, the
    # document tree, XML, flowables). The cyclic collector's frequent passes over it freed
    # almost nothing and cost 3-5% of a build; collecting a hundred times less often keeps
    # memory bounded all the same (peak RSS within 7%, measured on the 300-development brief).
    gc.set_threshold(70_000, 10, 10)


def _watermark_option(ctx, param, value: str) -> str:
    """A watermark prints across every page like a marking: held to the marking's rules."""
    from .content.lookalike import banner_problem
    from .content.models import TLP_LABELS
    why = banner_problem(value, TLP_LABELS)
    if why:
        raise click.BadParameter(why)
    return value


@main.command()
@click.argument("briefs", nargs=-1, metavar="[BRIEF]...")
@workspace_option
@format_option
@output_option
@click.option("--copies", is_flag=True,
              help="One numbered copy per recipient of the brief's distribution "
                   "(<id>-copy-<n>.pdf/.docx).")
@click.option("--watermark", default="", metavar="TEXT", callback=_watermark_option,
              help="Diagonal watermark on every page, e.g. DRAFT.")
@paper_option
@click.option("--as-of", "as_of", default=None, metavar="DATE", callback=_as_of,
              help="Build the brief as of DATE (2024, 2024-01 or 2024-01-15) instead of its "
                   "own as_of; files are named <id>@DATE.pdf, so other builds are kept.")
@strict_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Build N briefs at a time  [default: the number of CPU cores].")
def build(briefs: tuple[str, ...], workspace_dir: Path, fmt: str | None,
          output_dir: Path | None, copies: bool, watermark: str, paper: str | None,
          as_of, strict: bool, jobs: int | None) -> None:
    """Build briefs (ids or paths to brief files; none = every brief).

    Several briefs build in parallel; one that fails does not stop the others, and the exit
    status is 1 if any failed."""
    from .build import BuildOptions, resolve_briefs
    from .output import ensure_dir
    try:
        extra = [Path(b) for b in briefs if b.endswith((".yaml", ".yml")) and Path(b).is_file()]
        workspace = _load(workspace_dir, extra, strict)
        chosen = resolve_briefs(workspace, list(briefs))
        if not chosen:
            raise UsageError("this workspace has no briefs: add one under content/briefs/")
        out = output_dir or workspace.output_dir
        options = BuildOptions(
            formats=_formats(fmt),
            copies=copies, watermark=" ".join(watermark.split()),
            paper=paper_name(paper) if paper else None,
            strict=strict, as_of=as_of)
        ensure_dir(out)  # once, not once per brief, when it is in the way
        status = _build_batch(workspace, chosen, options, out, jobs)
    except BriefgenError as exc:
        _fail(exc)
    if status:
        raise SystemExit(status)


def _build_batch(workspace, chosen, options, out: Path, jobs: int | None) -> int:
    """Build briefs in parallel; progress on stderr (a bar on a terminal, else one line per
    brief, just before that brief's results), results in brief order on stdout, a summary;
    return the exit status."""
    import sys

    from .batch import build_many, in_order
    started = time.monotonic()
    total = len(chosen)
    use_bar = total > 1 and sys.stderr.isatty()
    results = []

    def show(outcome) -> None:
        for problem in outcome.problems:
            click.echo(f"error: {problem}", err=True)
        if outcome.detail:
            click.echo(outcome.detail.rstrip(), err=True)
        for warning in outcome.warnings:
            click.echo(f"warning: {warning}", err=True)
        for built in outcome.files:
            click.echo(f"wrote {built.path}")

    def progress(outcome, done: int) -> None:
        if bar is not None:
            bar.update(1)

    bar = None
    outcomes = in_order(build_many(workspace, chosen, options, out, jobs), progress)
    if use_bar:
        with click.progressbar(length=total, label="building", file=sys.stderr,
                               show_pos=True) as bar:
            results = list(outcomes)
        for outcome in results:
            show(outcome)
    else:
        # A log (not a terminal) gets each brief's line and then its results, in brief order:
        # lines printed as briefs complete would sit far from the results printed in order.
        for outcome in outcomes:
            results.append(outcome)
            click.echo(f"[{outcome.index + 1}/{total}] {outcome.brief_id} "
                       f"{'ok' if outcome.ok else 'failed'}", err=True)
            show(outcome)
    for warning in workspace.warnings:  # after the briefs' errors, which matter more
        click.echo(f"warning: {warning}", err=True)
    failed = [o for o in results if not o.ok]
    files = sum(len(o.files) for o in results)
    warnings = len(workspace.warnings) + sum(len(o.warnings) for o in results)
    click.echo(f"built {total - len(failed)} brief(s) ({files} file(s)), {len(failed)} failed"
               + (f", {_count(warnings, 'warning')}" if warnings else "")
               + f", in {time.monotonic() - started:.1f} s", err=True)
    return (2 if any(o.usage for o in failed) else 1) if failed else 0


@main.command()
@workspace_option
@strict_option
def validate(workspace_dir: Path, strict: bool) -> None:
    """Check all content and templates; list every problem as path:line: message."""
    from .loading import read_workspace
    from .scope.checks import check_briefs
    from .templating.files import check_templates
    try:
        workspace, problems = read_workspace(workspace_dir)
        briefs = list(workspace.corpus.briefs.values())
        # templates are compiled, not run: what a brief's content makes of them shows at build
        problems += check_templates(workspace.templates_dir, briefs)
        warnings = _raise_problems(problems, workspace.warnings + check_briefs(briefs), strict)
    except BriefgenError as exc:
        _fail(exc)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    c = workspace.corpus
    click.echo(f"ok: {len(c.actors)} actors, {len(c.developments)} developments, "
               f"{len(c.sources)} sources, {len(c.briefs)} briefs"
               + (f"; {_count(len(warnings), 'warning')}" if warnings else ""))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Create a workspace in FOLDER (new or empty): settings, one actor, development, source
    and brief, ready for `briefgen build -w FOLDER`."""
    from .scaffold import init_workspace
    try:
        files = init_workspace(folder)
    except BriefgenError as exc:
        _fail(exc)
    for path in files:
        click.echo(f"created {path}")
    click.echo(f"Next: edit the files under {folder / 'content'}, then run "
               f"`briefgen build -w {folder}` (see {folder / 'README.md'}).", err=True)


@main.group()
def templates() -> None:
    """List the templates, or copy a built-in one into the workspace to edit it."""


@templates.command("list")
@workspace_option
def templates_list(workspace_dir: Path) -> None:
    """Built-in and workspace templates, and which workspace file overrides which built-in."""
    from .templating.files import inventory
    from .workspace_paths import display_path
    for info in inventory(workspace_dir / "templates"):
        if info.workspace and info.builtin:
            how = (f"extends the built-in, replaces blocks: "
                   f"{', '.join(info.overridden_blocks) or 'none'}"
                   if info.extends == f"builtin/{info.builtin.name}" else "replaces the built-in")
            where = f"workspace {display_path(info.workspace)} (overrides built-in; {how})"
        elif info.workspace:
            where = f"workspace {display_path(info.workspace)}"
            if info.extends:
                where += f" (extends {info.extends})"
        else:
            where = "built-in"
        click.echo(f"{info.name:<20} {where}")
        if info.error:
            click.echo(f"{'':<20} error: {info.error}")
        if info.blocks:
            click.echo(f"{'':<20} blocks: {', '.join(info.blocks)}")


@templates.command("export")
@click.argument("name")
@workspace_option
@click.option("--extend", is_flag=True,
              help="Write a stub that extends the built-in and replaces single blocks, "
                   "instead of a full copy.")
@click.option("--force", is_flag=True, help="Replace the workspace's file of that name.")
def templates_export(name: str, workspace_dir: Path, extend: bool, force: bool) -> None:
    """Copy the built-in template NAME into WORKSPACE/templates/ for editing."""
    from .templating.files import export_template
    try:
        target = export_template(name, workspace_dir / "templates", force, extend)
    except BriefgenError as exc:
        _fail(exc)
    click.echo(f"wrote {target}")


@main.command()
@click.argument("kind", type=click.Choice(
    ["actor", "development", "source", "brief", "settings", "theme"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a KIND of file (for editors with a YAML language server)."""
    import json

    from .schemas import schema_for
    click.echo(json.dumps(schema_for(kind), indent=2, ensure_ascii=False))


@main.command()
@click.argument("briefs", nargs=-1, metavar="[BRIEF]...")
@workspace_option
@format_option
@output_option
@paper_option
def watch(briefs: tuple[str, ...], workspace_dir: Path, fmt: str | None,
          output_dir: Path | None, paper: str | None) -> None:
    """Rebuild briefs (default: all) whenever content, templates or the theme change.

    Problems are printed and watching goes on; Ctrl-C stops."""
    from .build import BuildOptions
    from .watch import Watcher, watch as watch_loop
    options = BuildOptions(
        formats=_formats(fmt),
        paper=paper_name(paper) if paper else None)
    extra = [Path(b) for b in briefs if b.endswith((".yaml", ".yml")) and Path(b).is_file()]

    def report(level: str, message: str) -> None:
        if level == "wrote":
            click.echo(f"wrote {message}")
        elif level == "info":
            click.echo(message, err=True)
        else:
            click.echo(f"{level}: {message}", err=True)

    watcher = Watcher(workspace_dir, list(briefs), options, output_dir, report, extra)
    click.echo(f"watching {workspace_dir} (Ctrl-C to stop)", err=True)
    try:
        watch_loop(watcher)
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)


@main.command()
@workspace_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any but a loopback address needs --token-file.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port.")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Renders at a time, each in a warm worker process  [default: the number "
                   "of CPU cores].")
@click.option("--queue", type=click.IntRange(min=0), default=16, show_default=True, metavar="N",
              help="Renders that may wait for a worker; more get 429 Too Many Requests.")
@click.option("--time-limit", type=click.FloatRange(min=0.01), default=60.0,
              show_default=True, metavar="SECONDS",
              help="A render taking longer is stopped: 503 Service Unavailable.")
@click.option("--token-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File holding a token: every route but /health then needs "
                   "'Authorization: Bearer <token>'.")
def serve(workspace_dir: Path, host: str, port: int, workers: int | None, queue: int,
          time_limit: float, token_file: Path | None) -> None:
    """Serve the workspace's briefs over HTTP: a browser preview, and PDF, DOCX and HTML built
    on demand (needs the 'serve' extra: pip install 'briefgen[serve]').

    \b
    Routes:
      GET  /health                 {"status": "ok", "version": ...}, no token needed
      GET  /                       the briefs, as an HTML page
      GET  /briefs/ID              a brief's preview, reloading when a file changes
      GET  /briefs/ID.pdf|docx|html
                                   the document; ?as_of=DATE&copy=N&watermark=TEXT&paper=a4
      GET  /api/briefs             the briefs, as JSON
      POST /api/render?format=pdf  the document for the brief in the JSON body
    """
    from .batch import default_jobs
    try:
        from .serve.run import serve as run_server
        run_server(workspace_dir.resolve(), host, port, workers or default_jobs(), queue,
                   time_limit, token_file)
    except BriefgenError as exc:
        _fail(exc)


# --- briefgen import: data from elsewhere into the workspace (briefgen/importers/) ------------

@main.group("import")
def import_group() -> None:
    """Bring in ACLED events, STIX 2.1 bundles or a spreadsheet as content files.

    Each import writes its own files (content/KIND/NAME*.yaml), says so at their top, and on
    the next run replaces them, reporting what was added, changed and removed; it never touches
    any other file. On any problem nothing is written."""


name_option = click.option("--name", default=None, metavar="NAME",
                           help="Names the files the import writes  [default: the importer].")


def _import(workspace_dir: Path, name: str, file: Path, words: list[str], read) -> None:
    from .importing import command_line, run_import
    try:
        plan = run_import(workspace_dir, name, command_line(workspace_dir, words, file), read)
    except BriefgenError as exc:
        _fail(exc, "nothing was imported and the workspace is as it was", always=True)
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)
    from .workspace_paths import display_path
    for verb, paths in (("wrote", [p for p, _ in plan.writes]), ("removed", plan.deletes)):
        if len(paths) > 12:  # a big import writes a file per month: a count says enough
            click.echo(f"{verb} {len(paths)} files under {display_path(workspace_dir / 'content')}")
        for path in paths if len(paths) <= 12 else ():
            click.echo(f"{verb} {display_path(path)}")
    for line in plan.summary():
        click.echo(line)


@import_group.command("acled")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@workspace_option
@name_option
@click.option("--high", type=click.IntRange(min=1), default=10, show_default=True,
              help="Fatalities from which an event is of high significance.")
@click.option("--medium", type=click.IntRange(min=0), default=1, show_default=True,
              help="Fatalities from which an event is of medium significance (fewer: low).")
def import_acled(file: Path, workspace_dir: Path, name: str | None, high: int,
                 medium: int) -> None:
    """Events of an ACLED CSV export become developments, with their actors and ACLED as
    the source."""
    from .importers.acled import AcledOptions, import_acled as read
    name = name or "acled"
    words = ["acled", "--name", name] + (["--high", str(high)] if high != 10 else []) + \
        (["--medium", str(medium)] if medium != 1 else [])
    if medium > high:
        raise click.BadParameter("--medium must not be above --high", param_hint="--medium")
    _import(workspace_dir, name, file, words,
            lambda: read(file, AcledOptions(name, high, medium)))



@import_group.command("table")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(["actor", "development", "source"]), required=True,
              help="What each row is.")
@workspace_option
@name_option
def import_table(file: Path, kind: str, workspace_dir: Path, name: str | None) -> None:
    """A CSV or XLSX table whose column headers are content fields (lists separated by ';')
    becomes actors, developments or sources."""
    from .importers.items import slugify
    from .importers.table import import_table as read
    name = name or slugify(file.stem)[:40].strip("-") or "table"
    _import(workspace_dir, name, file, ["table", "--kind", kind, "--name", name],
            lambda: read(file, kind))



@import_group.command("stix")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@workspace_option
@name_option
def import_stix(file: Path, workspace_dir: Path, name: str | None) -> None:
    """A STIX 2.1 bundle: threat actors, intrusion sets, identities and campaigns become
    actors with their relations; reports, campaigns and sightings developments."""
    from .importers.stix import import_stix as read
    name = name or "stix"
    _import(workspace_dir, name, file, ["stix", "--name", name], lambda: read(file))


if __name__ == "__main__":
    main()
