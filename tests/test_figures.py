"""Figures: one layout (a scene), drawn as a reportlab Drawing (PDF) and as a PNG (DOCX)."""
import copy
import datetime as dt
import io
import itertools
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader
from reportlab.graphics import renderPDF

from briefgen.document.nodes import (Figure, MapEdge, MapNode, RelationMapData, TimelineData,
                                     TimelineEvent)
from briefgen.errors import BriefgenError
from briefgen.figures.build import (build_scene, figure_drawing, figure_png, figure_size,
                                    max_figure_height)
from briefgen.figures.scene import TextItem, boxes_overlap
from briefgen.figures.timeline import split_label
from briefgen.theme.model import default_theme

from .doc_fixture import print_document
from .readers import squash

THEME = default_theme()


def names():
    """The reportlab names of the figure faces, registered as the PDF renderer does."""
    from briefgen.render.pdf.styles import register_family
    return register_family(THEME.heading_font)
WIDTH = 595.2756 - 68 - 68  # the A4 text width of the default theme

TITLES = ["Taliban regain control of Kabul", "SCO summit in Dushanbe",
          "Kazakhstan delists the Taliban", "RATS SCO conference, Ташкент",
          "ISKP claims rocket attack on Termez", "Встреча министров иностранных дел ОДКБ",
          "CSTO exercises on the Tajik-Afghan border near Panj, with a title far too long to fit "
          "on one line of the figure"]
KINDS = ["state", "organisation", "armed-group", "movement", "person", "other"]
NAMES = ["Uzbekistan", "Shanghai Cooperation Organisation", "Taliban", "ISIS-K",
         "Абдусалом Азизов", "Tajikistan", "CSTO", "Russia", "China", "Kazakhstan",
         "Jamaat Ansarullah", "Turkmenistan", "UN Security Council", "Pakistan", "Iran"]
RELATIONS = ["member of", "fights", "security chief of", "hosts", "negotiates with",
             "sanctions", "supplies arms to", "borders"]


def sample_figures() -> dict[str, Figure]:
    return {f.kind: f for f in print_document().children if isinstance(f, Figure)}


def timeline(n: int) -> Figure:
    """``n`` events over four years: days, months and spans, every significance."""
    events = []
    for i in range(n):
        start = dt.date(2021, 1, 1) + dt.timedelta(days=(i * 397) % 1400)
        if i % 5 == 0:
            end, when = start + dt.timedelta(days=40 + i % 90), f"{start:%B %Y}"
        else:
            end, when = start, f"{start.day} {start:%B %Y}"
        events.append(TimelineEvent(start, end, f"{when}: {TITLES[i % len(TITLES)]}",
                                    ("high", "medium", "low", "medium")[i % 4]))
    return Figure("timeline", TimelineData(events), "Timeline")


def relation_map(n: int, m: int) -> Figure:
    nodes = [MapNode(f"a{i}", NAMES[i % len(NAMES)] + (f" {i}" if i >= len(NAMES) else ""),
                     KINDS[(i * 7) % 6]) for i in range(n)]
    edges = []
    for j in range(m):
        a, b = (j * 7 + 3) % n, (j * 11 + 5 + j // n) % n
        if a != b:
            edges.append(MapEdge(f"a{a}", f"a{b}", RELATIONS[j % len(RELATIONS)]))
    return Figure("relation-map", RelationMapData(nodes, edges), "Relations")


def pdf_text(fig: Figure) -> str:
    pdf = renderPDF.drawToString(figure_drawing(fig, WIDTH, THEME, names()))
    return squash(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def assert_legible(fig: Figure) -> None:
    """No two text items overlap, and all text lies inside the figure."""
    scene = build_scene(fig, WIDTH, THEME)
    texts = scene.texts()
    assert texts
    for t in texts:
        assert t.text.strip(), "empty text item"
        assert -0.01 <= t.box[0] and t.box[2] <= scene.width + 0.01, t.text
        assert -0.01 <= t.box[1] and t.box[3] <= scene.height + 0.01, t.text
        assert t.size >= 4.5, t.text
    clashes = [(a.text, b.text) for a, b in itertools.combinations(texts, 2)
               if boxes_overlap(a.box, b.box)]
    assert not clashes


# --- sizes, PNG, determinism -------------------------------------------------------------

@pytest.mark.parametrize("kind", ["timeline", "relation-map"])
def test_drawing_and_png_have_the_promised_size(kind):
    fig = sample_figures()[kind]
    w, h = figure_size(fig, WIDTH, THEME)
    assert w == pytest.approx(WIDTH) and 40 < h <= max_figure_height(THEME)
    drawing = figure_drawing(fig, WIDTH, THEME, names())
    assert (drawing.width, drawing.height) == pytest.approx((w, h))
    for dpi in (200, 300):
        px_w, px_h = png_size(figure_png(fig, WIDTH, THEME, dpi=dpi))
        assert px_w == round(WIDTH / 72 * dpi) and px_h == round(h / 72 * dpi)


def test_png_bytes_are_deterministic():
    for fig in sample_figures().values():
        first = figure_png(fig, WIDTH, THEME)
        again = figure_png(copy.deepcopy(fig), WIDTH, THEME)  # a new object: laid out again
        assert first == again


def test_layout_is_deterministic():
    fig = relation_map(15, 20)
    assert build_scene(fig, WIDTH, THEME) == build_scene(copy.deepcopy(fig), WIDTH, THEME)


def test_figure_drawing_does_not_import_matplotlib():
    code = ("import sys; from tests.test_figures import *; "
            "figure_drawing(sample_figures()['relation-map'], WIDTH, THEME, names()); "
            "figure_drawing(timeline(20), WIDTH, THEME, names()); "
            "assert 'matplotlib.pyplot' not in sys.modules and 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(
        __import__("pathlib").Path(__file__).resolve().parent.parent))


# --- text: all there, readable, nothing overlaps ------------------------------------------

def test_timeline_pdf_has_every_date_and_title():
    fig = sample_figures()["timeline"]
    text = pdf_text(fig)
    for ev in fig.data.events:
        date, title = split_label(ev)
        assert date in text
        assert title in text
    assert "4–5 September 2024" in text and "Ташкент" in text


def test_map_pdf_has_every_actor_and_relation():
    fig = sample_figures()["relation-map"]
    text = pdf_text(fig)
    for node in fig.data.nodes:
        assert node.label in text
    for edge in fig.data.edges:
        assert edge.label in text
    assert "Абдусалом Азизов" in text


def test_dense_map_writes_every_relation_on_the_map_or_in_the_key():
    fig = relation_map(24, 40)
    text = pdf_text(fig)
    for node in fig.data.nodes:
        assert node.label in text
    scene = build_scene(fig, WIDTH, THEME)
    shown = squash(" ".join(t.text for t in scene.texts()))
    for edge in fig.data.edges:
        assert edge.label in shown


@pytest.mark.parametrize("make", [
    lambda: sample_figures()["timeline"], lambda: timeline(6), lambda: timeline(30),
    lambda: timeline(100), lambda: timeline(300),
    lambda: sample_figures()["relation-map"], lambda: relation_map(12, 14),
    lambda: relation_map(40, 50),
], ids=["sample-timeline", "timeline-6", "timeline-30", "timeline-100", "timeline-300",
        "sample-map", "map-12", "map-40"])
def test_labels_do_not_overlap(make):
    assert_legible(make())


def test_long_labels_are_shortened_with_an_ellipsis():
    long = "A " + "very " * 60 + "long title"
    events = [TimelineEvent(dt.date(2022, 1, 1), dt.date(2022, 1, 1), f"1 January 2022: {long}"),
              TimelineEvent(dt.date(2023, 1, 1), dt.date(2023, 1, 1), "2023: short")]
    fig = Figure("timeline", TimelineData(events))
    assert_legible(fig)
    assert any(t.text.endswith("…") for t in build_scene(fig, WIDTH, THEME).texts())


def twenty_months() -> Figure:
    """A situation report's developments, February 2023 to September 2024, one a month."""
    events = []
    for i in range(20):
        year, month = divmod(1 + i, 12)
        day = dt.date(2023 + year, month + 1, 10 + i % 15)
        title = TITLES[i % 5]  # the short ones: the time strip gets the room they leave
        events.append(TimelineEvent(day, day, f"{day.day} {day:%B %Y}: {title}",
                                    ("high", "medium", "low")[i % 3]))
    return Figure("timeline", TimelineData(events), "Developments")


def test_a_twenty_month_timeline_has_a_readable_axis_and_room():
    """It showed one axis label ("2024") and drew its events on 30% of the width."""
    from briefgen.figures.scene import Circle
    fig = twenty_months()
    assert_legible(fig)
    scene = build_scene(fig, WIDTH, THEME)
    markers = sorted(item.cx for item in scene.items if isinstance(item, Circle)
                     and item.cy > 30)  # not the legend's
    assert markers[-1] - markers[0] >= 0.35 * WIDTH
    ticks = [t.text for t in scene.texts()
             if re.fullmatch(r"(\w{3} )?\d{4}|\w{3}", t.text)]
    assert len(ticks) >= 4, ticks
    assert any("2023" in t for t in ticks) and any("2024" in t for t in ticks)
    pdf = pdf_text(fig)
    for label in ticks:
        assert label in pdf


def test_many_events_fit_a_page_and_say_what_is_left_out():
    fig = timeline(60)  # the most one mark per event is drawn for (past it: test_timeline_counts)
    w, h = figure_size(fig, WIDTH, THEME)
    assert h <= max_figure_height(THEME)
    texts = [t.text for t in build_scene(fig, WIDTH, THEME).texts()]
    more = [t for t in texts if t.startswith("+")]
    assert more and "more events" in more[0]
    shown = int(more[0][1:].split()[0])
    assert 0 < shown < 60
    # every high-significance event that is shown comes before any low one is dropped
    high = [e for e in fig.data.events if e.significance == "high"]
    assert sum(split_label(e)[1][:20] in " ".join(texts) for e in high) > 0


def test_big_map_fits_a_page():
    fig = relation_map(60, 80)
    assert figure_size(fig, WIDTH, THEME)[1] <= max_figure_height(THEME)
    assert_legible(fig)


# --- odd input ----------------------------------------------------------------------------

@pytest.mark.parametrize("fig", [
    Figure("timeline", TimelineData([])),
    Figure("timeline", TimelineData(timeline(1).data.events)),
    Figure("timeline", TimelineData([TimelineEvent(dt.date(2024, 5, 1), dt.date(2024, 5, 1),
                                                   "no date prefix here")] * 3)),
    Figure("relation-map", RelationMapData([], [])),
    Figure("relation-map", RelationMapData([MapNode("x", "Лишь один", "person")], [])),
    Figure("relation-map", RelationMapData([MapNode("x", "Self", "state"),
                                            MapNode("y", "Other", "unknown-kind")],
                                           [MapEdge("x", "x", "reforms itself"),
                                            MapEdge("x", "y", "a"), MapEdge("y", "x", "b"),
                                            MapEdge("x", "y", "c")])),
], ids=["0-events", "1-event", "same-day", "0-nodes", "1-node", "loops-and-parallels"])
def test_degenerate_input_gives_a_small_valid_figure(fig):
    w, h = figure_size(fig, WIDTH, THEME)
    assert w == pytest.approx(WIDTH) and h > 0
    pdf = renderPDF.drawToString(figure_drawing(fig, WIDTH, THEME, names()))
    assert pdf.startswith(b"%PDF")
    assert png_size(figure_png(fig, WIDTH, THEME, dpi=200))[0] == round(WIDTH / 72 * 200)
    if build_scene(fig, WIDTH, THEME).texts():
        assert_legible(fig)


def test_narrow_width_still_works():
    for fig in (timeline(5), timeline(40), relation_map(8, 10)):
        w, h = figure_size(fig, 220.0, THEME)
        assert w == 220.0 and h > 0
        scene = build_scene(fig, 220.0, THEME)
        assert all(t.box[2] <= 220.01 for t in scene.texts())


def test_unknown_kind_and_bad_data_raise():
    with pytest.raises(BriefgenError, match="unknown figure kind"):
        figure_size(Figure("pie-chart", TimelineData([]), line=7), WIDTH, THEME)
    with pytest.raises(BriefgenError):
        figure_drawing(Figure("timeline", RelationMapData([], [])), WIDTH, THEME, names())
    nodes = [MapNode("a", "A", "state"), MapNode("b", "B", "state")]
    with pytest.raises(BriefgenError, match="'c'"):
        figure_size(Figure("relation-map", RelationMapData(nodes, [MapEdge("a", "c", "x")])),
                    WIDTH, THEME)


def test_scene_text_is_plain_text():
    """Markup-looking labels are drawn literally (reportlab's String does not parse markup)."""
    events = [TimelineEvent(dt.date(2022, 1, 1), dt.date(2022, 1, 1), "2022: <b>bold</b> & $x$"),
              TimelineEvent(dt.date(2023, 1, 1), dt.date(2023, 1, 1), "2023: second")]
    fig = Figure("timeline", TimelineData(events))
    assert any(isinstance(t, TextItem) and "<b>bold</b> & $x$" in t.text
               for t in build_scene(fig, WIDTH, THEME).texts())
    assert "<b>bold</b> & $x$" in pdf_text(fig)
    figure_png(fig, WIDTH, THEME)  # no mathtext parsing of "$x$"
