"""What runs in a render worker: the workspace loaded once per fingerprint, one file per task.

A worker starts (forked from a process that has imported the pipeline and both renderers),
loads the workspace, renders the first brief once so that fonts, templates and lazy imports are
warm, says it is ready, then answers tasks one at a time on its pipe until the pipe closes.
"""
from __future__ import annotations

import dataclasses
import gc
import os
import signal
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..build import BuildOptions, brief_as_of, rendered_files
from ..content.crossref import check_references
from ..content.dates import FuzzyDate
from ..content.parse import Parser
from ..content.yamlpos import load_yaml
from ..errors import BriefgenError, Problem, UsageError
from ..loading import read_workspace
from ..templating.environment import TemplateRenderer
from .cache import Fingerprint

# Imported here, in the process the workers are forked from, so that no worker pays for it.
from ..render.docx import render as _docx  # noqa: F401
from ..render.html import render as _html  # noqa: F401
from ..render.pdf import render as _pdf  # noqa: F401

BODY_ORIGIN = "request body"


@dataclass(frozen=True)
class Task:
    digest: str  # the workspace fingerprint the parent saw: a worker with another reloads
    fmt: str
    brief_id: str = ""  # a brief of the workspace ...
    body: str = ""  # ... or an ad-hoc brief, as JSON text
    as_of: str = ""
    copy: int | None = None
    watermark: str = ""
    paper: str | None = None


@dataclass
class Reply:
    status: int  # HTTP status: 200, 400 or 422
    data: bytes = b""
    error: str = ""
    problems: list[Problem] = field(default_factory=list)
    warnings: int = 0


class _State:
    def __init__(self, root: Path):
        self.root = root
        self.digest = None
        self.workspace = None
        self.problems: list[Problem] = []
        self.renderer = None

    def load(self, digest: str) -> None:
        if digest == self.digest:
            return
        self.workspace, self.problems = load(self.root)
        self.renderer = TemplateRenderer(self.root / "templates")
        self.digest = digest


def load(root: Path):
    """(workspace, problems); the workspace is None when not even the file list could be made
    (a content file linked out of the workspace, no content/ folder)."""
    try:
        return read_workspace(root)
    except BriefgenError as exc:
        return None, list(exc.problems)


def adhoc_brief(workspace, text: str):
    """The brief a request's JSON body describes, checked as a brief file would be, and its
    problems (references to actors and sources of the workspace included)."""
    data, problems = load_yaml(text.encode("utf-8"), BODY_ORIGIN)
    if data is None:
        return None, problems
    if not isinstance(data, dict):
        return None, problems + [Problem("the body must be a JSON object holding a brief: "
                                         "title, date, ...", BODY_ORIGIN, 1)]
    parser = Parser()
    brief = parser.brief(data, BODY_ORIGIN, "adhoc")
    problems += parser.problems
    corpus = dataclasses.replace(workspace.corpus, briefs={brief.id: brief})
    problems += [p for p in check_references(corpus) if p.path == BODY_ORIGIN]
    return brief, problems


def run(state: _State, task: Task) -> Reply:
    state.load(task.digest)
    if state.problems:
        return Reply(422, error="the workspace has problems", problems=state.problems)
    workspace = state.workspace
    if task.body:
        brief, problems = adhoc_brief(workspace, task.body)
        if problems:
            return Reply(422, error="the brief has problems", problems=problems)
    else:
        brief = workspace.corpus.briefs.get(task.brief_id)
        if brief is None:  # removed since the parent looked
            return Reply(404, error=f"no brief '{task.brief_id}'")
    as_of = FuzzyDate.parse(task.as_of) if task.as_of else None
    try:  # an ad-hoc brief's as_of is checked here, with the request's name for it
        brief_as_of(brief, as_of, "as_of")
    except UsageError as exc:
        return Reply(400, error=exc.problem.message)
    options = BuildOptions(formats=[task.fmt], copy=task.copy, watermark=task.watermark,
                           paper=task.paper, as_of=as_of)
    warnings: list[Problem] = []
    try:
        files = rendered_files(workspace, brief, options, state.renderer, warnings)
    except UsageError as exc:  # an ad-hoc brief's copy: no such recipient
        return Reply(400, error=exc.problem.message)
    except BriefgenError as exc:
        return Reply(422, error="the brief could not be built", problems=list(exc.problems))
    return Reply(200, data=files[0][2], warnings=len(warnings))


def _warm_up(state: _State) -> None:
    """Render the first brief once, in every format: fonts, compiled templates and the
    renderers' lazy imports are then ready for the first request."""
    state.load(Fingerprint(state.root).digest())
    if state.problems or not state.workspace.corpus.briefs:
        return
    brief = next(iter(sorted(state.workspace.corpus.briefs.items())))[1]
    try:
        rendered_files(state.workspace, brief, BuildOptions(formats=None), state.renderer, [])
    except BriefgenError:
        pass


def main(conn, root: str) -> None:
    """The worker's loop; ends when the parent closes the pipe (or kills the worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.chdir(root)  # problems name files relative to the workspace, as a user sees them
    state = _State(Path("."))
    # As the command line does (cli.main): a render is one pass over a large, nearly acyclic
    # graph, and frequent cyclic collections free almost nothing.
    gc.set_threshold(70_000, 10, 10)
    try:
        _warm_up(state)
    except Exception:  # a bug shows again, with its task, when a request comes
        state.digest = None
    # What stays for the worker's life (modules, fonts, the workspace) is not walked again by
    # each collection.
    gc.collect()
    gc.freeze()
    conn.send("ready")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = run(state, task)
        except Exception as exc:  # a bug: logged by the parent, never shown to the client
            reply = Reply(500, error=f"{type(exc).__name__}: {exc}",
                          problems=[Problem(traceback.format_exc())])
        conn.send(reply)
        del reply
        # A render leaves ~200,000 objects in reference cycles (reportlab's canvas, doc template
        # and flowables point at each other). Collected now, between requests, they take ~80 ms;
        # left to the collector's thresholds, the next render stops for ~500 ms to walk them
        # with its own (the 300-development brief's p95 was 1.5x its p50).
        gc.collect()
