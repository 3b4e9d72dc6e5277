"""Counting a big timeline's events per period: what the aggregated timeline draws and its alt
text describes (one computation, so the figure and its description cannot disagree).

Past ``AGGREGATE_OVER`` events a timeline no longer draws one mark per development (a page holds
about 60 rows; 100,000 imported ACLED events would be a black smear): it draws how many start in
each day, week, month, quarter, year, decade, century or millennium, whichever is the finest unit that gives at most
``MAX_PERIODS`` bars over the span, each bar split by significance. A development that runs over
several periods is counted once, in the period where it starts.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..months import month_name
from .nodes import TimelineEvent

AGGREGATE_OVER = 60  # more events than this: counts per period instead of one mark per event
MAX_PERIODS = 60  # at most this many bars; the finest unit that keeps under it is chosen
SIGNIFICANCE = ("high", "medium", "low")
# unit name, as said in "per ..." and in the legend
UNITS = ("day", "week", "month", "quarter", "year", "decade", "century", "millennium")
PLURALS = {"century": "centuries", "millennium": "millennia"}
YEARS = {"year": 1, "decade": 10, "century": 100, "millennium": 1000}


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # its last day
    label: str  # "4 March 2024", "March 2024", "Q1 2024", "2024", "week of 4 March 2024", "2010s"
    counts: tuple[int, int, int]  # developments starting in it: high, medium, low

    @property
    def total(self) -> int:
        return sum(self.counts)


def plural(unit: str) -> str:
    return PLURALS.get(unit, unit + "s")


def aggregated(events: list[TimelineEvent]) -> bool:
    return len(events) > AGGREGATE_OVER


def _key(unit: str, d: datetime.date) -> int:
    """A number that grows by one from each period of ``unit`` to the next."""
    if unit == "day":
        return d.toordinal()
    if unit == "week":
        return (d.toordinal() - 1) // 7  # ordinal 1 (1 January 1) is a Monday
    if unit == "month":
        return d.year * 12 + d.month - 1
    if unit == "quarter":
        return d.year * 4 + (d.month - 1) // 3
    return d.year // YEARS[unit]


def _bounds(unit: str, k: int) -> tuple[datetime.date, datetime.date, str]:
    # month names: calendar's, which content.dates writes dates with (this stage comes before
    # content), so a bar's label and the dates in the text cannot be spelt differently
    top = datetime.date.max
    if unit == "day":
        day = datetime.date.fromordinal(k)
        return day, day, f"{day.day} {month_name(day.month)} {day.year}"
    if unit == "week":
        start = datetime.date.fromordinal(max(1, k * 7 + 1))
        end = datetime.date.fromordinal(min(top.toordinal(), k * 7 + 7))
        return start, end, f"week of {start.day} {month_name(start.month)} {start.year}"
    if unit == "month":
        y, m = divmod(k, 12)
        nxt = datetime.date(y + 1, 1, 1) if m == 11 and y < top.year else (
            datetime.date(y, m + 2, 1) if m < 11 else None)
        end = nxt - datetime.timedelta(days=1) if nxt else top
        return datetime.date(y, m + 1, 1), end, f"{month_name(m + 1)} {y}"
    if unit == "quarter":
        y, q = divmod(k, 4)
        start = datetime.date(y, q * 3 + 1, 1)
        end = (datetime.date(y, q * 3 + 4, 1) - datetime.timedelta(days=1) if q < 3
               else datetime.date(y, 12, 31))
        return start, end, f"Q{q + 1} {y}"
    if unit == "year":
        return datetime.date(k, 1, 1), datetime.date(k, 12, 31), str(k)
    n = YEARS[unit]
    first, last = max(1, k * n), min(top.year, k * n + n - 1)
    label = f"{first}s" if n == 10 and first == k * n else f"{first}–{last}"
    return datetime.date(first, 1, 1), datetime.date(last, 12, 31), label


def choose_unit(events: list[TimelineEvent]) -> str:
    lo = min(e.start for e in events)
    hi = max(e.start for e in events)
    for unit in UNITS:
        if _key(unit, hi) - _key(unit, lo) + 1 <= MAX_PERIODS:
            return unit
    return UNITS[-1]


def periods(events: list[TimelineEvent]) -> tuple[str, list[Period]]:
    """The unit and every period from the first event's to the last's (empty ones included, so
    that the bars stand on an even time axis)."""
    unit = choose_unit(events)
    counts: dict[int, list[int]] = {}
    for e in events:
        rank = SIGNIFICANCE.index(e.significance) if e.significance in SIGNIFICANCE else 1
        counts.setdefault(_key(unit, e.start), [0, 0, 0])[rank] += 1
    first, last = min(counts), max(counts)
    out = []
    for k in range(first, last + 1):
        start, end, label = _bounds(unit, k)
        out.append(Period(start, end, label, tuple(counts.get(k, (0, 0, 0)))))
    return unit, out
