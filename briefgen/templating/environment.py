"""The sandboxed Jinja environment that turns a brief into Markdown.

Safety rules:
- templates run in Jinja's SandboxedEnvironment, with a time and an output-size bound;
- every ``{{ value }}`` is escaped as plain text unless it is Markdown on purpose (``Md``), so
  content text never becomes markup by accident.
"""
from __future__ import annotations

import ctypes
import threading
import traceback
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from . import bounds
from ..content import mdtext
from ..content.models import Md
from ..errors import TemplateError
from ..workspace_paths import display_path, leads_outside
from .cache import bytecode_cache

TEMPLATE_SUFFIX = ".md.j2"
MAX_OUTPUT_CHARS = 20_000_000
MAX_SECONDS = 30.0


def builtin_templates_dir() -> Path:
    packaged = Path(__file__).parent.parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent.parent / "templates"  # source checkout / editable install


def _finalize(value: object) -> object:
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    return mdtext.escape(value)


def _extends_name(tree: nodes.Template) -> str | None:
    for node in tree.find_all(nodes.Extends):
        return node.template.value if isinstance(node.template, nodes.Const) else None
    return None


def _concat_markdown(parts) -> Md:
    return Md("".join(parts))


class _Timeout(Exception):
    pass


class _Refused(TemplateError):
    """A template file that leads out of its folder; located at the include when there is one."""


class _InsideLoader(jinja2.FileSystemLoader):
    """A folder's templates, refusing any (an include, a link to a file or to a folder) that
    leads out of ``root`` once symbolic links are followed: `{% include "sys/hostname" %}`
    with templates/sys -> /etc must not print the host's files into a brief."""

    def __init__(self, folders: list[Path], root: Path):
        super().__init__([str(p) for p in folders])
        self.root = root

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        why = leads_outside(filename, self.root)
        if why:
            raise _Refused(f"template '{template}' refused: {why}", display_path(filename))
        return source, filename, uptodate


class _BoundedSandbox(ImmutableSandboxedEnvironment):
    """Every arithmetic operator goes through bounds.binop (and is never folded while compiling).
    Immutable: the content a template reads is shared with the rest of the build, so
    ``brief.authors.append(42)`` would change what later stages and briefs see."""

    intercepted_binops = frozenset(bounds.BINOPS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bounds.bounded_filters(self.filters)

    def call_binop(self, context, operator: str, left, right):
        return bounds.binop(operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's signature)
        bounds.check_call(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt, is_map = value.__self__, value.__name__ == "format_map"

        def checked(*args, **kwargs):
            bounds.check_format(fmt, args if not is_map else (),
                                {"__map__": args[0]} if is_map and args else kwargs)
            return wrapped(*args, **kwargs)
        return checked


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
        # A workspace template must stay inside the workspace, a built-in inside its folder.
        loaders = [_InsideLoader([p], p.parent) for p in self.search_path[:-1]]
        loaders.append(_InsideLoader([builtin], builtin))
        self.env = _BoundedSandbox(
            # "builtin/NAME.md.j2" always names the built-in, so a workspace template of the same
            # name can extend it and replace single blocks.
            loader=jinja2.ChoiceLoader([
                *loaders,
                jinja2.PrefixLoader({"builtin": _InsideLoader([builtin], builtin)}),
            ]),
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=bytecode_cache(),
        )
        self.env.filters.update(md=lambda v: Md(str(v)), oneline=mdtext.oneline,
                                esc=mdtext.escape)
        # What a template writes is Markdown already (each {{ value }} in it was escaped), so
        # {{ super() }}, a macro's output and {% set x %}...{% endset %} print as written.
        self.env.concat = _concat_markdown
        self._checked: set[str] = set()
        self._trees: dict[str, nodes.Template] = {}
        self.env.globals.update(link=mdtext.link)

    def names(self) -> list[str]:
        found = set()
        for folder in self.search_path:
            found.update(p.name[: -len(TEMPLATE_SUFFIX)] for p in folder.glob("*" + TEMPLATE_SUFFIX))
        return sorted(found)

    def _parse(self, name: str, got: tuple | None = None) -> nodes.Template:
        """The template's syntax tree, parsed once per renderer (10-40 ms each: the block check
        and `validate`'s check of what a template uses both need it). ``got``: what the
        loader's get_source already returned for it, so the file is not read again."""
        tree = self._trees.get(name)
        if tree is None:
            source, filename, _ = got or self.env.loader.get_source(self.env, name)
            tree = self._trees[name] = self.env.parse(source, name, filename)
        return tree

    def _check_blocks(self, template: jinja2.Template) -> None:
        """A block that the extended template does not have is never printed: report it (most
        likely a misspelt name) instead of silently leaving the change out."""
        if template.name in self._checked:
            return
        got = self.env.loader.get_source(self.env, template.name)
        if "extends" not in got[0]:  # nothing to check; parsing again would cost ~10 ms
            self._checked.add(template.name)
            return
        tree = self._parse(template.name, got)
        parent = _extends_name(tree)
        allowed: set[str] = set()
        seen: set[str] = set()
        while parent and parent not in seen:
            seen.add(parent)
            try:
                parent_tree = self._parse(parent)
            except jinja2.TemplateError:
                return  # reported with its line when the template runs
            allowed.update(b.name for b in parent_tree.find_all(nodes.Block))
            parent = _extends_name(parent_tree)
        if seen:
            for node in tree.body:
                if isinstance(node, nodes.Block) and node.name not in allowed:
                    from ..content.fields import did_you_mean
                    raise TemplateError(
                        f"block '{node.name}' is not a block of the template it extends, so it "
                        f"would never be printed{did_you_mean(node.name, allowed)}; its blocks: "
                        f"{', '.join(sorted(allowed))}", display_path(template.filename),
                        node.lineno)
        self._checked.add(template.name)

    def _unreadable(self, filename: str, exc: Exception) -> TemplateError:
        return TemplateError(_read_problem(exc), self._shown_path(filename))

    def render(self, name: str, context: dict, brief_path: str | None = None) -> str:
        # One limit for compiling and running: a template of a million lines or a deeply
        # nested expression is as stuck in the compiler as a runaway loop is when it runs.
        try:
            with _Watchdog(MAX_SECONDS):
                return self._render(name, context, brief_path)
        except _Timeout:
            raise TemplateError(f"template took longer than {MAX_SECONDS:.0f} s to compile "
                                "and run: a loop runs away?",
                                self._shown_path(name + TEMPLATE_SUFFIX)) from None

    def _shown_path(self, filename: str) -> str:
        path = next((p / filename for p in self.search_path if (p / filename).exists()), None)
        return display_path(path) if path else filename

    def _compiled(self, name: str, brief_path: str | None) -> jinja2.Template:
        filename = name + TEMPLATE_SUFFIX
        try:
            template = self.env.get_template(filename)
        except jinja2.TemplateNotFound:
            from ..content.fields import did_you_mean
            raise TemplateError(f"unknown template '{name}'{did_you_mean(name, self.names())}; "
                                f"available: {', '.join(self.names())}", brief_path) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template syntax error: {exc.message}",
                                display_path(exc.filename or filename), exc.lineno) from None
        except (UnicodeDecodeError, OSError) as exc:
            raise self._unreadable(filename, exc) from None
        self._check_blocks(template)
        return template

    def workspace_names(self) -> list[str]:
        """The names of the workspace's own templates, those in subfolders included."""
        found = set()
        for folder in self.search_path[:-1]:  # the last one is the built-in folder
            found.update(p.relative_to(folder).as_posix()[: -len(TEMPLATE_SUFFIX)]
                         for p in folder.rglob("*" + TEMPLATE_SUFFIX) if p.is_file())
        return sorted(found)

    def check(self, name: str, brief_path: str | None = None) -> None:
        """Compile template ``name`` and every template it extends, includes or imports by a
        fixed name, without rendering: raises TemplateError for the first that cannot be
        found, read or parsed, or that defines a block its parent lacks."""
        try:
            with _Watchdog(MAX_SECONDS):
                self._check(name, brief_path)
        except _Timeout:
            raise TemplateError(f"template took longer than {MAX_SECONDS:.0f} s to compile",
                                self._shown_path(name + TEMPLATE_SUFFIX)) from None

    def _check(self, name: str, brief_path: str | None) -> None:
        todo = [self._compiled(name, brief_path)]
        seen = {todo[0].name}
        while todo:
            template = todo.pop()
            got = self.env.loader.get_source(self.env, template.name)
            if not any(word in got[0] for word in ("extends", "include", "import")):
                continue  # uses no other template: nothing to parse again for
            tree = self._parse(template.name, got)
            for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import,
                                       nodes.FromImport)):
                used = node.template
                if not (isinstance(used, nodes.Const) and isinstance(used.value, str)) or \
                        used.value in seen:
                    continue  # a name computed while rendering is checked then
                seen.add(used.value)
                at = display_path(template.filename), node.lineno
                try:
                    found = self.env.get_template(used.value)
                except jinja2.TemplateNotFound:
                    if getattr(node, "ignore_missing", False):
                        continue
                    raise TemplateError(f"no template '{used.value}' to extend, include or "
                                        f"import (templates: {', '.join(self.names())}; the "
                                        f"built-in NAME is also builtin/NAME{TEMPLATE_SUFFIX})",
                                        *at) from None
                except jinja2.TemplateSyntaxError as exc:
                    raise TemplateError(f"template syntax error: {exc.message}",
                                        display_path(exc.filename or used.value),
                                        exc.lineno) from None
                except (UnicodeDecodeError, OSError) as exc:
                    raise TemplateError(f"a template it uses cannot be read: "
                                        f"{_read_problem(exc)}", *at) from None
                self._check_blocks(found)
                todo.append(found)

    def _render(self, name: str, context: dict, brief_path: str | None) -> str:
        filename = name + TEMPLATE_SUFFIX
        template = self._compiled(name, brief_path)
        chunks: list[str] = []
        size = 0
        try:
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise TemplateError(f"template output is larger than "
                                        f"{MAX_OUTPUT_CHARS:,} characters: a loop runs away?",
                                        display_path(template.filename))
                chunks.append(chunk)
        except _Timeout:
            raise TemplateError(f"template took longer than {MAX_SECONDS:.0f} s: a loop runs away?",
                                display_path(template.filename)) from None
        except _Refused as exc:  # an include or extend: point at it
            path, line = _template_frame(exc, template.filename)
            raise TemplateError(exc.problem.message, path, line) from None
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
        except jinja2.TemplateNotFound as exc:  # (an OSError too: before the next clause)
            path, line = _template_frame(exc, template.filename)
            raise TemplateError(f"no template '{exc.name}' to extend or include (templates: "
                                f"{', '.join(self.names())}; the built-in NAME is also "
                                f"builtin/NAME{TEMPLATE_SUFFIX})", path, line) from None
        except (UnicodeDecodeError, OSError) as exc:  # an included or extended file
            path, line = _template_frame(exc, template.filename)
            raise TemplateError(f"a template it uses cannot be read: {_read_problem(exc)}",
                                path, line) from None
        except Exception as exc:  # a template can raise anything a Python expression can
            path, line = _template_frame(exc, template.filename)
            raise TemplateError(f"template failed: {type(exc).__name__}: {exc}", path,
                                line) from None
        return "".join(chunks)


def _read_problem(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "the template is not UTF-8 text: save it as UTF-8"
    return f"cannot read the template: {getattr(exc, 'strerror', None) or exc}"


class _Watchdog:
    """Raises _Timeout in the rendering thread once ``seconds`` have passed.

    A timer thread injects the exception (CPython's PyThreadState_SetAsyncExc), so a runaway
    loop stops at its next bytecode while a normal render pays nothing; a line tracer, the
    alternative, made every template three times slower.
    """

    def __init__(self, seconds: float):
        self.target = threading.get_ident()
        self.lock = threading.Lock()
        self.armed = True
        self.fired = False
        self.timer = threading.Timer(seconds, self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        with self.lock:
            if self.armed:
                self.fired = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.target),
                                                           ctypes.py_object(_Timeout))

    def __enter__(self) -> "_Watchdog":
        self.timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        with self.lock:
            self.armed = False
            if self.fired:  # fired just as the render ended: drop the exception still pending
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self.target), None)
        self.timer.cancel()


def _template_frame(exc: BaseException, fallback: str | None) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja rewrites frames to point there)."""
    found = (display_path(fallback) if fallback else None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(TEMPLATE_SUFFIX):
            found = (display_path(frame.filename), frame.lineno)
    return found
