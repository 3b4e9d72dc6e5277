"""`briefgen templates list/export`, workspace templates in a build, and template errors."""
import re

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.scope.context import template_context
from briefgen.loading import load_workspace
from briefgen.scope.select import select
from briefgen.templating.environment import TemplateRenderer, builtin_templates_dir
from tests.conftest import REPO


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_list_shows_builtins_and_overrides(workspace):
    root = workspace({
        "templates/policy-brief.md.j2": '{% extends "builtin/policy-brief.md.j2" %}\n'
                                        "{% block bluf %}BLUF{% endblock %}\n",
        "templates/situation-report.md.j2": "# Whole replacement\n",
        "templates/board-note.md.j2": "# {{ brief.title }}\n",
    })
    result = run("templates", "list", "-w", root)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()

    def line_of(name):
        return next(line for line in lines if line.startswith(name + " "))
    assert "built-in" == line_of("one-pager").split()[-1]
    assert "overrides built-in; extends the built-in, replaces blocks: bluf" in \
        line_of("policy-brief")
    assert "overrides built-in; replaces the built-in" in line_of("situation-report")
    assert "board-note.md.j2" in line_of("board-note") and "overrides" not in line_of("board-note")
    assert any("blocks: titleblock, contents, bluf" in line for line in lines)


def test_the_repository_does_not_override_itself():
    result = run("templates", "list", "-w", REPO)
    assert result.exit_code == 0
    assert "overrides" not in result.output and "workspace" not in result.output


def test_export_copies_the_builtin(tmp_path):
    result = run("templates", "export", "policy-brief", "-w", tmp_path)
    assert result.exit_code == 0, result.output
    copied = tmp_path / "templates" / "policy-brief.md.j2"
    assert copied.read_bytes() == (builtin_templates_dir() / "policy-brief.md.j2").read_bytes()
    result = run("templates", "export", "policy-brief", "-w", tmp_path)
    assert result.exit_code == 2 and "exists already" in result.output
    copied.write_text("mine")
    assert run("templates", "export", "policy-brief", "-w", tmp_path, "--force").exit_code == 0
    assert copied.read_text() != "mine"
    result = run("templates", "export", "policy-brif", "-w", tmp_path)
    assert result.exit_code == 2 and "did you mean 'policy-brief'" in result.output


def test_an_extend_stub_prints_what_the_builtin_prints(workspace):
    root = workspace()
    assert run("templates", "export", "policy-brief", "--extend", "-w", root).exit_code == 0
    stub = (root / "templates" / "policy-brief.md.j2").read_text()
    assert stub.startswith('{% extends "builtin/policy-brief.md.j2" %}')
    ws = load_workspace(root)
    brief = ws.corpus.briefs["main"]

    def markdown(folder):
        context = template_context(ws.corpus, select(ws.corpus, brief))
        return TemplateRenderer(folder).render("policy-brief", context)
    assert markdown(root / "templates") == markdown(None)


def build(root, tmp_path):
    return run("build", "-w", root, "-o", tmp_path / "out", "-f", "pdf")


@pytest.mark.parametrize("text,line,message", [
    ("ok\n{% for x in developments %}\n", 2, "template syntax error"),
    ("ok\n\n{{ brief.nope }}\n", 3, "template uses an undefined name: 'briefgen.content.models"
                                     ".Brief object' has no attribute 'nope'"),
    ('{% extends "builtin/policy-breif.md.j2" %}\n', 1, "no template 'builtin/policy-breif.md.j2'"),
    ("{% for i in range(3) %}\n{{ 1 / 0 }}\n{% endfor %}\n", 2, "ZeroDivisionError"),
])
def test_template_errors_name_file_and_line(workspace, tmp_path, text, line, message):
    root = workspace({"templates/policy-brief.md.j2": text})
    result = build(root, tmp_path)
    assert result.exit_code == 1
    assert re.search(rf"templates/policy-brief\.md\.j2:{line}: .*{re.escape(message)}",
                     result.output), result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "main.pdf").exists()


@pytest.mark.parametrize("payload", [
    "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}",
    "{{ joiner.__init__.__globals__.os.system('touch %s') }}",
    "{{ lipsum.__globals__['os'].popen('touch %s').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('touch %s').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}{{ 'touch %s' }}",
    "{{ brief.__class__.__init__.__globals__['os'].popen('touch %s') }}",
    "{% set x = self._TemplateReference__context %}{{ x }}{{ 'touch %s' }}",
])
def test_template_injection_runs_nothing(workspace, tmp_path, payload):
    marker = tmp_path / "pwned"
    root = workspace({"templates/policy-brief.md.j2": "# Title\n\n" +
                      payload.replace("%s", str(marker)) + "\n"})
    result = build(root, tmp_path)
    assert result.exit_code == 1, result.output
    assert "templates/policy-brief.md.j2:3: template blocked by the sandbox" in result.output or \
        "templates/policy-brief.md.j2:3: template uses an undefined name" in result.output, \
        result.output
    assert "Traceback" not in result.output
    assert not marker.exists()
    assert not (tmp_path / "out" / "main.pdf").exists()


def test_every_template_variable_is_documented(workspace):
    docs = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    ws = load_workspace(workspace())
    context = template_context(ws.corpus, select(ws.corpus, ws.corpus.briefs["main"]))
    for name in context:
        assert f"`{name}" in docs, f"docs/templates.md does not describe '{name}'"
    for name in TemplateRenderer(None).env.filters:
        if name in ("md", "oneline", "esc"):
            assert f"`{name}`" in docs
    for kind in ("titleblock", "bluf", "note", "warning", "judgment", "contents", "notes",
                 "pagebreak", "figure"):
        assert f"`::: {kind}" in docs


def test_super_and_macros_print_markdown_not_escaped_text(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "base.md.j2").write_text("{% block a %}**bold** {{ x }}{% endblock %}\n")
    (folder / "child.md.j2").write_text(
        '{% extends "base.md.j2" %}{% macro m(v) %}*{{ v }}*{% endmacro %}'
        "{% block a %}{{ super() }} / {{ m(x) }}{% endblock %}")
    out = TemplateRenderer(folder).render("child", {"x": "<b>_"})
    assert out == "**bold** \\<b\\>\\_ / *\\<b\\>\\_*"


def test_a_misspelt_block_is_an_error_not_a_silent_no_op(workspace, tmp_path):
    root = workspace({"templates/policy-brief.md.j2":
                      '{% extends "builtin/policy-brief.md.j2" %}\n\n'
                      "{% block recomendations %}\nMine\n{% endblock %}\n"})
    result = build(root, tmp_path)
    assert result.exit_code == 1
    assert "policy-brief.md.j2:3: block 'recomendations' is not a block of the template it " \
           "extends, so it would never be printed (did you mean 'recommendations'?)" in \
           result.output, result.output


def test_a_named_pipe_among_the_templates_is_reported_not_waited_for(workspace, tmp_path):
    import os
    import subprocess
    import sys
    root = workspace({"templates/board-note.md.j2": "# {{ brief.title }}\n"})
    os.mkfifo(root / "templates" / "evil.md.j2")
    # a subprocess: reading the pipe would block this test for ever, not fail it
    result = subprocess.run([sys.executable, "-m", "briefgen", "templates", "list", "-w",
                             str(root)], capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    assert "evil.md.j2: cannot read the file: it is not a plain file (a named pipe" in \
        result.stdout, result.stdout
    assert "board-note" in result.stdout
