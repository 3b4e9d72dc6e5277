#!/usr/bin/env python3
"""briefgen benchmark: whole-process wall time and peak memory, side by side with pandoc/WeasyPrint.

    python benchmarks/run.py                  # sizes 100 300 1000 3000, 5 runs (3 for 3000)
    python benchmarks/run.py --quick          # sizes 100 300, 2 runs: a smoke test
    python benchmarks/run.py --sizes 300 --runs 9

For every size N it generates (once, cached) a deterministic workspace with N developments
(make_workspace.py), then, in separate processes and interleaved run by run:

- ``briefgen build big -f pdf``, ``briefgen build big -f docx`` and ``-f html``;
- WeasyPrint on the same text as HTML (``weasyprint big.html big.pdf``), if WeasyPrint is there;
- pandoc on the same text as Markdown (``pandoc big.md -o big.docx``), if pandoc is there.

A row of its own measures ``big`` at N=300 with 30% of the developments' text in Arabic script
(``--arabic-share``; Pashto, Dari, Arabic: HarfBuzz shaping and bidi line by line), PDF and DOCX,
interleaved with the Latin PDF of the same size so their ratio is what the shaping costs.

Every number is a median over the runs, measured around the whole child process: wall time from
start to exit, peak resident memory from ``os.wait4`` (the child's own ``ru_maxrss``). One
unmeasured warm-up run per command comes first (page cache, .pyc files). It also times
``briefgen --help``, ``briefgen validate`` on the repository's sample and on a 10,000-development
workspace, checks the issue's targets, prints PASS/FAIL and writes the table to
benchmarks/RESULTS.md (raw numbers: benchmarks/_work/results.json).

The comparison inputs are made in this process (not timed) through briefgen's library: the
Markdown the template produces for ``big``, turned into HTML with markdown-it-py plus a print CSS
(A4, the same DejaVu TTFs, running marking, page N of M, a contents list with page numbers) and
into pandoc's Markdown dialect (directives mapped to pandoc equivalents). Figures are briefgen's
own scenes, drawn as inline SVG for WeasyPrint and as PNG for pandoc (the drawing is not timed
for pandoc: it only embeds the picture).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import make_acled  # noqa: E402
import make_workspace  # noqa: E402

BRIEF = "big"
TARGETS = {
    "pdf_vs_weasyprint": 0.25,
    "docx_vs_pandoc": 1.0,
    "help_s": 0.3,
    "validate_sample_s": 0.3,
    "validate_big_s": 2.0,
    "validate_big_mb": 300.0,
    "growth": 11.0,
    "import_acled_s": 20.0,
    "import_acled_mb": 500.0,
    "validate_imported_s": 10.0,
}
REF_SIZE, GROWTH_SIZE = 300, 3000
# briefgen's template output is CommonMark (+ tables, footnotes, ::: blocks) with raw HTML shown
# as text: pandoc's reader for exactly that. Its default reader (pandoc's own Markdown) is slower
# and goes quadratic on this text (see README): not a like-for-like comparison.
PANDOC_FROM = "commonmark_x-raw_html"


# --- measuring one whole process ----------------------------------------------------------------

@dataclass
class Sample:
    wall: float  # seconds, start to exit
    cpu: float  # user + system seconds of the child
    rss_mb: float  # peak resident set of the child, MB (10^6 bytes)
    ok: bool
    error: str = ""
    busy: float = 0.0  # share of the CPUs other processes used just before the start


# Linux gives a process the resident set it had at exec time as the floor of its ru_maxrss: a
# child spawned straight from this (large, after importing briefgen and friends) process would
# report at least this process's size. So every measured command is spawned by a tiny launcher
# (python -S, started before anything big is imported), which times it and reads its rusage.
_LAUNCHER_CODE = r"""
import json, os, sys, time
try:  # a higher priority (lower nice value) keeps other work on the machine from skewing times
    os.nice(int(sys.argv[1]))
    sys.stdout.write("%d\n" % os.getpriority(os.PRIO_PROCESS, 0))
except (OSError, IndexError, ValueError):
    sys.stdout.write("%d\n" % os.getpriority(os.PRIO_PROCESS, 0))
sys.stdout.flush()
for line in sys.stdin:
    req = json.loads(line)
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
               (os.POSIX_SPAWN_OPEN, 2, req["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    here = os.getcwd()
    try:
        os.chdir(req["cwd"] or here)
        start = time.perf_counter()
        pid = os.posix_spawnp(req["cmd"][0], req["cmd"], os.environ, file_actions=actions)
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        reply = {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss,
                 "code": os.waitstatus_to_exitcode(status)}
    except OSError as exc:
        reply = {"wall": 0.0, "cpu": 0.0, "maxrss_kb": 0, "code": 127, "error": str(exc)}
    finally:
        os.chdir(here)
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
"""
_launcher: subprocess.Popen | None = None
launcher_nice = 0  # the nice value the measured commands run at


def child_environment(workdir: Path) -> dict:
    """The measured commands' environment: like a user's, with .pyc caching on.

    Some shells (CI images, sandboxes) set PYTHONDONTWRITEBYTECODE, which makes every run of an
    editable install compile briefgen from source again; a user's install has its .pyc files. The
    caches go to WORKDIR/pycache (PYTHONPYCACHEPREFIX), not into the source tree.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    return env


def start_launcher(env: dict | None = None, nice: int = 0) -> None:
    global _launcher, launcher_nice
    if _launcher is None:
        _launcher = subprocess.Popen([sys.executable, "-S", "-E", "-c", _LAUNCHER_CODE,
                                      str(nice)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env)
        launcher_nice = int(_launcher.stdout.readline())


QUIET_BUSY = 0.25  # the machine counts as quiet when others use less than this share of it
quiet_wait = 10.0  # seconds to wait for a quiet machine before each measurement (--quiet-wait)


def cpu_busy(interval: float = 0.3) -> float:
    """The share of all CPUs that was not idle during ``interval`` (from /proc/stat)."""
    def snapshot():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + (fields[4] if len(fields) > 4 else 0)
    try:
        total0, idle0 = snapshot()
        time.sleep(interval)
        total1, idle1 = snapshot()
    except (OSError, ValueError, IndexError):
        return 0.0
    return 1.0 - (idle1 - idle0) / max(1, total1 - total0)


def wait_quiet() -> float:
    """Wait (at most ``quiet_wait`` s) until other processes leave the CPUs alone; how busy."""
    deadline = time.monotonic() + quiet_wait
    busy = cpu_busy()
    while busy >= QUIET_BUSY and time.monotonic() < deadline:
        busy = cpu_busy(1.0)
    return busy


def measure(cmd: list[str], cwd: Path | None = None, log: Path | None = None,
            quiet: bool = True) -> Sample:
    """Run ``cmd`` to completion: its own wall time, CPU time and peak RSS (os.wait4)."""
    busy = wait_quiet() if quiet and quiet_wait > 0 else 0.0
    start_launcher()
    assert _launcher is not None and _launcher.stdin and _launcher.stdout
    request = {"cmd": [str(c) for c in cmd], "cwd": str(cwd) if cwd else None,
               "log": str(log or os.devnull)}
    _launcher.stdin.write(json.dumps(request) + "\n")
    _launcher.stdin.flush()
    reply = json.loads(_launcher.stdout.readline())
    error = ""
    if reply["code"] != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log else []
        error = f"exit {reply['code']}: " + " | ".join([reply.get("error", "")] + tail).strip(" |")
    return Sample(reply["wall"], reply["cpu"], reply["maxrss_kb"] * 1024 / 1e6,
                  reply["code"] == 0, error, busy)


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(s.ok for s in self.samples)

    @property
    def error(self) -> str:
        return next((s.error for s in self.samples if not s.ok), "")

    def median(self, attr: str = "wall") -> float | None:
        good = [getattr(s, attr) for s in self.samples if s.ok]
        return statistics.median(good) if good and self.ok else None

    def to_json(self) -> dict:
        return {"median_wall_s": self.median("wall"), "median_cpu_s": self.median("cpu"),
                "median_rss_mb": self.median("rss_mb"), "ok": self.ok, "error": self.error,
                "runs": [vars(s) for s in self.samples], **self.extra}


# --- tools --------------------------------------------------------------------------------------

def briefgen_command(given: str | None) -> list[str]:
    if given:
        return given.split()
    script = Path(sys.executable).parent / "briefgen"
    return [str(script)] if script.exists() else [sys.executable, "-m", "briefgen"]


def find_weasyprint(given: str | None) -> tuple[list[str] | None, str]:
    """The WeasyPrint command (whole process) and its version, or None and why not."""
    if given:
        cmd = given.split()
    else:
        script = Path(sys.executable).parent / "weasyprint"
        found = shutil.which("weasyprint")
        cmd = [str(script)] if script.exists() else [found] if found else None
    if not cmd:
        return None, ("WeasyPrint is not installed (pip install weasyprint, in this venv or "
                      "another one, then --weasyprint PATH): PDF comparison skipped")
    try:
        out = subprocess.run(cmd + ["--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"WeasyPrint could not be started ({exc}): PDF comparison skipped"
    if out.returncode != 0:
        return None, (f"WeasyPrint does not run ({(out.stderr or out.stdout).strip()[:200]}): "
                      "PDF comparison skipped")
    return cmd, out.stdout.strip()


def find_pandoc(given: str | None) -> tuple[list[str] | None, str]:
    path = given or shutil.which("pandoc")
    if not path:
        return None, ("pandoc is not installed (apt-get install -y pandoc): DOCX comparison "
                      "skipped")
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"pandoc could not be started ({exc}): DOCX comparison skipped"
    if out.returncode != 0:
        return None, "pandoc does not run: DOCX comparison skipped"
    return [path], out.stdout.splitlines()[0].strip()


# --- workspaces ---------------------------------------------------------------------------------

def ensure_workspace(n: int, workdir: Path, seed: int, arabic_share: float = 0.0) -> Path:
    """The workspace for N developments, regenerated when the generator or seed changed;
    ``arabic_share`` > 0: that share of the developments' text in Arabic script."""
    ws = workdir / (f"ws-{n}-arabic-{arabic_share:g}" if arabic_share else f"ws-{n}")
    stamp = hashlib.sha256((HERE / "make_workspace.py").read_bytes()).hexdigest()[:16]
    stamp = f"{stamp} seed={seed} n={n}" + (f" arabic={arabic_share:g}" if arabic_share else "")
    stamp_file = ws / ".bench-stamp"
    if not (stamp_file.is_file() and stamp_file.read_text() == stamp):
        print(f"  generating workspace with {n:,} developments ...", flush=True)
        make_workspace.make_workspace(n, ws, seed, arabic_share)
        stamp_file.write_text(stamp)
    return ws


def workspace_counts(ws: Path) -> dict:
    import yaml
    counts = {}
    for kind in ("developments", "actors", "sources"):
        total = 0
        for path in sorted((ws / "content" / kind).glob("*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader",
                                                                                yaml.SafeLoader))
            total += len(data) if isinstance(data, list) else 1
        counts[kind] = total
    return counts


# --- the same text for pandoc and WeasyPrint ----------------------------------------------------

@dataclass
class Exported:
    markdown: str  # what the template produced (briefgen's input to its Markdown parser)
    title: str
    marking: str
    figures: list  # briefgen Figure nodes, in document order ([] when unavailable)
    notes: list[str] = field(default_factory=list)


def export_brief(ws: Path, brief_id: str) -> Exported:
    """The template's Markdown for a brief, through briefgen's library (adapts to its API)."""
    from briefgen import build as bb
    from briefgen.loading import load_workspace
    from briefgen.templating.environment import TemplateRenderer

    workspace = load_workspace(ws)
    brief = workspace.corpus.briefs[brief_id]
    renderer = TemplateRenderer(workspace.templates_dir)
    notes = []
    if hasattr(bb, "brief_markdown"):
        markdown, context = bb.brief_markdown(workspace, brief, renderer)
    else:  # older API: the steps of document_for
        from briefgen.scope.context import template_context
        from briefgen.scope.select import select
        context = template_context(workspace.corpus, select(workspace.corpus, brief))
        markdown = renderer.render(brief.template, context, brief.origin.path)
    marking = context.get("marking") or ""
    figures = []
    try:
        document = bb.document_for(workspace, brief, renderer)
        figures = [node for node in _walk(document.children) if type(node).__name__ == "Figure"]
    except Exception as exc:  # the comparison still runs, with placeholder figures
        notes.append(f"briefgen's document tree was not available for figure data "
                     f"({type(exc).__name__}: {exc}); figures are placeholders")
    return Exported(markdown, brief.title, marking, figures, notes)


def _walk(nodes):
    for node in nodes:
        yield node
        for attr in ("children", "items"):
            sub = getattr(node, attr, None)
            if isinstance(sub, list):
                yield from _walk(sub)


_DIRECTIVE = re.compile(r"^::: *(\w[\w-]*)(.*)$")


def _theme():
    try:
        from briefgen.theme.model import default_theme
        return default_theme("A4")
    except Exception:
        return None


def _figure_width(theme) -> float:
    if theme is None:
        return 459.0
    return theme.page_size[0] - theme.margin_left - theme.margin_right


def scene_svg(scene) -> str:
    """briefgen's neutral figure scene (points, y down) as inline SVG."""
    def paint(fill, stroke, width):
        return (f'fill="{fill or "none"}" stroke="{stroke or "none"}" '
                f'stroke-width="{width:g}"')
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{scene.width:.1f}pt" '
           f'height="{scene.height:.1f}pt" viewBox="0 0 {scene.width:.2f} {scene.height:.2f}">']
    for item in scene.items:
        kind = type(item).__name__
        if kind == "Line":
            pts = " ".join(f"{x:.2f},{y:.2f}" for x, y in item.points)
            dash = f' stroke-dasharray="{",".join(f"{d:g}" for d in item.dash)}"' \
                if item.dash else ""
            out.append(f'<polyline points="{pts}" {paint(None, item.stroke, item.width)}{dash}/>')
        elif kind == "Rect":
            out.append(f'<rect x="{item.x:.2f}" y="{item.y:.2f}" width="{item.w:.2f}" '
                       f'height="{item.h:.2f}" rx="{item.radius:g}" '
                       f'{paint(item.fill, item.stroke, item.width)}/>')
        elif kind == "Circle":
            out.append(f'<circle cx="{item.cx:.2f}" cy="{item.cy:.2f}" r="{item.r:.2f}" '
                       f'{paint(item.fill, item.stroke, item.width)}/>')
        elif kind == "Polygon":
            pts = " ".join(f"{x:.2f},{y:.2f}" for x, y in item.points)
            out.append(f'<polygon points="{pts}" {paint(item.fill, item.stroke, item.width)}/>')
        elif kind == "TextItem":
            weight = ' font-weight="bold"' if "bold" in item.face else ""
            style = ' font-style="italic"' if "italic" in item.face else ""
            out.append(f'<text x="{item.x:.2f}" y="{item.y:.2f}" font-family="DejaVu Sans" '
                       f'font-size="{item.size:g}" fill="{item.colour}" '
                       f'text-anchor="{item.anchor}"{weight}{style}>'
                       f'{html.escape(item.text)}</text>')
    out.append("</svg>")
    return "".join(out)


def figure_svg(fig, theme) -> str:
    try:
        from briefgen.figures.build import build_scene
        return scene_svg(build_scene(fig, _figure_width(theme), theme))
    except Exception:
        return placeholder_svg(_figure_width(theme), 240.0)


def placeholder_svg(width: float, height: float) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}pt" '
            f'height="{height:.0f}pt">'
            f'<rect x="0" y="0" width="{width:.0f}" height="{height:.0f}" fill="#EEF2F7"/></svg>')


def figure_png(fig, theme) -> bytes:
    try:
        from briefgen.figures.build import figure_png as draw
        return draw(fig, _figure_width(theme), theme, 200)
    except Exception:
        import struct
        import zlib
        w, h = 1275, 666  # 6.4 x 3.3 in at 200 dpi, light grey

        def chunk(tag, data):
            return (struct.pack(">I", len(data)) + tag + data
                    + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))
        raw = b"".join(b"\x00" + b"\xee\xf2\xf7" * w for _ in range(h))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _marking_colours(marking: str) -> tuple[str, str]:
    try:
        from briefgen.theme.model import marking_colours
        found = marking_colours(marking)
    except Exception:
        found = None
    return found or ("#000000", "#FFFFFF")


def _font_dir() -> Path | None:
    try:
        from briefgen.fonts.faces import dejavu_serif
        return dejavu_serif().regular.parent
    except Exception:
        return None


def print_css(marking: str, title: str, theme) -> str:
    fonts = _font_dir()
    faces = []
    if fonts:
        for family, stem, oblique in (("DejaVu Serif", "DejaVuSerif", "Italic"),
                                      ("DejaVu Sans", "DejaVuSans", "Oblique")):
            for suffix, weight, style in (("", "normal", "normal"), ("-Bold", "bold", "normal"),
                                          (f"-{oblique}", "normal", "italic"),
                                          (f"-Bold{oblique}", "bold", "italic")):
                url = (fonts / f"{stem}{suffix}.ttf").as_uri()
                faces.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                             f'font-style: {style}; src: url("{url}"); }}')
    fg, bg = _marking_colours(marking)
    mark = json.dumps(marking)
    short = json.dumps(title if len(title) <= 70 else title[:67] + "...")
    m = (theme.margin_top, theme.margin_right, theme.margin_bottom, theme.margin_left) \
        if theme else (72, 68, 64, 68)
    return "\n".join(faces) + f"""
@page {{
  size: A4; margin: {m[0]}pt {m[1]}pt {m[2]}pt {m[3]}pt;
  @top-left {{ content: {short}; font: 8pt "DejaVu Sans"; color: #5A5A5A; }}
  @top-right {{ content: {mark}; font: bold 12pt "DejaVu Sans"; color: {fg}; background: {bg};
               padding: 1pt 6pt; }}
  @bottom-left {{ content: {mark}; font: bold 8pt "DejaVu Sans"; color: {fg}; background: {bg};
                 padding: 1pt 4pt; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font: 8pt "DejaVu Sans"; }}
}}
@page :first {{ @top-left {{ content: none; }} }}
html {{ font-family: "DejaVu Serif"; font-size: 10pt; line-height: 14pt; color: #1A1A1A; }}
h1, h2, h3, h4, h5, h6 {{ font-family: "DejaVu Sans"; color: #14325C; break-after: avoid;
  line-height: 1.2; margin: 1.1em 0 0.4em; }}
h1 {{ font-size: 20pt; }} h2 {{ font-size: 15pt; }} h3 {{ font-size: 12.5pt; }}
h4 {{ font-size: 11pt; }}
p {{ margin: 0 0 6pt; orphans: 2; widows: 2; }}
a {{ color: #1F5FA8; text-decoration: none; }}
.titleblock {{ break-after: page; padding-top: 120pt; }}
.bluf, .judgment, .note, .warning {{ background: #EEF2F7; border-left: 3pt solid #14325C;
  padding: 6pt 9pt; margin: 8pt 0; break-inside: avoid; }}
.pagebreak {{ break-after: page; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8pt; line-height: 10pt;
  margin: 6pt 0; }}
th {{ background: #14325C; color: #FFFFFF; text-align: left; }}
td, th {{ border: 0.5pt solid #C8CED6; padding: 3pt 4pt; vertical-align: top; }}
tbody tr:nth-child(even) td {{ background: #F4F6F9; }}
figure {{ margin: 8pt 0; break-inside: avoid; }} figcaption {{ font-size: 8pt; color: #5A5A5A; }}
nav.contents ul {{ list-style: none; padding: 0; }} nav.contents li.l3 {{ padding-left: 14pt; }}
nav.contents a::after {{ content: leader('.') target-counter(attr(href), page); }}
nav.contents {{ break-after: page; }}
.footnote-ref {{ font-size: 7pt; }} .footnotes {{ font-size: 8.5pt; line-height: 11pt; }}
hr.footnotes-sep {{ display: none; }}
"""


def _slug(text: str, used: set[str]) -> str:
    base = re.sub(r"[^\w]+", "-", text.casefold()).strip("-") or "section"
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


def to_html(exp: Exported, theme) -> str:
    """The template's Markdown as a print-ready HTML page (markdown-it-py, like briefgen)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    figures = iter(exp.figures)
    closers: list[str] = []  # what each open ::: block closes with
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])

    def render_box(self, tokens, idx, options, env):
        token = tokens[idx]
        words = token.info.split(maxsplit=2)
        kind = words[0] if words else ""
        if token.nesting == -1:
            return closers.pop() if closers else "</div>\n"
        if kind == "contents":
            closers.append("")
            return "<!--CONTENTS-->\n"
        if kind == "notes":
            closers.append("")
            return ""
        if kind == "pagebreak":
            closers.append("")
            return '<div class="pagebreak"></div>\n'
        if kind == "figure":
            closers.append("")
            caption = html.escape(words[2]) if len(words) > 2 else ""
            fig = next(figures, None)
            svg = figure_svg(fig, theme) if fig is not None else placeholder_svg(
                _figure_width(theme), 240.0)
            return f"<figure>{svg}<figcaption>{caption}</figcaption></figure>\n"
        closers.append("</div>\n")
        return f'<div class="{html.escape(kind)}">\n'

    container_plugin(md, "box", validate=lambda params, *a: bool(params.strip()), render=render_box)
    footnote_plugin(md)
    env: dict = {}
    tokens = md.parse(exp.markdown, env)
    used: set[str] = set()
    toc = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            text = tokens[i + 1].content
            slug = _slug(text, used)
            tok.attrSet("id", slug)
            if tok.tag in ("h2", "h3"):
                toc.append((tok.tag, slug, text))
    body = md.renderer.render(tokens, md.options, env)
    if "<!--CONTENTS-->" in body:
        items = "".join(f'<li class="l{tag[1]}"><a href="#{slug}">{html.escape(_plain(text))}'
                        f'</a></li>' for tag, slug, text in toc)
        body = body.replace("<!--CONTENTS-->",
                            f'<nav class="contents"><h2>Contents</h2><ul>{items}</ul></nav>', 1)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(exp.title)}</title>"
            f"<style>{print_css(exp.marking, exp.title, theme)}</style></head>\n"
            f"<body>\n{body}</body></html>\n")


def _plain(markdown_inline: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown_inline).replace("*", "")


def to_pandoc_markdown(exp: Exported, theme, out_dir: Path) -> tuple[str, list[str]]:
    """The template's Markdown in pandoc's dialect; extra pandoc options (--toc)."""
    lines = exp.markdown.splitlines()
    out: list[str] = []
    options: list[str] = []
    figures = iter(exp.figures)
    n_fig = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _DIRECTIVE.match(line)
        if m:
            kind, rest = m.group(1), m.group(2).strip()
            if kind in ("contents", "notes", "pagebreak", "figure"):
                # a directive: its closing ':::' follows right away
                if i + 1 < len(lines) and lines[i + 1].strip() == ":::":
                    i += 1
                if kind == "contents":
                    options.append("--toc")
                elif kind == "pagebreak":
                    out += ["", "```{=openxml}", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
                            "```", ""]
                elif kind == "figure":
                    n_fig += 1
                    fig = next(figures, None)
                    png = out_dir / f"figure-{n_fig}.png"
                    png.write_bytes(figure_png(fig, theme))
                    caption = rest.split(maxsplit=1)[1] if len(rest.split()) > 1 else ""
                    out += ["", f"![{caption}]({png.name}){{width=100%}}", ""]
                i += 1
                continue
            out.append(f"::: {kind}")  # a callout: pandoc's fenced div with that class
            i += 1
            continue
        out.append(line)
        i += 1
    return "\n".join(out) + "\n", sorted(set(options))


def count_pages(pdf: Path) -> int | None:
    try:
        import pypdf
        return len(pypdf.PdfReader(str(pdf)).pages)
    except Exception:
        return None


# --- one size -----------------------------------------------------------------------------------

def bench_size(n: int, args, tools: dict, notes: list[str]) -> dict:
    ws = ensure_workspace(n, args.workdir, args.seed)
    out = args.workdir / f"out-{n}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    runs = args.runs if n <= args.large_from else min(args.runs, args.large_runs)
    bg = tools["briefgen"]
    result: dict = {"size": n, "runs": runs, "counts": workspace_counts(ws), "workspace": str(ws)}

    check = measure(bg + ["validate", "-w", str(ws)], log=out / "validate.log")
    if not check.ok:
        notes.append(f"N={n}: the generated workspace does not validate: {check.error}")

    commands: dict[str, tuple[list[str], Path | None]] = {
        "pdf": (bg + ["build", BRIEF, "-f", "pdf", "-w", str(ws), "-o", str(out)], None),
        "docx": (bg + ["build", BRIEF, "-f", "docx", "-w", str(ws), "-o", str(out)], None),
        "html": (bg + ["build", BRIEF, "-f", "html", "-w", str(ws), "-o", str(out)], None),
        "validate": (bg + ["validate", "-w", str(ws)], None),
    }
    compare = args.compare_sizes is None or n in args.compare_sizes
    if compare and (tools["weasyprint"] or tools["pandoc"]):
        try:
            exp = export_brief(ws, BRIEF)
            notes.extend(f"N={n}: {x}" for x in exp.notes)
            theme = _theme()
            cmp_dir = out / "compare"
            cmp_dir.mkdir()
            (cmp_dir / "big.briefgen.md").write_text(exp.markdown, encoding="utf-8")
            result["markdown_chars"] = len(exp.markdown)
            if tools["weasyprint"]:
                (cmp_dir / "big.html").write_text(to_html(exp, theme), encoding="utf-8")
                commands["weasyprint"] = (tools["weasyprint"] + ["big.html", "big.pdf"], cmp_dir)
            if tools["pandoc"]:
                text, options = to_pandoc_markdown(exp, theme, cmp_dir)
                (cmp_dir / "big.md").write_text(text, encoding="utf-8")
                commands["pandoc"] = (tools["pandoc"] + ["-f", args.pandoc_from, "big.md", "-o",
                                                         "big.docx"] + options, cmp_dir)
                result["pandoc_options"] = options
        except Exception as exc:
            notes.append(f"N={n}: could not export the brief's text for the comparison "
                         f"({type(exc).__name__}: {exc}); comparisons skipped at this size")

    series = {name: Series() for name in commands}
    failed: set[str] = set()
    for name, (cmd, cwd) in commands.items():  # warm-up, not counted
        warm = measure(cmd, cwd, log=out / f"{name}.log", quiet=False)
        if not warm.ok:
            failed.add(name)
            series[name].samples.append(warm)
            notes.append(f"N={n}: `{name}` failed: {warm.error}")
    for run in range(runs):
        for name, (cmd, cwd) in commands.items():
            if name in failed:
                continue
            series[name].samples.append(measure(cmd, cwd, log=out / f"{name}.log"))
        line = "  ".join(f"{name} {series[name].samples[-1].wall:6.2f}s"
                         for name in commands if name not in failed)
        print(f"  N={n:>5} run {run + 1}/{runs}: {line}", flush=True)

    if series["pdf"].ok:
        result_pages = count_pages(out / f"{BRIEF}.pdf")
        series["pdf"].extra["pages"] = result_pages
        series["pdf"].extra["bytes"] = (out / f"{BRIEF}.pdf").stat().st_size
    if series["docx"].ok:
        series["docx"].extra["bytes"] = (out / f"{BRIEF}.docx").stat().st_size
    if series["html"].ok:
        series["html"].extra["bytes"] = (out / f"{BRIEF}.html").stat().st_size
    if "weasyprint" in series and series["weasyprint"].ok:
        series["weasyprint"].extra["pages"] = count_pages(out / "compare" / "big.pdf")
    result["series"] = {name: s.to_json() for name, s in series.items()}
    return result


def bench_arabic(args, tools: dict, notes: list[str]) -> dict:
    """The Arabic-script row: ``big`` at N=REF_SIZE with ``--arabic-share`` of the developments'
    text in Pashto, Dari and Arabic (HarfBuzz shaping, bidi line by line), PDF and DOCX, with
    the Latin PDF of the same size measured in the same interleaved runs (the ratio between the
    two is what shaping costs, free of the machine's load at the time)."""
    n = REF_SIZE
    ws = ensure_workspace(n, args.workdir, args.seed, args.arabic_share)
    latin = ensure_workspace(n, args.workdir, args.seed)
    out = args.workdir / f"out-{n}-arabic"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    bg = tools["briefgen"]
    commands = {
        "pdf": bg + ["build", BRIEF, "-f", "pdf", "-w", str(ws), "-o", str(out)],
        "docx": bg + ["build", BRIEF, "-f", "docx", "-w", str(ws), "-o", str(out)],
        "latin_pdf": bg + ["build", BRIEF, "-f", "pdf", "-w", str(latin), "-o",
                           str(out / "latin")],
    }
    series = {name: Series() for name in commands}
    for name, cmd in commands.items():  # warm-up, not counted
        warm = measure(cmd, log=out / f"{name}.log", quiet=False)
        if not warm.ok:
            notes.append(f"Arabic-script row: `{name}` failed: {warm.error}")
            return {"size": n, "share": args.arabic_share, "runs": 0, "series": {}}
    for run in range(args.runs):
        for name, cmd in commands.items():
            series[name].samples.append(measure(cmd, log=out / f"{name}.log"))
        print(f"  Arabic-script N={n} run {run + 1}/{args.runs}: "
              + "  ".join(f"{k} {series[k].samples[-1].wall:6.2f}s" for k in commands),
              flush=True)
    if series["pdf"].ok:
        series["pdf"].extra["pages"] = count_pages(out / f"{BRIEF}.pdf")
    return {"size": n, "share": args.arabic_share, "runs": args.runs,
            "series": {name: x.to_json() for name, x in series.items()}}


def arabic_lines(results: dict) -> list[str]:
    """The Arabic-script row of RESULTS.md (nothing when it was not measured)."""
    r = results.get("arabic")
    if not r or not r.get("series"):
        return []
    s = r["series"]

    def cell(name, attr="median_wall_s", digits=2):
        x = s.get(name)
        return "—" if x is None else "error" if not x["ok"] else _s(x.get(attr), digits)

    def ratio(attr):
        a, b = s.get("pdf", {}).get(attr), s.get("latin_pdf", {}).get(attr)
        return _s(_ratio(a, b))

    pages = s.get("pdf", {}).get("pages")
    return [
        "",
        f"Arabic-script text: `big` at N={r['size']} with {r['share']:.0%} of the developments' "
        "text in Pashto, Dari and Arabic (`make_workspace.py N --arabic-share "
        f"{r['share']:g}`), measured in the same runs as the Latin PDF of the same size.",
        "",
        "| developments | runs | pages (PDF) | PDF s | PDF CPU s | PDF MB | Latin PDF s "
        "| PDF / Latin PDF (wall, CPU) | DOCX s | DOCX CPU s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {r['size']:,} | {r['runs']} | {'—' if pages is None else pages} | {cell('pdf')} "
        f"| {cell('pdf', 'median_cpu_s')} | {cell('pdf', 'median_rss_mb', 0)} "
        f"| {cell('latin_pdf')} | {ratio('median_wall_s')}, {ratio('median_cpu_s')} "
        f"| {cell('docx')} | {cell('docx', 'median_cpu_s')} |",
    ]


# --- report -------------------------------------------------------------------------------------

def machine_info(tools: dict) -> dict:
    from importlib import metadata
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        pass

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    commit = ""
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--",
                                "briefgen", "templates"], capture_output=True, text=True).stdout
        if dirty.strip():
            commit += " + uncommitted changes"
    except OSError:
        pass
    # From the benchmarks folder: "python -c" puts the current folder first on sys.path.
    where = subprocess.run([sys.executable, "-c", "import briefgen; print(briefgen.__file__)"],
                           capture_output=True, text=True, cwd=HERE).stdout.strip()
    if where and Path(where).parent.parent != REPO:
        commit = f"imported from {Path(where).parent}, not this checkout"
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cores": os.cpu_count(), "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "briefgen": f"{version('briefgen')} ({commit})" if commit else version("briefgen"),
        "reportlab": version("reportlab"), "python-docx": version("python-docx"),
        "markdown-it-py": version("markdown-it-py"), "Jinja2": version("Jinja2"),
        "PyYAML": version("PyYAML"),
        "pandoc": tools["pandoc_version"], "WeasyPrint": tools["weasyprint_version"],
    }


def _s(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def evaluate(results: dict) -> list[dict]:
    """Each target: what was measured, the limit, PASS / FAIL / n/a."""
    sizes = {r["size"]: r for r in results["sizes"]}

    def med(size: int, name: str, attr: str = "median_wall_s"):
        s = sizes.get(size, {}).get("series", {}).get(name)
        return s.get(attr) if s else None

    def row(what: str, value: float | None, limit: float, unit: str, why_na: str = "",
            cpu: float | None = None) -> dict:
        status = "n/a" if value is None else ("PASS" if value <= limit else "FAIL")
        return {"target": what, "value": value, "limit": limit, "unit": unit, "status": status,
                "note": why_na if value is None else "", "cpu_value": cpu}

    def cpu_ratio(size_a: int, a: str, size_b: int, b: str):
        return _ratio(med(size_a, a, "median_cpu_s"), med(size_b, b, "median_cpu_s"))

    def na_reason(size: int, *names: str) -> str:
        if size not in sizes:
            return f"N={size} not run"
        for name in names:
            s = sizes[size]["series"].get(name)
            if s is None:
                return f"{name} not available"
            if not s["ok"]:
                return f"{name} failed"
        return ""

    out = [
        row(f"PDF time / WeasyPrint time (N={REF_SIZE})",
            _ratio(med(REF_SIZE, "pdf"), med(REF_SIZE, "weasyprint")),
            TARGETS["pdf_vs_weasyprint"], "x", na_reason(REF_SIZE, "pdf", "weasyprint"),
            cpu_ratio(REF_SIZE, "pdf", REF_SIZE, "weasyprint")),
        row(f"DOCX time / pandoc time (N={REF_SIZE})",
            _ratio(med(REF_SIZE, "docx"), med(REF_SIZE, "pandoc")),
            TARGETS["docx_vs_pandoc"], "x", na_reason(REF_SIZE, "docx", "pandoc"),
            cpu_ratio(REF_SIZE, "docx", REF_SIZE, "pandoc")),
        row("`briefgen --help`", results["help"]["median_wall_s"], TARGETS["help_s"], "s",
            "failed", results["help"]["median_cpu_s"]),
        row("`briefgen validate` on the sample", results["validate_sample"]["median_wall_s"],
            TARGETS["validate_sample_s"], "s", "failed",
            results["validate_sample"]["median_cpu_s"]),
        row(f"`briefgen validate`, {results['validate_big']['size']:,} developments: time",
            results["validate_big"]["median_wall_s"], TARGETS["validate_big_s"], "s", "failed",
            results["validate_big"]["median_cpu_s"]),
        row(f"`briefgen validate`, {results['validate_big']['size']:,} developments: peak memory",
            results["validate_big"]["median_rss_mb"], TARGETS["validate_big_mb"], "MB", "failed"),
        *_import_rows(results, row),
        row(f"PDF time(N={GROWTH_SIZE}) / time(N={REF_SIZE})",
            _ratio(med(GROWTH_SIZE, "pdf"), med(REF_SIZE, "pdf")), TARGETS["growth"], "x",
            na_reason(GROWTH_SIZE, "pdf") or na_reason(REF_SIZE, "pdf"),
            cpu_ratio(GROWTH_SIZE, "pdf", REF_SIZE, "pdf")),
        row(f"DOCX time(N={GROWTH_SIZE}) / time(N={REF_SIZE})",
            _ratio(med(GROWTH_SIZE, "docx"), med(REF_SIZE, "docx")), TARGETS["growth"], "x",
            na_reason(GROWTH_SIZE, "docx") or na_reason(REF_SIZE, "docx"),
            cpu_ratio(GROWTH_SIZE, "docx", REF_SIZE, "docx")),
    ]
    return out


def _import_rows(results: dict, row) -> list:
    """`briefgen import acled` of a big export, and `validate` of the workspace it gives."""
    imp, val = results.get("import_acled"), results.get("validate_imported")
    if not imp:
        return []
    n = f"{imp['size']:,}"
    return [
        row(f"`briefgen import acled`, {n} events: time", imp["median_wall_s"],
            TARGETS["import_acled_s"], "s", "failed", imp["median_cpu_s"]),
        row(f"`briefgen import acled`, {n} events: peak memory", imp["median_rss_mb"],
            TARGETS["import_acled_mb"], "MB", "failed"),
        row(f"`briefgen validate` after importing {n} events", val["median_wall_s"],
            TARGETS["validate_imported_s"], "s", "failed", val["median_cpu_s"]),
    ]


def bench_import(args, bg: list[str], logs: Path, notes: list[str]) -> dict:
    """Each run imports the export into a new workspace (`briefgen init`), then validates it."""
    n = args.import_size
    export = args.workdir / f"acled-{n}.csv"
    if not export.exists():
        make_acled.write(n, export, args.seed)
    runs = min(args.runs, 3)
    imports, validates = [], []
    for i in range(runs + 1):  # the first is a warm-up
        ws = args.workdir / f"acled-ws-{n}"
        subprocess.run(["rm", "-rf", str(ws)], check=True)
        subprocess.run(bg + ["init", str(ws)], check=True, capture_output=True)
        first = measure(bg + ["import", "acled", str(export), "-w", str(ws)],
                        log=logs / "import_acled.log", quiet=i > 0)
        second = measure(bg + ["validate", "-w", str(ws)], log=logs / "validate_imported.log",
                         quiet=i > 0)
        if i:
            imports.append(first)
            validates.append(second)
    out = {}
    for name, samples in (("import_acled", imports), ("validate_imported", validates)):
        series = Series(samples)
        if not series.ok:
            notes.append(f"{name} on {n:,} events failed: {series.error}")
        out[name] = {"size": n, **series.to_json()}
    return out


def render_markdown(results: dict, targets: list[dict]) -> str:
    m = results["machine"]
    lines = [
        "# briefgen benchmark results",
        "",
        f"Measured {m['date']} with `{results['command']}`.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}; Python {m['python']}, "
        f"briefgen {m['briefgen']}, reportlab {m['reportlab']}, python-docx {m['python-docx']}, "
        f"markdown-it-py {m['markdown-it-py']}, Jinja2 {m['Jinja2']}, PyYAML {m['PyYAML']}; "
        f"{m['pandoc']}; {m['WeasyPrint']}; {m.get('load', '')}.",
        "",
        "Times are medians of whole-process wall time (seconds) over the runs; memory is the "
        "median peak resident set of the process (MB = 10^6 bytes). The brief is `big` of a "
        "synthetic workspace (`benchmarks/make_workspace.py N`): every development in scope.",
        "",
        "| developments | actors | sources | runs | pages (PDF) | PDF s | PDF MB | WeasyPrint s "
        "| PDF / WeasyPrint | DOCX s | DOCX MB | pandoc s | DOCX / pandoc | HTML s | HTML MB "
        "| validate s | validate MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["sizes"]:
        s = r["series"]

        def get(name, attr="median_wall_s"):
            x = s.get(name)
            if x is None:
                return None
            return x.get(attr)

        def cell(name, attr="median_wall_s", digits=2):
            x = s.get(name)
            if x is None:
                return "—"
            if not x["ok"]:
                return "error"
            return _s(x.get(attr), digits)

        pages = get("pdf", "pages")
        wpages = get("weasyprint", "pages")
        page_cell = "—" if pages is None else str(pages)
        if wpages:
            page_cell += f" (W: {wpages})"
        c = r["counts"]
        lines.append(
            f"| {c['developments']:,} | {c['actors']:,} | {c['sources']:,} | {r['runs']} "
            f"| {page_cell} | {cell('pdf')} | {cell('pdf', 'median_rss_mb', 0)} "
            f"| {cell('weasyprint')} | {_s(_ratio(get('pdf'), get('weasyprint')))} "
            f"| {cell('docx')} | {cell('docx', 'median_rss_mb', 0)} | {cell('pandoc')} "
            f"| {_s(_ratio(get('docx'), get('pandoc')))} | {cell('html')} "
            f"| {cell('html', 'median_rss_mb', 0)} | {cell('validate')} "
            f"| {cell('validate', 'median_rss_mb', 0)} |")
    lines += [
        "",
        "CPU time (user + system, medians, seconds): less sensitive than wall time to other work "
        "on the machine.",
        "",
        "| developments | PDF | WeasyPrint | DOCX | pandoc | HTML | validate |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["sizes"]:
        cells = []
        for name in ("pdf", "weasyprint", "docx", "pandoc", "html", "validate"):
            x = r["series"].get(name)
            cells.append("—" if x is None else "error" if not x["ok"] else _s(x["median_cpu_s"]))
        lines.append(f"| {r['counts']['developments']:,} | " + " | ".join(cells) + " |")
    lines += arabic_lines(results)
    h, vs, vb = results["help"], results["validate_sample"], results["validate_big"]
    lines += [
        "",
        f"Other commands: `briefgen --help` {_s(h['median_wall_s'])} s "
        f"({_s(h['median_rss_mb'], 0)} MB); `briefgen validate` on the repository's sample "
        f"{_s(vs['median_wall_s'])} s ({_s(vs['median_rss_mb'], 0)} MB); on "
        f"{vb['size']:,} developments {_s(vb['median_wall_s'])} s "
        f"({_s(vb['median_rss_mb'], 0)} MB).",
        "",
        "| target | measured | limit | result | the same in CPU time |",
        "|---|---:|---:|---|---:|",
    ]
    for t in targets:
        value = "—" if t["value"] is None else (
            f"{t['value']:.2f}{t['unit']}" if t["unit"] == "x" else f"{t['value']:.2f} {t['unit']}")
        limit = f"{t['limit']:g}{t['unit']}" if t["unit"] == "x" else f"{t['limit']:g} {t['unit']}"
        result = t["status"] + (f" ({t['note']})" if t["note"] else "")
        cpu = "" if t.get("cpu_value") is None else f"{t['cpu_value']:.2f}" + (
            t["unit"] if t["unit"] == "x" else f" {t['unit']}")
        lines.append(f"| {t['target']} | {value} | {limit} | {result} | {cpu} |")
    pandoc_options = next((r.get("pandoc_options") for r in results["sizes"]
                           if r.get("pandoc_options") is not None), [])
    lines += ["", "Commands (whole processes, in the work folder): "
              "`briefgen build big -f pdf|docx|html -w WS -o OUT`, `briefgen validate -w WS`, "
              "`weasyprint big.html big.pdf`, `pandoc -f "
              + results.get("pandoc_from", PANDOC_FROM) + " big.md -o big.docx"
              + "".join(" " + o for o in pandoc_options) + "`"
              + (" (pandoc's CommonMark reader, as the template writes CommonMark; its default "
                 "Markdown reader is several times slower on this text, see "
                 "benchmarks/README.md)." if results.get("pandoc_from", PANDOC_FROM) == PANDOC_FROM
                 else ".")]
    if results["notes"]:
        lines += ["", "Notes:", ""] + [f"- {n}" for n in results["notes"]]
    lines += ["", "Reproduce: see `benchmarks/README.md` (`python benchmarks/run.py`).", ""]
    return "\n".join(lines)


def print_targets(targets: list[dict]) -> None:
    print("\nTargets:")
    for t in targets:
        value = "—" if t["value"] is None else f"{t['value']:.3f}"
        note = f"  ({t['note']})" if t["note"] else ""
        print(f"  {t['status']:>4}  {t['target']}: {value} {t['unit']} (limit {t['limit']:g})"
              f"{note}")


# --- main ---------------------------------------------------------------------------------------

def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=None,
                    help="numbers of developments (default: 100 300 1000 3000)")
    ap.add_argument("--runs", type=int, default=None, help="measured runs per size (default 5)")
    ap.add_argument("--large-runs", type=int, default=3,
                    help="at most this many runs for sizes above --large-from (default 3)")
    ap.add_argument("--large-from", type=int, default=1000,
                    help="sizes above this get --large-runs runs (default 1000)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: sizes 100 300, 2 runs (unless given)")
    ap.add_argument("--import-size", type=int, default=100_000,
                    help="events in the synthetic ACLED export to import (0: skip)")
    ap.add_argument("--validate-size", type=int, default=10_000,
                    help="developments for the big `validate` measurement (default 10000)")
    ap.add_argument("--compare-sizes", type=int, nargs="*", default=None,
                    help="sizes to run pandoc/WeasyPrint at (default: every size)")
    ap.add_argument("--no-compare", action="store_true", help="skip pandoc and WeasyPrint")
    ap.add_argument("--briefgen", default=None, help="briefgen command (default: this venv's)")
    ap.add_argument("--weasyprint", default=None,
                    help="WeasyPrint command, e.g. /opt/wp-venv/bin/weasyprint")
    ap.add_argument("--pandoc", default=None, help="pandoc executable")
    ap.add_argument("--pandoc-from", default=PANDOC_FROM,
                    help=f"pandoc's input format (default {PANDOC_FROM}: CommonMark as briefgen "
                         "writes it; 'markdown' is pandoc's own dialect, its default)")
    ap.add_argument("--quiet-wait", type=float, default=10.0,
                    help="before each measured run, wait up to this many seconds for other "
                         "processes to leave the CPUs alone (default 10; 0: never wait)")
    ap.add_argument("--nice", type=int, default=-10,
                    help="nice value for the measured commands (default -10 where permitted, "
                         "e.g. as root; 0 leaves the priority alone)")
    ap.add_argument("--seed", type=int, default=make_workspace.DEFAULT_SEED)
    ap.add_argument("--arabic-share", type=float, default=0.3,
                    help=f"the Arabic-script row: this share of the developments' text in Arabic "
                         f"script, at N={REF_SIZE} (default 0.3; 0 skips the row)")
    ap.add_argument("--workdir", type=Path, default=HERE / "_work",
                    help="generated workspaces and outputs (default benchmarks/_work)")
    ap.add_argument("--results", type=Path, default=HERE / "RESULTS.md",
                    help="where to write the Markdown table (default benchmarks/RESULTS.md)")
    ap.add_argument("--report-only", action="store_true",
                    help="measure nothing: write the table again from WORKDIR/results.json")
    args = ap.parse_args(argv)
    if args.sizes is None:
        args.sizes = [100, 300] if args.quick else [100, 300, 1000, 3000]
    if args.runs is None:
        args.runs = 2 if args.quick else 5
    if args.quick:
        args.import_size = min(args.import_size, 2000)
    args.workdir = args.workdir.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report_only:
        results = json.loads((args.workdir / "results.json").read_text())
        targets = evaluate(results)
        args.results.write_text(render_markdown(results, targets), encoding="utf-8")
        print_targets(targets)
        print(f"wrote {args.results}")
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    start_launcher(child_environment(args.workdir), args.nice)  # now, while this process is small
    if args.nice and launcher_nice != args.nice:
        notes.append(f"could not raise the priority (nice {args.nice}) of the measured commands: "
                     "other work on the machine weighs on the times")
    global quiet_wait
    quiet_wait = args.quiet_wait
    load_before = os.getloadavg()
    tools: dict = {"briefgen": briefgen_command(args.briefgen)}
    if args.no_compare:
        tools.update(weasyprint=None, pandoc=None, weasyprint_version="WeasyPrint: not run",
                     pandoc_version="pandoc: not run")
        notes.append("comparisons skipped (--no-compare)")
    else:
        tools["weasyprint"], wv = find_weasyprint(args.weasyprint)
        tools["pandoc"], pv = find_pandoc(args.pandoc)
        tools["weasyprint_version"] = wv if tools["weasyprint"] else "WeasyPrint: not installed"
        tools["pandoc_version"] = pv if tools["pandoc"] else "pandoc: not installed"
        for tool, msg in (("weasyprint", wv), ("pandoc", pv)):
            if not tools[tool]:
                notes.append(msg)
                print(f"NOTE: {msg}", flush=True)

    bg = tools["briefgen"]
    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results: dict = {"command": command.strip(), "machine": machine_info(tools), "sizes": [],
                     "notes": notes, "pandoc_from": args.pandoc_from}
    runs_small = max(args.runs, 5)

    print("briefgen --help / validate (sample) ...", flush=True)
    logs = args.workdir / "logs"
    logs.mkdir(exist_ok=True)
    for name, cmd in (("help", bg + ["--help"]),
                      ("validate_sample", bg + ["validate", "-w", str(REPO)])):
        measure(cmd, log=logs / f"{name}.log", quiet=False)  # warm-up
        s = Series([measure(cmd, log=logs / f"{name}.log") for _ in range(runs_small)])
        if not s.ok:
            notes.append(f"`{' '.join(cmd[-3:])}` failed: {s.error}")
        results[name] = s.to_json()

    print(f"briefgen validate on {args.validate_size:,} developments ...", flush=True)
    ws_big = ensure_workspace(args.validate_size, args.workdir, args.seed)
    cmd = bg + ["validate", "-w", str(ws_big)]
    measure(cmd, log=logs / "validate_big.log", quiet=False)
    s = Series([measure(cmd, log=logs / "validate_big.log") for _ in range(args.runs)])
    if not s.ok:
        notes.append(f"validate on {args.validate_size:,} developments failed: {s.error}")
    results["validate_big"] = {"size": args.validate_size, **s.to_json()}

    if args.import_size:
        print(f"briefgen import acled of {args.import_size:,} events, then validate ...",
              flush=True)
        results.update(bench_import(args, bg, logs, notes))

    for n in args.sizes:
        print(f"size {n:,} ...", flush=True)
        results["sizes"].append(bench_size(n, args, tools, notes))
    if args.arabic_share:
        print(f"Arabic-script text, N={REF_SIZE} ...", flush=True)
        results["arabic"] = bench_arabic(args, tools, notes)

    load_after = os.getloadavg()
    samples = [run for part in [results["help"], results["validate_sample"],
                                results["validate_big"]]
               + [results[k] for k in ("import_acled", "validate_imported") if k in results]
               + [x for r in results["sizes"] for x in r["series"].values()]
               + list(results.get("arabic", {}).get("series", {}).values())
               for run in part["runs"]]
    busy = [x for x in samples if x["busy"] >= QUIET_BUSY]
    if busy:
        notes.append(f"{len(busy)} of {len(samples)} measured runs started while other processes "
                     f"kept the CPUs at least {QUIET_BUSY:.0%} busy (waited up to "
                     f"{args.quiet_wait:g} s for them): those numbers are inflated")
    results["machine"]["load"] = (f"load average (1 min) {load_before[0]:.2f} at the start, "
                                  f"{load_after[0]:.2f} at the end")
    targets = evaluate(results)
    results["targets"] = targets
    (args.workdir / "results.json").write_text(json.dumps(results, indent=1, default=str))
    text = render_markdown(results, targets)
    args.results.write_text(text, encoding="utf-8")
    print()
    print(text)
    print_targets(targets)
    print(f"\nwrote {args.results} and {args.workdir / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
