"""What a process remembers between renders changes no byte: font string widths, PDF number
text, and a server worker's collection of a render's garbage between requests."""
from __future__ import annotations

import gc
import math

import pytest
from reportlab.lib import rl_accel
from reportlab.pdfbase.ttfonts import TTFont

from briefgen.fonts.faces import DEJAVU_DIR
from briefgen.render.pdf import number_text
from briefgen.render.pdf.internals import ExtractableTTFont
from briefgen.serve import worker

NUMBERS = [0, 1, 1.0, -1, 0.5, 1e-8, -1e-8, 0.1 + 0.2, 72, 595.2756, 841.8898, 1 / 3, -2 / 3,
           12345.678901, 1e7 + 0.25, 0.000123456, -0.999999, 3.999, 2 ** 40, math.pi]


def test_the_remembered_number_text_is_reportlabs_own(monkeypatch):
    installed = number_text.remember_number_text()
    # the modules that write a brief's page content and objects: a reportlab release that
    # renames them shows here (the memo is then simply not used there)
    assert {"reportlab.pdfgen.canvas", "reportlab.pdfgen.textobject",
            "reportlab.pdfbase.pdfdoc"} <= set(installed)
    from reportlab.pdfgen import canvas
    remembered = canvas.fp_str
    assert remembered is not rl_accel.fp_str and remembered.original is rl_accel.fp_str
    for _ in range(2):  # the second time from the memo
        for n in NUMBERS:
            assert remembered(n) == rl_accel.fp_str(n), n
        assert remembered(*NUMBERS) == rl_accel.fp_str(*NUMBERS)
        assert remembered(NUMBERS) == rl_accel.fp_str(NUMBERS)
        assert remembered((1, 2.5)) == rl_accel.fp_str((1, 2.5)) == "1 2.5"
    assert number_text.remember_number_text() == installed  # once per process


def test_the_number_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(number_text, "_KEPT", 50)
    fp = number_text._memo(rl_accel.fp_str)
    for k in range(1000):
        assert fp(k / 7) == rl_accel.fp_str(k / 7)
    known = next(c.cell_contents for c in fp.__closure__ if isinstance(c.cell_contents, dict))
    assert 0 < len(known) <= 50


def test_a_non_number_is_reportlabs_error_not_the_memos():
    fp = number_text._memo(rl_accel.fp_str)
    with pytest.raises(TypeError) as theirs:
        rl_accel.fp_str([1], [2])
    with pytest.raises(type(theirs.value)):
        fp([1], [2])


STRINGS = ["", " ", "word", "Afghanistan", "Ṭālibān", "ښځډ", "漢字", "a\u200cb", "𝔄𝔟", "x" * 500,
           "mixed Кабул کابل 喀布尔"]


@pytest.mark.parametrize("face", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
def test_remembered_string_widths_are_reportlabs(face):
    path = DEJAVU_DIR / face
    ours, plain = ExtractableTTFont("memo-test", str(path)), TTFont("plain-test", str(path))
    for _ in range(2):
        for s in STRINGS:
            for size in (7, 9.5, 10, 24):
                assert ours.stringWidth(s, size) == plain.stringWidth(s, size), (s, size)
    assert ours.stringWidth("word".encode("utf-8"), 10) == plain.stringWidth(b"word", 10)


def test_the_width_memo_is_bounded(monkeypatch):
    path = DEJAVU_DIR / "DejaVuSans.ttf"
    font = ExtractableTTFont("memo-bound", str(path))
    monkeypatch.setattr(ExtractableTTFont, "_WIDTHS_KEPT", 10)
    for k in range(100):
        font.stringWidth(f"w{k}", 10)
    assert 0 < len(font._widths) <= 10


def test_a_worker_collects_a_renders_garbage_after_replying(monkeypatch):
    events = []

    class Conn:
        tasks = ["task-1", "task-2"]

        def send(self, message):
            events.append(("send", message if message == "ready" else message.status))

        def recv(self):
            if not self.tasks:
                raise EOFError
            return self.tasks.pop(0)

    class Cycle:  # what a render leaves: objects that only the collector frees
        def __init__(self):
            self.me = self

    def run(state, task):
        for _ in range(1000):
            Cycle()
        return worker.Reply(200, data=task.encode())

    real_collect = gc.collect
    monkeypatch.setattr(worker, "_warm_up", lambda state: None)
    monkeypatch.setattr(worker, "run", run)
    monkeypatch.setattr(worker.os, "chdir", lambda path: None)
    monkeypatch.setattr(worker.signal, "signal", lambda *a: None)
    monkeypatch.setattr(worker.gc, "freeze", lambda: None)
    monkeypatch.setattr(worker.gc, "set_threshold", lambda *a: None)
    monkeypatch.setattr(worker.gc, "collect",
                        lambda *a: events.append(("collect", real_collect(*a))))
    gc.disable()  # only the worker's own collections free the cycles
    try:
        worker.main(Conn(), ".")
    finally:
        gc.enable()
    collected = [e for e in events if e[0] == "collect"]
    # after warm-up, then after each reply, before the next task is read
    assert [e[0] for e in events] == ["collect", "send", "send", "collect", "send", "collect"]
    assert all(n >= 1000 for _, n in collected[1:])


def test_numbered_copies_free_each_renders_garbage_before_the_next(monkeypatch):
    """Eight copies of a 300-development brief peaked at 274 MB with the garbage of every
    earlier copy still held; freed between copies, 140 MB."""
    from pathlib import Path

    from briefgen import build as build_module
    from briefgen.build import BuildOptions, rendered_files
    from briefgen.loading import read_workspace

    repo = Path(__file__).resolve().parent.parent
    workspace, problems = read_workspace(repo)
    assert not problems
    brief = workspace.corpus.briefs["afghanistan-central-asia"]
    live_cycles = []

    class Cycle:
        def __init__(self):
            self.me = self

    real_render = build_module.render

    def render(*args):  # each copy's render leaves cyclic garbage behind, as reportlab's does
        for _ in range(500):
            Cycle()
        return real_render(*args)

    def collect(*args):
        live_cycles.append(sum(isinstance(o, Cycle) for o in gc.get_objects()))
        return real_collect(*args)

    real_collect = gc.collect
    monkeypatch.setattr(build_module, "render", render)
    monkeypatch.setattr(build_module.gc, "collect", collect)
    gc.disable()
    try:
        files = rendered_files(workspace, brief, BuildOptions(formats=["html"], copies=True),
                               None, [])
    finally:
        gc.enable()
        real_collect()
    assert len(files) == len(brief.distribution) == 3
    # before copies 2 and 3, each time with just the previous copy's garbage; none after the last
    assert live_cycles == [500, 500]
