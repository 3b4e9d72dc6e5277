"""The aggregated timeline: past ``AGGREGATE_OVER`` developments, bars of how many start in each
period (document/periods.py chooses day, week, month, quarter, year...), stacked by
significance (high at the foot, in the accent colour) on the same date axis as the small
timeline, with a count axis, a legend and a note of the total. High-significance developments
are still named where there is room: short flags above the bars, in up to ``FLAG_LANES`` lanes,
evenly spread in time when not all fit; a note says how many are named.
"""
from __future__ import annotations

from ..document.nodes import TimelineData, TimelineEvent
from ..document.periods import SIGNIFICANCE, Period, periods
from .scene import Line, Pen, Rect, Scene, flow, mix
from .timeline import LABEL, SMALL, DateScale, split_label, tick_labels

PLOT_HEIGHT = 150.0  # the bars' full height (pt), less when the page is short
FLAG_LANES = 3
FLAG_MAX_W = 120.0
# high-significance events tried for a flag, in spread order: three lanes hold a few dozen flags
# at most, and measuring 25,000 titles (100,000 ACLED events) took 0.4 s for nothing
FLAG_TRIES = 200
COUNT_SIZE = 5.5  # a bar's count above it, where the bar is wide enough


def stack_fill(pen: Pen, rank: int) -> str:
    """high, medium, low: the timeline's marker colours (timeline.marker_style)."""
    return (pen.accent, mix(pen.accent, "#FFFFFF", 0.55), mix(pen.muted, "#FFFFFF", 0.3))[rank]


def _step(top: int) -> int:
    """A 1-2-5 step that gives at most five count ticks up to ``top``."""
    step = 1
    while True:
        for f in (1, 2, 5):
            if top / (step * f) <= 5:
                return step * f
        step *= 10


def _legend(pen: Pen, unit: str, ranks: list[int], width: float) -> tuple[list, float]:
    entries = [(0.0, f"Developments per {unit}, by significance:")]
    entries += [(10.0, SIGNIFICANCE[r]) for r in ranks]
    places, height = flow(pen, entries, width, SMALL)
    items: list = []
    for (swatch, text), (x, y) in zip(entries, places):
        if swatch:
            items.append(Rect(x, y - 6.5, 7, 7, stack_fill(pen, SIGNIFICANCE.index(text))))
        items.append(pen.text(x + swatch, y, pen.fit(text, "regular", SMALL, width - swatch),
                              "regular", SMALL, pen.muted))
    return items, height


def _flags(pen: Pen, high: list[TimelineEvent], scale: DateScale, width: float):
    """(event, x, text, lane, (x0, x1)) of the high-significance events that get a flag."""
    order = list(range(len(high)))
    # middle-out over time: when not all fit, the named ones spread over the whole span
    order.sort(key=lambda i: (_spread_rank(i, len(high)), i))
    lanes: list[list[tuple[float, float]]] = [[] for _ in range(FLAG_LANES)]
    placed = []
    for i in order[:FLAG_TRIES]:
        ev = high[i]
        date, title = split_label(ev)
        text = pen.fit(f"{date}: {title}", "regular", LABEL - 1, FLAG_MAX_W)
        w = pen.width(text, "regular", LABEL - 1)
        x = scale.x(ev.start)
        x0, x1 = (x, x + 3 + w) if x + 3 + w <= width else (x - 3 - w, x)
        for k in range(FLAG_LANES):
            if any(x0 < b1 + 6 and b0 < x1 + 6 for b0, b1 in lanes[k]):
                continue
            # the leader goes down through the lanes below: none of their flags in its way
            if any(b0 - 2 <= x <= b1 + 2 for lane in lanes[k + 1:] for b0, b1 in lane):
                continue
            if any(x0 - 2 <= px <= x1 + 2 for _, px, _, pk, _ in placed if pk < k):
                continue
            lanes[k].append((x0, x1))
            placed.append((ev, x, text, k, (x0, x1)))
            break
    placed.sort(key=lambda p: (p[0].start, p[1]))
    return placed


def _spread_rank(i: int, n: int) -> int:
    """The order in which bisecting [0, n) reaches ``i`` (0 for the middle, then quarters...)."""
    depth, lo, hi = 0, 0, n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if i == mid:
            return depth * n + i
        lo, hi = (lo, mid) if i < mid else (mid + 1, hi)
        depth += 1
    return depth * n + i


def counts_scene(data: TimelineData, width: float, pen: Pen, max_height: float) -> Scene:
    events = sorted(data.events, key=lambda e: (e.start, e.end))
    unit, bars = periods(events)
    ranks = [r for r in range(3) if any(p.counts[r] for p in bars)]
    key, top = _legend(pen, unit, ranks, width)
    peak = max(p.total for p in bars)
    step = _step(peak)
    y_max = -(-peak // step) * step
    ticks = list(range(0, y_max + 1, step))
    gutter = max(pen.width(str(t), "regular", SMALL) for t in ticks) + 5
    lo, hi = bars[0].start, bars[-1].end
    scale = DateScale(lo, hi, gutter + 2, width - 2)
    high = [e for e in events if e.significance == "high"]
    flags = _flags(pen, high, scale, width)
    lane_h = (LABEL - 1) * 1.25 + 3
    n_lanes = 1 + max((f[3] for f in flags), default=-1)
    foot = 30.0  # the date ticks and the note
    plot_top = top + n_lanes * lane_h + 8
    plot_h = max(60.0, min(PLOT_HEIGHT, max_height - plot_top - foot))
    base = plot_top + plot_h
    scene = pen.scene(width, base + foot)
    scene.items += key
    unit_h = plot_h / y_max
    for t in ticks:  # the count axis: faint grid lines with their numbers
        y = base - t * unit_h
        scene.items.append(Line([(gutter, y), (width, y)], pen.faint if t else pen.rule,
                                0.5 if t else 0.8))
        scene.items.append(pen.text(gutter - 4, y + SMALL * 0.36, str(t), "regular", SMALL,
                                    pen.muted, "end"))
    for p in bars:
        _bar(scene, pen, p, scale, base, unit_h)
    for ev, x, text, k, (x0, x1) in flags:
        y = top + k * lane_h + (LABEL - 1) * 0.9
        bar_top = base - _total_at(bars, ev) * unit_h
        # stops above the bar's count
        scene.items.append(Line([(x, y + 2), (x, bar_top - 8)], pen.rule, 0.5))
        scene.items.append(pen.text(x0 + 3 if x0 == x else x1 - 3, y, text, "regular",
                                    LABEL - 1, pen.ink, "start" if x0 == x else "end"))
    date_ticks = scale.ticks(pen)
    for tx, _ in date_ticks:
        scene.items.append(Line([(tx, base), (tx, base + 3)], pen.rule, 0.6))
    tick_labels(scene, pen, date_ticks, base + 11, gutter, width)
    note = f"{len(events)} developments, counted in the {unit} in which each starts"
    if high:
        note += (f"; {len(flags)} of the {len(high)} of high significance named above the bars"
                 if flags else f"; {len(high)} of high significance")
    scene.items.append(pen.text(0, base + 24, pen.fit(note + ".", "italic", SMALL, width),
                                "italic", SMALL, pen.muted))
    return scene


def _total_at(bars: list[Period], ev: TimelineEvent) -> int:
    for p in bars:
        if p.start <= ev.start <= p.end:
            return p.total
    return 0


def _bar(scene: Scene, pen: Pen, p: Period, scale: DateScale, base: float,
         unit_h: float) -> None:
    x0, x1 = scale.x(p.start), scale.x(p.end, end=True)
    gap = min(1.0, (x1 - x0) * 0.15)
    x0, w = x0 + gap / 2, max(0.3, x1 - x0 - gap)
    y = base
    for rank, n in enumerate(p.counts):
        if n:
            h = n * unit_h
            scene.items.append(Rect(x0, y - h, w, h, stack_fill(pen, rank)))
            y -= h
    label = str(p.total)
    if p.total and pen.width(label, "regular", COUNT_SIZE) <= w + 1:
        scene.items.append(pen.text(x0 + w / 2, y - 1.5, label, "regular", COUNT_SIZE,
                                    pen.muted, "middle"))
