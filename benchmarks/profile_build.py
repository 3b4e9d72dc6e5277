#!/usr/bin/env python3
"""Profile one briefgen command in-process with cProfile and list the hot spots.

    python benchmarks/profile_build.py pdf     # build 'big' of the 300-development workspace
    python benchmarks/profile_build.py docx --size 1000
    python benchmarks/profile_build.py validate --size 10000
    python benchmarks/profile_build.py pdf --warm   # a render in a warm `briefgen serve` worker

The command runs through briefgen's own CLI entry point (``briefgen.cli.main``) in a fresh
process, cold, imports included, as a user's ``briefgen build`` would. Prints the pipeline stages
(cumulative time of the main library functions), then the top functions by cumulative and by own
time with their share of the total. The raw profile goes to benchmarks/_work/profile-WHAT-N.prof
(open it with ``python -m pstats`` or snakeviz). cProfile adds overhead to every Python call, so
shares are more telling than absolute times; run.py has the real (unprofiled) timings.

A real load of a big workspace parses its files in several processes (briefgen/loading.py),
which cProfile cannot see; here it is kept in one process, so the profile shows all the work.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# (label, function name, file name ending): the pipeline's stages as the CLI runs them. A name
# that no longer exists simply does not show (the package is changing; adapt the list freely).
STAGES = [
    ("import briefgen.cli (click)", "<module>", "briefgen/cli.py"),
    ("load + validate workspace", "load_workspace", "briefgen/loading.py"),
    ("  YAML parse (with positions)", "load_yaml", "content/yamlpos.py"),
    ("  cross-references", "check_references", "content/crossref.py"),
    ("template -> Markdown", "render", "briefgen/templating/environment.py"),
    ("select (scope)", "select", "briefgen/scope/select.py"),
    ("Markdown -> document tree", "parse_markdown", "briefgen/document/markdown.py"),
    ("figure layout", "build_scene", "briefgen/figures/build.py"),
    ("PDF render (all of it)", "render_pdf", "render/pdf/render.py"),
    ("  reportlab multiBuild", "multiBuild", "reportlab/platypus/doctemplate.py"),
    ("DOCX render (all of it)", "render_docx", "render/docx/render.py"),
    ("  figure PNG (Pillow)", "to_png", "briefgen/figures/draw.py"),
    ("  python-docx save", "save", "docx/document.py"),
    ("glyph coverage warnings", "coverage_warnings", "briefgen/theme/coverage.py"),
    ("write output", "write_atomic", "briefgen/output.py"),
]


def _short(path: str) -> str:
    for marker in ("site-packages/", "/work/main/", "lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def report(stats: pstats.Stats, total: float, top: int) -> str:
    out = io.StringIO()
    entries = stats.stats  # type: ignore[attr-defined]
    print(f"profiled total: {total:.2f} s (cProfile overhead included)\n", file=out)
    print("stage                                  cumulative   share", file=out)
    for label, name, ending in STAGES:
        found = [(ct, cc) for (path, _, func), (cc, nc, tt, ct, callers) in entries.items()
                 if func == name and path.replace("\\", "/").endswith(ending)]
        if found:
            ct = max(c for c, _ in found)
            print(f"  {label:<36} {ct:8.2f} s  {ct / total:6.1%}", file=out)
    for key, title in (("cumulative", "cumulative"), ("tottime", "own (tottime)")):
        print(f"\ntop {top} functions by {title} time:", file=out)
        print(f"  {'cumulative':>10} {'own':>8} {'share':>6} {'calls':>9}  function", file=out)
        rows = sorted(entries.items(), key=lambda kv: kv[1][3 if key == "cumulative" else 2],
                      reverse=True)
        shown = 0
        for (path, line, func), (cc, nc, tt, ct, callers) in rows:
            if key == "cumulative" and ("click/" in path or "exec" in func):
                continue  # wrappers around everything: the CLI framework, exec of modules
            value = ct if key == "cumulative" else tt
            print(f"  {ct:9.2f}s {tt:7.2f}s {value / total:6.1%} {nc:9d}  "
                  f"{func} ({_short(path)}:{line})", file=out)
            shown += 1
            if shown >= top:
                break
    return out.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=["pdf", "docx", "validate"])
    ap.add_argument("--size", type=int, default=None,
                    help="developments (default: 300 for pdf/docx, 10000 for validate)")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--workdir", type=Path, default=HERE / "_work")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--warm", action="store_true",
                    help="pdf/docx: profile a render as a warm `briefgen serve` worker does it "
                         "(workspace loaded, one render done, a new watermark), not the CLI")
    args = ap.parse_args(argv)
    size = args.size or (10_000 if args.what == "validate" else 300)

    import make_workspace
    from run import ensure_workspace
    ws = ensure_workspace(size, args.workdir.resolve(), args.seed or make_workspace.DEFAULT_SEED)
    out = args.workdir.resolve() / f"profile-out-{size}"
    shutil.rmtree(out, ignore_errors=True)
    if args.what == "validate":
        cli_args = ["validate", "-w", str(ws)]
    else:
        cli_args = ["build", "big", "-f", args.what, "-w", str(ws), "-o", str(out)]

    from briefgen import loading
    loading.PARALLEL_MIN_BYTES = float("inf")  # one process: cProfile sees everything (see above)
    if args.warm and args.what != "validate":
        return _warm(ws, args.what, size, args)

    def run() -> None:
        try:
            from briefgen.cli import main as cli_main
            cli_main(cli_args, standalone_mode=False)
        except SystemExit as exc:
            if exc.code:
                print(f"briefgen exited with {exc.code}", file=sys.stderr)

    _profiled(run, f"briefgen {' '.join(cli_args[:4])} ... ({size:,} developments)",
              args.workdir.resolve() / f"profile-{args.what}-{size}.prof", args.top)
    return 0


def _profiled(run, title: str, prof_path: Path, top: int) -> None:
    """Run ``run()`` under cProfile; print the report and keep the raw profile."""
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    try:
        run()
    finally:
        profiler.disable()
    total = time.perf_counter() - start
    profiler.dump_stats(str(prof_path))
    print(f"\n== {title} ==")
    print(report(pstats.Stats(profiler), total, top))
    print(f"raw profile: {prof_path}")


def _warm(ws: Path, fmt: str, size: int, args) -> int:
    """The second render of 'big' in this process, after what a server worker does at start
    (briefgen/serve/worker.py): load the workspace, render once, collect and freeze."""
    import gc
    import os

    from briefgen.build import BuildOptions, rendered_files
    from briefgen.loading import read_workspace
    from briefgen.templating.environment import TemplateRenderer

    os.chdir(ws)
    workspace, problems = read_workspace(Path("."))
    if problems:
        print(f"the workspace has problems: {problems[0]}", file=sys.stderr)
        return 1
    renderer = TemplateRenderer(workspace.templates_dir)
    brief = workspace.corpus.briefs["big"]
    gc.set_threshold(70_000, 10, 10)
    rendered_files(workspace, brief, BuildOptions(formats=[fmt], watermark="warm-up"), renderer, [])
    gc.collect()
    gc.freeze()
    options = BuildOptions(formats=[fmt], watermark="profiled")
    _profiled(lambda: rendered_files(workspace, brief, options, renderer, []),
              f"a warm worker's render of big as {fmt} ({size:,} developments)",
              args.workdir.resolve() / f"profile-{fmt}-{size}-warm.prof", args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
