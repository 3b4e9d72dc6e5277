"""The aggregated timeline: past AGGREGATE_OVER developments, counts per period as stacked bars,
read back as a reader sees them (the scene's bars and labels, the PDF's text, the DOCX picture's
description, the HTML's SVG)."""
from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefgen.document import nodes as d
from briefgen.document.alttext import timeline_alt
from briefgen.document.periods import AGGREGATE_OVER, MAX_PERIODS, periods
from briefgen.figures.build import build_scene, figure_png, figure_size, max_figure_height
from briefgen.figures.draw import to_png
from briefgen.figures.scene import Pen, Rect
from briefgen.figures.timeline_counts import COUNT_SIZE, counts_scene, stack_fill
from tests.readers import pdf_pages, squash
from tests.test_figures import THEME, WIDTH, assert_legible, pdf_text, timeline
from tests.test_hardening import build

ROOT = Path(__file__).resolve().parent.parent


def events_between(n: int, first: dt.date, days: int, sig=("high", "medium", "low", "medium")):
    out = []
    for i in range(n):
        day = first + dt.timedelta(days=(i * 7919) % days)
        out.append(d.TimelineEvent(day, day, f"{day.day} {day:%B %Y}: Event {i}",
                                   sig[i % len(sig)]))
    return out


def bars_read_back(scene):
    """(count per bar from its height against the count axis, count labels above bars)."""
    pen = Pen(THEME)
    fills = {stack_fill(pen, r) for r in range(3)}
    ticks = sorted((t.y, int(t.text)) for t in scene.texts()
                   if t.text.isdigit() and t.anchor == "end")
    (y_top, top), (y_zero, zero) = ticks[0], ticks[-1]
    assert zero == 0 and top > 0
    per_unit = (y_zero - y_top) / top  # baselines are shifted alike: their gap is the scale
    bars = [i for i in scene.items if isinstance(i, Rect) and i.fill in fills and i.y > 40]
    heights = sum(b.h for b in bars) / per_unit
    labels = [int(t.text) for t in scene.texts() if t.size == COUNT_SIZE]
    return heights, labels


@pytest.mark.parametrize("n", [AGGREGATE_OVER + 1, 300])
def test_bars_add_up_to_the_events_and_the_axis_and_legend_are_printed(n):
    fig = timeline(n)
    scene = build_scene(fig, WIDTH, THEME)
    heights, labels = bars_read_back(scene)
    assert heights == pytest.approx(n, abs=0.01)
    assert sum(labels) == n  # four years by month: every bar is wide enough for its count
    text = pdf_text(fig)
    assert "Developments per month, by significance:" in text
    for word in ("high", "medium", "low", "2021", "2022", "2023", "2024", "Apr", "Jul"):
        assert re.search(rf"\b{word}\b", text), word
    assert f"{n} developments, counted in the month in which each starts" in text
    assert_legible(fig)
    assert figure_size(fig, WIDTH, THEME)[1] <= max_figure_height(THEME)


def test_high_significance_events_are_still_named_where_there_is_room():
    fig = timeline(300)
    text = squash(" ".join(t.text for t in build_scene(fig, WIDTH, THEME).texts()))
    named = re.search(r"(\d+) of the 75 of high significance named above the bars", text)
    assert named and int(named.group(1)) >= 3
    high_titles = {e.label for e in fig.data.events if e.significance == "high"}
    flags = [t.text for t in build_scene(fig, WIDTH, THEME).texts() if ": " in t.text]
    assert len(flags) == int(named.group(1))
    assert all(any(label.startswith(f.rstrip("…")) for label in high_titles) for f in flags)


def test_sixty_events_keep_one_mark_each():
    scene = build_scene(timeline(AGGREGATE_OVER), WIDTH, THEME)
    texts = [t.text for t in scene.texts()]
    assert "Significance:" in texts
    assert not any(t.startswith("Developments per") for t in texts)


@pytest.mark.parametrize("days, unit", [(50, "day"), (200, "week"), (500, "month"), (3650, "quarter"),
                                        (40 * 365, "year"), (300 * 365, "decade"),
                                        (3000 * 365, "century")])
def test_the_unit_gives_a_readable_number_of_bars(days, unit):
    events = events_between(500, dt.date(1700, 3, 1), days)
    got, bars = periods(events)
    assert got == unit
    assert len(bars) <= MAX_PERIODS and len(bars) >= 12
    assert sum(p.total for p in bars) == 500
    assert all(a.end + dt.timedelta(days=1) == b.start for a, b in zip(bars, bars[1:]))
    fig = d.Figure("timeline", d.TimelineData(events))
    heights, _ = bars_read_back(build_scene(fig, WIDTH, THEME))
    assert heights == pytest.approx(500, abs=0.01)
    assert_legible(fig)


def test_the_ends_of_the_calendar_do_not_break_it():
    events = (events_between(40, dt.date(1, 1, 1), 30)
              + events_between(40, dt.date(9999, 12, 1), 30))
    unit, bars = periods(events)
    assert sum(p.total for p in bars) == 80 and len(bars) <= MAX_PERIODS
    assert_legible(d.Figure("timeline", d.TimelineData(events)))


def test_alt_text_describes_the_bars():
    data = d.TimelineData(events_between(120, dt.date(2023, 1, 1), 365,
                                         sig=("high", "low", "low", "low", "medium")))
    alt = timeline_alt(data)
    assert alt.startswith("Timeline of 120 developments from ")
    assert "drawn as bars of the developments per week (53 weeks) by significance " \
           "(24 high, 24 medium, 72 low)" in alt or "per month" in alt
    unit, bars = periods(data.events)
    busiest = sorted(bars, key=lambda p: -p.total)[:3]
    assert f"The busiest {unit}s: {busiest[0].label} ({busiest[0].total})" in alt
    old = d.TimelineData(events_between(200, dt.date(1700, 3, 1), 3000 * 365))
    assert "per century (30 centuries)" in timeline_alt(old)
    assert "The busiest centuries: 1800–1899 (" in timeline_alt(old)
    assert "Of high significance (24): " in alt and "and 19 more." in alt
    quiet = d.TimelineData(events_between(61, dt.date(2023, 1, 1), 365, sig=("low",)))
    assert timeline_alt(quiet).endswith("None is of high significance.")


def test_deterministic():
    fig = timeline(300)
    pen = Pen(THEME)
    a = counts_scene(fig.data, WIDTH, pen, max_figure_height(THEME))
    b = counts_scene(copy.deepcopy(fig.data), WIDTH, Pen(THEME), max_figure_height(THEME))
    assert a == b and to_png(a, 100) == to_png(b, 100)
    assert figure_png(fig, WIDTH, THEME) == figure_png(copy.deepcopy(fig), WIDTH, THEME)


def test_a_brief_over_many_developments_shows_the_bars_in_every_format(tmp_path):
    ws = tmp_path / "ws"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_workspace.py"), "90",
                    str(ws)], check=True, capture_output=True)
    build(ws, "big", formats=("pdf", "docx", "html"))
    out = ws / "output"
    pdf = " ".join(pdf_pages(out / "big.pdf"))
    assert "Developments per quarter, by significance:" in pdf
    assert "90 developments, counted in the quarter in which each starts" in pdf
    if shutil.which("pdftotext"):
        plain = subprocess.run(["pdftotext", str(out / "big.pdf"), "-"], check=True,
                               capture_output=True, text=True).stdout
        assert "Developments per quarter, by significance:" in plain
        for year in range(2016, 2025):
            assert str(year) in plain
    with zipfile.ZipFile(out / "big.docx") as z:
        body = z.read("word/document.xml").decode()
    assert re.search(r'descr="Timeline of 90 developments [^"]*drawn as bars of the '
                     r'developments per quarter', body)
    html = (out / "big.html").read_text(encoding="utf-8")
    assert "Developments per quarter, by significance:" in html and "<svg" in html
