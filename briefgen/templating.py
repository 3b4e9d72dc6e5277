"""The sandboxed Jinja environment that turns a brief into Markdown.

Safety rules:
- templates run in Jinja's SandboxedEnvironment, with a time and an output-size bound;
- every ``{{ value }}`` is escaped as plain text unless it is Markdown on purpose (``Md``), so
  content text never becomes markup by accident.
"""
from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from . import mdtext
from .content.models import Md
from .errors import TemplateError
from .workspace_paths import display_path

TEMPLATE_SUFFIX = ".md.j2"
MAX_OUTPUT_CHARS = 20_000_000
MAX_SECONDS = 30.0


def builtin_templates_dir() -> Path:
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "templates"  # source checkout / editable install


def _finalize(value: object) -> object:
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    return mdtext.escape(value)


class _Timeout(Exception):
    pass


class TemplateRenderer:
    """Finds templates (workspace over built-in) and renders them within bounds."""

    def __init__(self, workspace_templates: Path | None):
        builtin = builtin_templates_dir()
        self.search_path: list[Path] = []
        if workspace_templates is not None and workspace_templates.is_dir():
            # The repository doubles as a workspace whose templates/ *is* the built-in folder;
            # it must not count as an override of itself.
            if not (builtin.is_dir() and workspace_templates.resolve() == builtin.resolve()):
                self.search_path.append(workspace_templates)
        self.search_path.append(builtin)
        self.env = SandboxedEnvironment(
            # "builtin/NAME.md.j2" always names the built-in, so a workspace template of the same
            # name can extend it and replace single blocks.
            loader=jinja2.ChoiceLoader([
                jinja2.FileSystemLoader([str(p) for p in self.search_path]),
                jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(builtin))}),
            ]),
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(md=lambda v: Md(str(v)), oneline=mdtext.oneline,
                                esc=mdtext.escape)
        self.env.globals.update(link=mdtext.link)

    def names(self) -> list[str]:
        found = set()
        for folder in self.search_path:
            found.update(p.name[: -len(TEMPLATE_SUFFIX)] for p in folder.glob("*" + TEMPLATE_SUFFIX))
        return sorted(found)

    def render(self, name: str, context: dict, brief_path: str | None = None) -> str:
        filename = name + TEMPLATE_SUFFIX
        try:
            template = self.env.get_template(filename)
        except jinja2.TemplateNotFound:
            from .content.fields import did_you_mean
            raise TemplateError(f"unknown template '{name}'{did_you_mean(name, self.names())}; "
                                f"available: {', '.join(self.names())}", brief_path) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template syntax error: {exc.message}",
                                display_path(exc.filename or filename), exc.lineno) from None
        chunks: list[str] = []
        size = 0
        deadline = time.monotonic() + MAX_SECONDS
        tracer = _deadline_tracer(deadline, set(str(p) for p in self.search_path))
        previous = sys.gettrace()
        sys.settrace(tracer)
        try:
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise TemplateError(f"template output is larger than {MAX_OUTPUT_CHARS:,} "
                                        "characters: a loop runs away?",
                                        display_path(template.filename))
                chunks.append(chunk)
        except _Timeout:
            raise TemplateError(f"template took longer than {MAX_SECONDS:.0f} s: a loop runs away?",
                                display_path(template.filename)) from None
        except TemplateError:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template syntax error: {exc.message}",
                                display_path(exc.filename or filename), exc.lineno) from None
        except SecurityError as exc:
            path, line = _template_frame(exc, template.filename)
            raise TemplateError(f"template blocked by the sandbox: {exc}", path, line) from None
        except jinja2.UndefinedError as exc:
            path, line = _template_frame(exc, template.filename)
            raise TemplateError(f"template uses an undefined name: {exc.message}", path,
                                line) from None
        except Exception as exc:  # a template can raise anything a Python expression can
            path, line = _template_frame(exc, template.filename)
            raise TemplateError(f"template failed: {type(exc).__name__}: {exc}", path,
                                line) from None
        finally:
            sys.settrace(previous)
        return "".join(chunks)


def _deadline_tracer(deadline: float, folders: set[str]):
    # Only frames running template code get a line tracer, so ordinary Python code called
    # from a template pays for one call event, not one per line.
    counter = [0]

    def local(frame, event, arg):
        counter[0] += 1
        if counter[0] % 2000 == 0 and time.monotonic() > deadline:
            raise _Timeout()
        return local

    def on_call(frame, event, arg):
        filename = frame.f_code.co_filename
        if filename.endswith(TEMPLATE_SUFFIX):
            return local
        return None

    return on_call


def _template_frame(exc: BaseException, fallback: str | None) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja rewrites frames to point there)."""
    found = (display_path(fallback) if fallback else None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(TEMPLATE_SUFFIX):
            found = (display_path(frame.filename), frame.lineno)
    return found
