"""Timeline layout: events on a date axis, as a scene (scene.py; points, y down).

Two layouts, chosen by the data:
- "axis" (up to 8 events whose labels fit in 4 lanes): a horizontal date axis; each label is a
  small flag (bold date, then the title in up to two lines) on a leader line above its marker.
  Lanes are filled right to left, lowest free lane first, so a leader never crosses a label.
- "rows" (more events): one row per event, in date order: the date, the title (one line, cut
  with an ellipsis), and the event on a time strip with the year grid (a Gantt-style chart).
  Rows are 11 pt apart; when they would not fit on a page the figure keeps the most significant
  events (high, then medium, then low; evenly spread in time within the last level that fits)
  and says how many it left out; a rug under the strip's axis still marks every event.
Past ``AGGREGATE_OVER`` events (document/periods.py) build.py draws timeline_counts.py's bars
of counts per period instead.
"""
from __future__ import annotations

import datetime

from ..document.nodes import TimelineData, TimelineEvent
from ..months import MONTH_ABBREVIATIONS
from .scene import Circle, Line, Pen, Rect, Scene, flow, mix

SIG_RANK = {"high": 0, "medium": 1, "low": 2}
SIG_NAMES = ("high", "medium", "low")

LABEL = 7.5  # label text size (pt)
SMALL = 6.5  # ticks, legend, notes
ROW = 11.0  # row pitch in the rows layout
AXIS_MAX_EVENTS = 8
AXIS_MAX_LANES = 4


def split_label(ev: TimelineEvent) -> tuple[str, str]:
    """("4–5 September 2024", "RATS SCO conference") from "4–5 September 2024: RATS SCO ..."."""
    date, sep, title = ev.label.partition(": ")
    if sep and date.strip() and title.strip():
        return date.strip(), title.strip()
    d = ev.start
    return f"{d.day} {MONTH_ABBREVIATIONS[d.month - 1]} {d.year}", ev.label.strip()


def marker_style(pen: Pen, sig: str) -> tuple[float, str, str | None]:
    """(radius, fill, stroke) of an event marker by significance."""
    rank = SIG_RANK.get(sig, 1)
    if rank == 0:
        return 4.0, pen.accent, None
    if rank == 1:
        return 3.1, mix(pen.accent, "#FFFFFF", 0.55), pen.accent
    return 2.3, mix(pen.muted, "#FFFFFF", 0.3), None


def bar_fill(pen: Pen, sig: str) -> str:
    rank = SIG_RANK.get(sig, 1)
    base = pen.accent if rank < 2 else pen.muted
    return mix(base, "#FFFFFF", (0.45, 0.65, 0.6)[rank])


class DateScale:
    def __init__(self, lo: datetime.date, hi: datetime.date, x0: float, x1: float):
        span = (hi - lo).days
        pad = max(10, round(span * 0.03)) if span else 45
        # kept within the calendar: content may reach from year 1 to 9999-12-31
        self.lo = datetime.date.fromordinal(max(1, lo.toordinal() - pad))
        self.hi = datetime.date.fromordinal(min(datetime.date.max.toordinal(),
                                                hi.toordinal() + pad))
        self.a = self.lo.toordinal()
        self.k = (x1 - x0) / max(1, self.hi.toordinal() - self.a)
        self.x0 = x0

    def x(self, d: datetime.date, end: bool = False) -> float:
        return self.x0 + (d.toordinal() + (1 if end else 0) - self.a) * self.k

    def ticks(self, pen: Pen) -> list[tuple[float, str]]:
        """Tick positions and labels: months, quarters, half years or years, the finest step
        whose labels all fit side by side (a step chosen from an average label width gave a
        20-month span one label, "2024")."""
        for step in (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200):
            out = self._ticks(step)
            widths = [pen.width(text, "regular", SMALL) for _, text in out]
            if all(b[0] - a[0] >= (wa + wb) / 2 + 6
                   for a, b, wa, wb in zip(out, out[1:], widths, widths[1:])):
                return out
        return out

    def _ticks(self, step: int) -> list[tuple[float, str]]:
        out = []
        m = self.lo.year * 12 + self.lo.month - 1
        m += (-m) % step
        first = True
        while m // 12 <= datetime.MAXYEAR:
            d = datetime.date(m // 12, m % 12 + 1, 1)
            if d > self.hi:
                break
            if d >= self.lo:
                if step >= 12:
                    text = str(d.year)
                elif first or d.month == 1:
                    text = f"{MONTH_ABBREVIATIONS[d.month - 1]} {d.year}"
                else:
                    text = MONTH_ABBREVIATIONS[d.month - 1]
                out.append((self.x(d), text))
                first = False
            m += step
        return out


def tick_labels(scene: Scene, pen: Pen, ticks, y: float, x_lo: float, x_hi: float) -> None:
    """Tick labels centred on their ticks, kept inside [x_lo, x_hi]; one that would touch the
    previous label is left out."""
    last = -1e9
    for tx, text in ticks:
        w = pen.width(text, "regular", SMALL)
        x = min(max(tx, x_lo + w / 2), x_hi - w / 2)
        item = pen.text(x, y, text, "regular", SMALL, pen.muted, "middle")
        if item.box[0] >= last + 6:
            scene.items.append(item)
            last = item.box[2]


def legend(pen: Pen, events: list[TimelineEvent], width: float) -> tuple[list, float]:
    """Which markers mean which significance, and that bars are periods: (items, height)."""
    present = {SIG_NAMES[SIG_RANK.get(e.significance, 1)] for e in events}
    entries = [(0.0, "Significance:")] + [(10.0, n) for n in SIG_NAMES if n in present]
    if any(e.end > e.start for e in events):
        entries.append((21.0, "period (date range or approximate date)"))
    places, height = flow(pen, entries, width, SMALL)
    items: list = []
    for (swatch, text), (x, y) in zip(entries, places):
        if text in SIG_NAMES:
            r, fill, stroke = marker_style(pen, text)
            items.append(Circle(x + 4, y - 2.3, r, fill, stroke, 0.6))
        elif swatch:
            items.append(Rect(x, y - 4.6, 16, 4.6, bar_fill(pen, "medium"), None, 0, 2.3))
        items.append(pen.text(x + swatch, y, pen.fit(text, "regular", SMALL, width - swatch),
                              "regular", SMALL, pen.muted))
    return items, height


def timeline_scene(data: TimelineData, width: float, pen: Pen, max_height: float) -> Scene:
    events = sorted(data.events, key=lambda e: (e.start, e.end))
    if not events:
        scene = pen.scene(width, 24.0)
        scene.items.append(pen.text(width / 2, 15, "No events to show", "italic", SMALL,
                                    pen.muted, "middle"))
        return scene
    if len(events) <= AXIS_MAX_EVENTS:
        scene = _axis_layout(events, width, pen)
        if scene is not None:
            return scene
    return _rows_layout(events, width, pen, max_height)


# --- axis layout ----------------------------------------------------------------------------

def _axis_layout(events: list[TimelineEvent], width: float, pen: Pen) -> Scene | None:
    lo, hi = min(e.start for e in events), max(e.end for e in events)
    scale = DateScale(lo, hi, 8.0, width - 8.0)
    lead = LABEL * 1.22
    max_w = min(160.0, max(90.0, width / 3.2))
    flags = []  # (x, lines, box width)
    for ev in events:
        date, title = split_label(ev)
        lines = [pen.fit(date, "bold", LABEL, max_w)] + pen.wrap(title, "regular", LABEL, max_w, 2)
        w = max(pen.width(t, "bold" if i == 0 else "regular", LABEL) for i, t in enumerate(lines))
        flags.append((scale.x(ev.start), lines, w))
    # lanes, filled from the rightmost event: each label goes to the lowest lane where it does
    # not touch another label and where its leader does not cross a label in a lower lane
    lanes: list[list[tuple[float, float]]] = []
    placed: list[tuple[int, float, float]] = [(0, 0.0, 0.0)] * len(flags)
    for i in range(len(flags) - 1, -1, -1):
        x, lines, w = flags[i]
        x0, x1 = (x, x + 3 + w) if x + 3 + w <= width else (x - 3 - w, x)
        for k in range(AXIS_MAX_LANES):
            if k == len(lanes):
                lanes.append([])
            if any(x0 < b1 + 6 and b0 < x1 + 6 for b0, b1 in lanes[k]):
                continue
            if any(b0 - 2 <= x <= b1 + 2 for lane in lanes[:k] for b0, b1 in lane):
                continue
            lanes[k].append((x0, x1))
            placed[i] = (k, x0, x1)
            break
        else:
            return None
    lane_h = max(len(lines) for _, lines, _ in flags) * lead + 7
    key, top = legend(pen, events, width)
    axis_y = top + len(lanes) * lane_h + 8
    scene = pen.scene(width, axis_y + 22)
    scene.items += key
    scene.items.append(Line([(0, axis_y), (width, axis_y)], pen.rule, 0.8))
    ticks = scale.ticks(pen)
    for tx, _ in ticks:
        scene.items.append(Line([(tx, axis_y), (tx, axis_y + 3)], pen.rule, 0.6))
    tick_labels(scene, pen, ticks, axis_y + 11, 0.0, width)
    for ev, (x, lines, w), (k, x0, x1) in zip(events, flags, placed):
        top_y = axis_y - 8 - (k + 1) * lane_h + 7
        scene.items.append(Line([(x, axis_y), (x, top_y)], pen.rule, 0.6))
        left = x0 == x
        tx = x0 + 3 if left else x1 - 3
        for j, text in enumerate(lines):
            scene.items.append(pen.text(tx, top_y + LABEL * 0.8 + j * lead, text,
                                        "bold" if j == 0 else "regular", LABEL,
                                        pen.ink,
                                        "start" if left else "end"))
    for ev in events:  # markers on top of the axis and the leaders
        _marker(scene, pen, ev, scale, axis_y)
    return scene


def _marker(scene: Scene, pen: Pen, ev: TimelineEvent, scale: DateScale, y: float) -> None:
    r, fill, stroke = marker_style(pen, ev.significance)
    x = scale.x(ev.start)
    if ev.end > ev.start:
        x_end = scale.x(ev.end, end=True)
        h = max(3.0, r * 1.3)
        scene.items.append(Rect(x, y - h / 2, max(x_end - x, 0.5), h,
                                bar_fill(pen, ev.significance), None, 0, min(h / 2, 2.0)))
    scene.items.append(Circle(x, y, r, fill, stroke, 0.6))


# --- rows layout ----------------------------------------------------------------------------

def _pick(events: list[TimelineEvent], n: int) -> list[TimelineEvent]:
    """The ``n`` events to show: by significance, evenly spread in time within a level."""
    if len(events) <= n:
        return events
    keep: set[int] = set()
    for rank in (0, 1, 2):
        tier = [i for i, e in enumerate(events) if SIG_RANK.get(e.significance, 1) == rank]
        room = n - len(keep)
        if len(tier) <= room:
            keep.update(tier)
        else:
            keep.update(tier[int((j + 0.5) * len(tier) / room)] for j in range(room))
            break
    return [e for i, e in enumerate(events) if i in keep]


def _rows_layout(events: list[TimelineEvent], width: float, pen: Pen,
                 max_height: float) -> Scene:
    key, head = legend(pen, events, width)
    head += 16.0  # the strip's tick labels
    foot = 14.0
    fit = max(1, int((max_height - head - foot - 6) // ROW))
    shown = _pick(events, fit)
    hidden = len(events) - len(shown)
    labels = [split_label(e) for e in shown]
    date_w = min(max(pen.width(d, "bold", LABEL) for d, _ in labels), width * 0.22)
    title_x = date_w + 8
    # The time strip takes what the titles leave on one line, between 30% and 60% of the
    # width (a fixed 30% left short titles beside blank space and the events cramped).
    natural = max(pen.width(t, "regular", LABEL) for _, t in labels)
    strip_w = min(max(width - title_x - natural - 10, width * 0.3, min(110.0, width)),
                  max(width * 0.6, min(110.0, width)))
    strip_x0 = width - strip_w
    title_w = strip_x0 - 10 - title_x
    lead = LABEL * 1.2
    # titles wrap to two lines when there are few rows and the page has the room
    titles = [pen.wrap(t, "regular", LABEL, title_w, 2) for _, t in labels]
    rows = [ROW + (len(t) - 1) * lead for t in titles]
    if len(shown) > 40 or head + sum(rows) + 4 + (foot if hidden else 0) > max_height:
        titles = [[pen.fit(t, "regular", LABEL, title_w)] for _, t in labels]
        rows = [ROW] * len(shown)
    y0 = head
    y1 = head + sum(rows)
    scene = pen.scene(width, y1 + 4 + (foot if hidden else 0))
    scene.items += key
    lo, hi = min(e.start for e in events), max(e.end for e in events)
    scale = DateScale(lo, hi, strip_x0 + 4, width - 4)
    tops = [y0 + sum(rows[:i]) for i in range(len(rows))]
    for i in range(0, len(shown), 2):  # stripes help the eye along a row
        scene.items.append(Rect(0, tops[i], width, rows[i], pen.stripe))
    ticks = scale.ticks(pen)
    for tx, _ in ticks:
        scene.items.append(Line([(tx, y0 - 4), (tx, y1)], pen.faint, 0.5))
    tick_labels(scene, pen, ticks, y0 - 8, strip_x0 - 4, width)
    scene.items.append(Line([(strip_x0, y0 - 4), (width, y0 - 4)], pen.rule, 0.6))
    if hidden:  # a rug of every event, so the left-out ones still show in time
        for e in events:
            x = scale.x(e.start)
            scene.items.append(Line([(x, y0 - 4), (x, y0 - 1.5)], pen.muted, 0.4))
    for ev, (date, _), title, top in zip(shown, labels, titles, tops):
        base = top + ROW / 2 + LABEL * 0.36
        scene.items.append(pen.text(0, base, pen.fit(date, "bold", LABEL, date_w), "bold",
                                    LABEL, pen.ink))
        for j, line in enumerate(title):
            scene.items.append(pen.text(title_x, base + j * lead, line, "regular", LABEL,
                                        pen.ink))
        _marker(scene, pen, ev, scale, top + ROW / 2)
    if hidden:
        note = (f"+{hidden} more events not shown (lower significance); "
                f"the ticks under the time axis mark all {len(events)}.")
        scene.items.append(pen.text(0, y1 + 4 + 9, pen.fit(note, "italic", SMALL, width),
                                    "italic", SMALL, pen.muted))
    return scene
