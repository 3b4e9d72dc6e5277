import pytest

from briefgen.content.models import Md
from briefgen.errors import TemplateError
from briefgen.loading import load_workspace
from briefgen.scope.context import template_context
from briefgen.scope.select import select
from briefgen.templating.environment import TemplateRenderer
from tests.conftest import MINIMAL, write_workspace


def sample_context(root):
    corpus = load_workspace(write_workspace(root, MINIMAL)).corpus
    return template_context(corpus, select(corpus, corpus.briefs["main"]))


def renderer_with(tmp_path, name, text):
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.md.j2").write_text(text, encoding="utf-8")
    return TemplateRenderer(folder)


def test_plain_values_are_escaped_and_markdown_is_not(tmp_path):
    r = renderer_with(tmp_path, "t", "{{ plain }} / {{ md }}")
    out = r.render("t", {"plain": "*x* <b>", "md": Md("*x*")})
    assert out == "\\*x\\* \\<b\\> / *x*"


def test_injection_payload_is_blocked(tmp_path):
    r = renderer_with(tmp_path, "t", "{{ cycler.__init__.__globals__.os.popen('id').read() }}")
    r.env.globals["cycler"] = __import__("jinja2").utils.Cycler
    with pytest.raises(TemplateError) as info:
        r.render("t", {})
    assert "t.md.j2" in info.value.problem.path


def test_undefined_name_reports_template_and_line(tmp_path):
    r = renderer_with(tmp_path, "t", "line one\n\n{{ nope }}\n")
    with pytest.raises(TemplateError) as info:
        r.render("t", {})
    assert info.value.problem.line == 3
    assert info.value.problem.path.endswith("t.md.j2")
    assert "'nope' is undefined" in info.value.problem.message


def test_syntax_error_reports_line(tmp_path):
    r = renderer_with(tmp_path, "t", "ok\n{% if %}\n")
    with pytest.raises(TemplateError) as info:
        r.render("t", {})
    assert info.value.problem.line == 2 and "syntax error" in info.value.problem.message


def test_unknown_template_suggests(tmp_path):
    r = renderer_with(tmp_path, "t", "x")
    with pytest.raises(TemplateError, match="did you mean 'policy-brief'"):
        r.render("policy-brif", {})


def test_workspace_template_overrides_builtin_and_extends_it(tmp_path):
    r = renderer_with(tmp_path, "policy-brief",
                      '{% extends "builtin/policy-brief.md.j2" %}'
                      "{% block titleblock %}HOUSE TITLE {{ brief.title }}\n{% endblock %}")
    context = sample_context(tmp_path / "ws")
    out = r.render("policy-brief", context)
    assert out.startswith("HOUSE TITLE Main brief\n")
    assert "## Developments" in out  # the other blocks still come from the built-in


def test_runaway_output_is_bounded(tmp_path, monkeypatch):
    import briefgen.templating.environment as t
    monkeypatch.setattr(t, "MAX_OUTPUT_CHARS", 10_000)
    r = renderer_with(tmp_path, "t", "{% for i in range(100000) %}xxxxxxxxxx{% endfor %}")
    with pytest.raises(TemplateError, match="larger than"):
        r.render("t", {})


def test_runaway_time_is_bounded(tmp_path, monkeypatch):
    import briefgen.templating.environment as t
    monkeypatch.setattr(t, "MAX_SECONDS", 0.5)
    r = renderer_with(tmp_path, "t", "{% for i in range(100000) %}{% for j in range(100000) %}"
                                     "{% endfor %}{% endfor %}")
    with pytest.raises(TemplateError, match="longer than"):
        r.render("t", {})


# --- compiled templates are cached between runs ------------------------------------------------

def test_compiled_templates_are_cached_and_an_edit_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFGEN_NO_CACHE", raising=False)
    assert renderer_with(tmp_path, "t", "first {{ x }}").render("t", {"x": 1}) == "first 1"
    cached = list((tmp_path / "cache" / "briefgen").rglob("*.cache"))
    assert len(cached) == 1
    # a new renderer (as in the next run) loads the code from the cache ...
    fresh = renderer_with(tmp_path, "t", "first {{ x }}")
    compiled = []
    monkeypatch.setattr(fresh.env, "_compile", lambda *a: compiled.append(a) or
                        type(fresh.env)._compile(fresh.env, *a))
    assert fresh.render("t", {"x": 2}) == "first 2"
    assert compiled == []
    # ... and compiles an edited template instead of using stale code
    edited = renderer_with(tmp_path, "t", "second {{ x }}")
    assert edited.render("t", {"x": 3}) == "second 3"


def test_no_cache_without_a_writable_folder_or_when_switched_off(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # mkdir under a file fails
    r = renderer_with(tmp_path, "t", "ok {{ x }}")
    assert r.env.bytecode_cache is None
    assert r.render("t", {"x": 1}) == "ok 1"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFGEN_NO_CACHE", "1")
    assert renderer_with(tmp_path, "t", "ok").env.bytecode_cache is None
    assert not (tmp_path / "cache").exists()


def _plant(tmp_path, monkeypatch):
    """A cache entry for t.md.j2 (source "ok") whose code prints PLANTED: what an attacker who
    can write into the cache would leave there. Returns the entry's path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFGEN_NO_CACHE", raising=False)
    r = renderer_with(tmp_path, "t", "ok")
    env, cache = r.env, r.env.bytecode_cache
    source, filename, _ = env.loader.get_source(env, "t.md.j2")
    bucket = cache.get_bucket(env, "t.md.j2", filename, source)
    bucket.code = env.compile("PLANTED", "t.md.j2", filename)
    cache.dump_bytecode(bucket)
    (entry,) = (tmp_path / "cache").rglob("*.cache")
    return entry


def test_a_planted_entry_is_used_only_when_private(tmp_path, monkeypatch):
    entry = _plant(tmp_path, monkeypatch)
    # the user's own private entry is trusted (else the checks below would prove nothing)
    assert renderer_with(tmp_path, "t", "ok").render("t", {}) == "PLANTED"
    entry.chmod(0o666)  # anyone may have written it
    assert renderer_with(tmp_path, "t", "ok").render("t", {}) == "ok"


def test_a_cache_folder_others_can_write_is_not_used(tmp_path, monkeypatch):
    entry = _plant(tmp_path, monkeypatch)
    entry.parent.chmod(0o777)
    r = renderer_with(tmp_path, "t", "ok")
    assert r.env.bytecode_cache is None and r.render("t", {}) == "ok"
    entry.parent.chmod(0o700)
    (tmp_path / "cache" / "briefgen").chmod(0o777)  # someone else could swap the folder
    assert renderer_with(tmp_path, "t", "ok").render("t", {}) == "ok"


def test_an_earlier_releases_readable_briefgen_folder_keeps_the_cache(tmp_path, monkeypatch):
    """Earlier releases made ~/.cache/briefgen readable by all (only the entries' own folder was
    0700): writing is what matters there, so upgrading must not switch the cache off."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFGEN_NO_CACHE", raising=False)
    outer = tmp_path / "cache" / "briefgen"
    outer.mkdir(parents=True)
    outer.chmod(0o755)
    r = renderer_with(tmp_path, "t", "ok {{ x }}")
    assert r.env.bytecode_cache is not None
    assert r.render("t", {"x": 1}) == "ok 1"
    assert len(list(outer.rglob("*.cache"))) == 1
    inner = next(outer.iterdir())
    assert inner.stat().st_mode & 0o077 == 0, "the entries' folder is the user's alone"


def test_a_cache_folder_or_entry_of_another_user_is_not_used(tmp_path, monkeypatch):
    import os
    _plant(tmp_path, monkeypatch)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(tmp_path).st_uid + 1)
    assert renderer_with(tmp_path, "t", "ok").render("t", {}) == "ok"


def test_a_linked_cache_entry_is_not_followed(tmp_path, monkeypatch):
    entry = _plant(tmp_path, monkeypatch)
    elsewhere = tmp_path / "elsewhere.cache"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)
    assert renderer_with(tmp_path, "t", "ok").render("t", {}) == "ok"


def test_the_cache_folder_is_private_and_entries_are_bound_to_this_release(tmp_path, monkeypatch):
    from briefgen.templating import cache
    entry = _plant(tmp_path, monkeypatch)
    assert entry.parent.stat().st_mode & 0o777 == 0o700
    assert entry.stat().st_mode & 0o777 == 0o600
    # an entry written by another release (other compiler options) is compiled again
    monkeypatch.setattr(cache, "_stamp", lambda: b"another release")
    assert renderer_with(tmp_path, "t", "ok").render("t", {}) == "ok"


@pytest.mark.parametrize("expr, shown", [
    ("'{:*>6}|{:.2f}'.format('ab', 3.14159)", "****ab|3.14"),
    ("'{0:_<{1}}|'.format('ab', 4)", "ab__|"),
    ("'ab'.center(6, '*')", "**ab**"),
    ("'7'.zfill(3)", "007"),
    ("('x' | center(5)) | length", "5"),
    ("'%05.1f' | format(2.25)", "002.2"),
    ("'a-b' | replace('-', ' and ')", "a and b"),
])
def test_templates_pad_and_format_within_bounds(tmp_path, expr, shown):
    renderer = renderer_with(tmp_path, "t", "{{ " + expr + " }}")
    # the output is Markdown: plain text comes back with its punctuation escaped
    assert renderer.render("t", {}).replace("\\", "") == shown


@pytest.mark.parametrize("expr", [
    "'{:999999999}'.format(1)", "'{0:{1}}'.format(1, 10 ** 9)", "'{a:{b}}'.format_map({'a': 1, 'b': '99999999'})",
    "'x'.center(10 ** 9)", "'x'.ljust(10 ** 9)", "'1'.zfill(10 ** 9)", "'\\t'.expandtabs(10 ** 9)",
    "'x' | center(10 ** 9)", "'a\\nb' | indent(10 ** 9)", "'%0999999999d' | format(1)",
    "('a' * 100000).replace('a', 'b' * 100)", "('a' * 100000) | replace('a', 'b' * 100)",
])
def test_templates_cannot_pad_or_grow_text_to_gigabytes(tmp_path, expr):
    renderer = renderer_with(tmp_path, "t", "{{ " + expr + " }}")
    with pytest.raises(TemplateError, match="at most"):
        renderer.render("t", {})
