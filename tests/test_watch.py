"""`briefgen watch`: rebuild what changed, report problems and go on, stop cleanly on Ctrl-C."""
import os
import signal
import subprocess
import sys
import time

from briefgen.build import BuildOptions
from briefgen.watch import Watcher, watch


class Log:
    def __init__(self):
        self.events = []

    def __call__(self, level, message):
        self.events.append((level, message))

    def take(self):
        events, self.events = self.events, []
        return events

    @staticmethod
    def wrote(events):
        return sorted(os.path.basename(m) for level, m in events if level == "wrote")


def touch_later(path, text=None):
    """Change a file so that its mtime surely differs from the last look."""
    if text is not None:
        path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))


def make(workspace, tmp_path):
    root = workspace({"content/briefs/second.yaml": "title: Second\ndate: 2024-10-01\n"
                                                    "scope: {tags: [diplomacy]}\n"})
    log = Log()
    watcher = Watcher(root, [], BuildOptions(formats=["pdf"]), tmp_path / "out", log)
    return root, watcher, log


def test_rebuilds_only_what_changed_and_goes_on_after_problems(workspace, tmp_path):
    root, watcher, log = make(workspace, tmp_path)
    assert watcher.step()
    assert Log.wrote(log.take()) == ["main.pdf", "second.pdf"]
    assert not watcher.step()  # nothing changed: nothing looked at
    assert log.take() == []

    # A brief's own file: that brief only.
    brief = root / "content/briefs/second.yaml"
    touch_later(brief, brief.read_text().replace("title: Second", "title: Second, revised"))
    assert watcher.step()
    assert Log.wrote(log.take()) == ["second.pdf"]

    # A comment in a development file changes no page: nothing is rebuilt.
    devs = root / "content/developments/d.yaml"
    touch_later(devs, "# reviewed\n" + devs.read_text())
    watcher.step()
    events = log.take()
    assert Log.wrote(events) == [] and ("info", "no brief changed; watching for changes") in events

    # A broken file: the problem is reported with file and line, and watching goes on.
    good = devs.read_text()
    touch_later(devs, good.replace("title: Kabul falls", "title: [unclosed"))
    watcher.step()
    events = log.take()
    assert any(level == "error" and "d.yaml:" in m and "YAML syntax error" in m
               for level, m in events), events
    assert Log.wrote(events) == []

    # Fixed, with a change that only the 2021 development carries: 'main' covers it.
    touch_later(devs, good.replace("title: Kabul falls", "title: Kabul falls to the Taliban"))
    watcher.step()
    assert Log.wrote(log.take()) == ["main.pdf"]

    # A template problem is reported per brief; fixing the template rebuilds every brief.
    template = root / "templates" / "policy-brief.md.j2"
    template.parent.mkdir()
    touch_later(template, '{% extends "builtin/policy-brief.md.j2" %}{% block bluf %}'
                          "{{ nope }}{% endblock %}")
    watcher.step()
    events = log.take()
    assert sum(level == "error" and "policy-brief.md.j2:1: template uses an undefined name" in m
               for level, m in events) == 2, events
    touch_later(template, '{% extends "builtin/policy-brief.md.j2" %}{% block bluf %}'
                          "House bottom line.{% endblock %}")
    watcher.step()
    assert Log.wrote(log.take()) == ["main.pdf", "second.pdf"]


def test_a_theme_change_rebuilds(workspace, tmp_path):
    root, watcher, log = make(workspace, tmp_path)
    theme = root.parent / "house.yaml"  # outside the watched folders: followed anyway
    (root / "briefgen.yaml").write_text(f"theme: {theme}\n")  # a house theme, on purpose
    theme.write_text("parent: modern\n")
    watcher.step()
    assert Log.wrote(log.take()) == ["main.pdf", "second.pdf"]
    touch_later(theme, "parent: modern\nheading_colour: '#AA0000'\n")
    watcher.step()
    assert Log.wrote(log.take()) == ["main.pdf", "second.pdf"]
    touch_later(theme, "parent: modern\nheading_colour: red\n")
    watcher.step()
    events = log.take()
    assert any(level == "error" and "house.yaml:2: 'heading_colour' must be a colour" in m
               for level, m in events), events


def test_the_loop_polls_until_told_to_stop(workspace, tmp_path):
    root, watcher, log = make(workspace, tmp_path)
    sleeps = []
    watch(watcher, interval=0.25, max_steps=3, sleep=sleeps.append)
    assert sleeps == [0.25, 0.25]
    assert Log.wrote(log.take()) == ["main.pdf", "second.pdf"]
    watch(watcher, stop=lambda: True)  # stops before looking


def _sigint_default() -> None:
    # A test run started in the background by a shell without job control (nohup ... &, some
    # CI runners) ignores SIGINT, and a program inherits that: Ctrl-C would then be ignored by
    # design, and this test would wait for nothing. The command gets Ctrl-C as in a terminal.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_the_command_cleanly(workspace, tmp_path):
    root = workspace()
    err = tmp_path / "stderr.txt"
    with open(err, "w") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "watch", "-w", str(root),
                                 "-f", "pdf", "-o", str(tmp_path / "out")],
                                stdout=subprocess.PIPE, stderr=stderr, text=True,
                                preexec_fn=_sigint_default)
        try:
            deadline = time.monotonic() + 60
            while "watching for changes" not in err.read_text():
                assert proc.poll() is None, err.read_text()
                assert time.monotonic() < deadline, err.read_text()
                time.sleep(0.1)
            proc.send_signal(signal.SIGINT)
            out, _ = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
    text = err.read_text()
    assert proc.returncode == 0, text
    assert "stopped watching" in text and "Traceback" not in text
    assert f"wrote {tmp_path / 'out' / 'main.pdf'}" in out


def test_a_problem_does_not_hide_the_warnings(workspace, tmp_path):
    root, watcher, log = make(workspace, tmp_path)
    (root / "content/sources/s.yaml").write_text("id: report-a\ntitle: Report A\nnote: x\n")
    (root / "content/developments/more.yaml").write_text("- id: x\n  date: 2024-13\n")
    watcher.step()
    events = [(level, m) for level, m in log.take() if level in ("error", "warning")]
    assert [level for level, _ in events][-1] == "warning", events
    assert any("s.yaml:3: unknown field 'note'" in m for _, m in events), events
    assert events[0][0] == "error" and "more.yaml" in events[0][1], events


def test_a_deleted_output_file_is_built_again(workspace, tmp_path):
    root, watcher, log = make(workspace, tmp_path)
    assert watcher.step()
    log.take()
    (tmp_path / "out" / "second.pdf").unlink()
    assert watcher.step()
    assert Log.wrote(log.take()) == ["second.pdf"]
    assert (tmp_path / "out" / "second.pdf").is_file()
    assert not watcher.step()


def test_a_folder_1500_levels_deep_is_no_crash(workspace, tmp_path):
    root, watcher, log = make(workspace, tmp_path)
    here = os.getcwd()
    os.chdir(root / "content/actors")
    try:
        for _ in range(1500):  # relative steps: an absolute path this long is too long for the OS
            os.mkdir("d")
            os.chdir("d")
    finally:
        os.chdir(here)
    try:
        assert watcher.step()
        assert Log.wrote(log.take()) == ["main.pdf", "second.pdf"]
    finally:
        _remove_deep(root / "content/actors/d")


def _remove_deep(top):
    """rmdir a chain of folders called d, from the bottom (shutil.rmtree recurses, and pytest's
    clean-up of old temporary folders would fail on it)."""
    here = os.getcwd()
    os.chdir(top)
    depth = 0
    try:
        while os.path.isdir("d"):
            os.chdir("d")
            depth += 1
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("d")
    finally:
        os.chdir(here)
    os.rmdir(top)


def test_a_failure_in_a_step_is_reported_and_watching_goes_on(workspace, tmp_path, monkeypatch):
    root, watcher, log = make(workspace, tmp_path)
    import briefgen.watch as w

    def broken(*args, **kwargs):
        raise OverflowError("date value out of range")
    monkeypatch.setattr(w, "build_brief", broken)
    assert watcher.step()
    events = log.take()
    assert ("error", "internal error (a bug in briefgen; please report it): OverflowError: "
                     "date value out of range") in events, events
    monkeypatch.undo()
    touch_later(root / "content/briefs/second.yaml")
    assert watcher.step()
    assert Log.wrote(log.take()) == ["main.pdf", "second.pdf"]
