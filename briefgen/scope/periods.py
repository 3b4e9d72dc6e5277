"""Grouping developments by calendar period, and picking the ones that matter most.

Used by the template context (``developments_by_period()``, ``top_developments(n)``,
``changes``). Fuzzy dates keep their precision: a development dated "September 2024" cannot be
put in a week, so in a weekly grouping it gets a group of its own, labelled as a month.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from ..content.models import SIGNIFICANCE, Actor, Brief, Development
from ..content.dates import FuzzyDate

UNITS = ("week", "month", "year")


@dataclass
class PeriodGroup:
    label: str  # "Week of 2 September 2024", "September 2024", "2024"
    start: dt.date
    end: dt.date
    developments: list[Development] = field(default_factory=list)

    def __iter__(self):  # {% for label, devs in developments_by_period() %}
        return iter((self.label, self.developments))


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def brief_period(brief: Brief, developments: list[Development]) -> tuple[dt.date, dt.date]:
    """The period a brief covers: scope since (else its first development) to until / as_of."""
    end = brief.cutoff.end
    if brief.scope.until and brief.scope.until.end < end:
        end = brief.scope.until.end
    if brief.scope.since:
        start = brief.scope.since.start
    elif developments:
        start = min(d.date.start for d in developments)
    else:
        start = end
    return start, end


def grouping_unit(start: dt.date, end: dt.date) -> str:
    """Weeks for a period under two months, else months."""
    return "week" if end < add_months(start, 2) else "month"


def _group_of(date: FuzzyDate, unit: str) -> tuple[str, dt.date, dt.date]:
    if date.precision == "day" and unit == "week":
        monday = date.start - dt.timedelta(days=date.start.weekday())
        return (f"Week of {FuzzyDate(monday.year, monday.month, monday.day).long()}", monday,
                monday + dt.timedelta(days=6))
    if date.precision != "year" and unit in ("week", "month"):
        month = FuzzyDate(date.year, date.month)
        label = month.long()
        if unit == "week" and date.precision == "month":
            label += " (no exact date)"
        return label, month.start, month.end
    year = FuzzyDate(date.year)
    label = year.long() if unit == "year" else f"{date.year} (no exact date)"
    return label, year.start, year.end


def group_by_period(developments: list[Development], unit: str) -> list[PeriodGroup]:
    if unit not in UNITS:
        raise ValueError(f"unknown period '{unit}': use week, month or year")
    groups: dict[str, PeriodGroup] = {}
    for dev in developments:
        label, start, end = _group_of(dev.date, unit)
        groups.setdefault(label, PeriodGroup(label, start, end)).developments.append(dev)
    # By start; a wider period before the narrower ones that start on the same day.
    return sorted(groups.values(), key=lambda g: (g.start, -(g.end - g.start).days))


def top_developments(developments: list[Development], n: int) -> list[Development]:
    """The n most significant developments, the most recent first among equals; by date."""
    ranked = sorted(developments, key=lambda d: (SIGNIFICANCE.index(d.significance),
                                                 d.last_day, d.date.start, d.id), reverse=True)
    chosen = {id(d) for d in ranked[:max(0, int(n))]}
    return [d for d in developments if id(d) in chosen]


def changed_since(developments: list[Development], since: FuzzyDate | None) -> list[Development]:
    """Developments any part of which falls in or after the ``since`` period: "since June 2024"
    (``2024-06``) includes 21 June 2024, as a reader takes it. A fuzzy date or a span counts
    when it may reach into that period or later."""
    if since is None:
        return []
    return [d for d in developments if d.last_day >= since.start]


def updated_since(actors: list[Actor], since: FuzzyDate | None,
                  cutoff: FuzzyDate) -> list[Actor]:
    """Actor profiles reviewed in or after the ``since`` period (and not after the cut-off), by
    date then name: the same reading of ``since`` as :func:`changed_since`."""
    if since is None:
        return []
    found = [a for a in actors
             if a.updated and a.updated.end >= since.start and a.updated.start <= cutoff.end]
    return sorted(found, key=lambda a: (a.updated.sort_key, a.name.casefold(), a.id))
