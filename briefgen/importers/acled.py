"""ACLED's CSV export -> developments (one per event), the actors they involve and ACLED as
their source. The mapping is documented in README.md ("Importing ACLED events")."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..content.dates import FuzzyDate
from ..errors import BriefgenError, Problem, shown
from .items import Imported, Item, one_line, plain_markdown, slugify
from .tabular import Table, read_csv, require_columns

NEEDED = ("event_id_cnty", "event_date", "event_type", "actor1")
ACLED_URL = "https://acleddata.com"
# ACLED's interaction codes (inter1, inter2), and the words newer exports write instead
_INTER = {"1": ("state", "state forces"), "2": ("armed-group", "rebel group"),
          "3": ("armed-group", "political militia"), "4": ("armed-group", "identity militia"),
          "5": ("movement", "rioters"), "6": ("movement", "protesters"),
          "7": ("other", "civilians"), "8": ("organisation", "external or other forces")}
_INTER_WORDS = {words: code for code, (_, words) in _INTER.items()}
_INTER_WORDS.update({"rebel groups": "2", "political militias": "3", "identity militias": "4",
                     "external/other forces": "8", "protester": "6", "rioter": "5",
                     "civilian": "7", "state forces": "1"})
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y")


@dataclass
class AcledOptions:
    name: str = "acled"  # the import's name: its files and its dataset source's id
    high: int = 10  # fatalities from which an event is of high significance
    medium: int = 1  # ... of medium significance; fewer: low


def import_acled(path: Path, options: AcledOptions) -> Imported:
    table = read_csv(path, lowercase=True)
    require_columns(table, NEEDED, "an ACLED export")
    out = Imported("acled", table.shown)
    dataset = slugify(options.name)
    actors: dict[str, dict] = {}  # actor name -> what is known of it
    for line, row in table.rows:
        dev = _development(row, line, table, options, dataset, actors, out.problems)
        if dev is not None:
            out.items.append(dev)
    for actor_name, seen in sorted(actors.items()):
        out.items.append(_actor(actor_name, seen))
    out.items.append(Item("sources", {
        "id": dataset, "upstream_id": "ACLED",
        "title": "Armed Conflict Location & Event Data (ACLED)", "publisher": "ACLED",
        "url": ACLED_URL, "kind": "dataset"}, 1))
    return out


def _cell(row: dict, column: str) -> str:
    return one_line(row.get(column) or "")


def _date(row: dict, line: int, table: Table, problems: list[Problem]) -> tuple | None:
    text = _cell(row, "event_date")
    for fmt in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    else:
        try:  # a date that does not exist (2024-02-30): say why
            FuzzyDate.parse(text)
            why = "write it as 2024-03-15 or 15 March 2024"
        except ValueError as exc:
            why = str(exc)
        problems.append(Problem(f"event_date {shown(text)} is not a date: {why}",
                                table.shown, line))
        return None
    precision = _cell(row, "time_precision") or "1"
    if precision == "3":  # the source gives the month only
        return f"{day.year:04d}-{day.month:02d}", None
    if precision == "2":  # within the week around the recorded day
        return (day - dt.timedelta(days=3)).isoformat(), (day + dt.timedelta(days=3)).isoformat()
    return day.isoformat(), None


def _fatalities(row: dict, line: int, table: Table, problems: list[Problem]) -> int:
    text = _cell(row, "fatalities") or "0"
    if not text.isdigit():
        problems.append(Problem(f"fatalities {shown(text)} is not a whole number: fix the cell "
                                "(0 when none were reported)", table.shown, line))
        return 0
    return int(text)


def _names(row: dict, columns: tuple[str, ...]) -> list[str]:
    names = []
    for column in columns:
        for name in (row.get(column) or "").split(";"):
            name = one_line(name)
            if name and name not in names:
                names.append(name)
    return names


def _development(row, line, table, options, dataset, actors, problems) -> Item | None:
    upstream = _cell(row, "event_id_cnty")
    if not upstream:
        problems.append(Problem("event_id_cnty is empty: every ACLED event has one; restore it "
                                "from the export", table.shown, line))
        return None
    date = _date(row, line, table, problems)
    fatalities = _fatalities(row, line, table, problems)
    if date is None:
        return None
    event, sub = _cell(row, "event_type"), _cell(row, "sub_event_type")
    places = [p for p in (_cell(row, c) for c in ("location", "admin1", "country")) if p]
    places = [p for i, p in enumerate(places) if p not in places[:i]]
    what = f"{event}: {sub}" if sub and sub != event else event
    data = {"id": slugify(upstream, "acled"), "upstream_id": upstream, "date": date[0]}
    if date[1]:
        data["end"] = date[1]
    data["title"] = f"{what} in {places[0]}" if places else what
    notes = (row.get("notes") or "").strip()
    summary = plain_markdown(notes) if notes else "ACLED gives no notes on this event."
    if fatalities:
        summary += f"\n\nFatalities reported: {fatalities}."
    data["summary"] = summary
    involved = []
    for number in ("1", "2"):
        for name in _names(row, (f"actor{number}", f"assoc_actor_{number}")):
            seen = actors.setdefault(name, {"codes": Counter(), "first": date[0],
                                            "last": date[0], "events": 0, "line": line})
            seen["codes"][_code(_cell(row, f"inter{number}"))] += 1
            seen["events"] += 1
            seen["first"], seen["last"] = min(seen["first"], date[0]), max(seen["last"], date[0])
            actor_id = seen.get("id") or seen.setdefault("id", slugify(name, "acled"))
            if actor_id not in involved:
                involved.append(actor_id)
    if involved:
        data["actors"] = involved
    if places:
        data["location"] = ", ".join(places)
    tags = [slugify(t) for t in [event, sub] + _cell(row, "disorder_type").split(";") if t.strip()]
    data["tags"] = [t for i, t in enumerate(tags) if t not in tags[:i]]
    data["significance"] = ("high" if fatalities >= options.high else
                            "medium" if fatalities >= options.medium else "low")
    outlets = "; ".join(_names(row, ("source",)))
    ref = {"source": dataset, "locator": f"event {upstream}" + (f"; {outlets}" if outlets else "")}
    data["sources"] = [ref]
    return Item("developments", data, line, shard=date[0][:7])


def _code(inter: str) -> str:
    inter = inter.strip().lower()
    if inter in _INTER:
        return inter
    return _INTER_WORDS.get(inter, "")


def _actor(name: str, seen: dict) -> Item:
    # the code the actor has most often; ties go to the lower code, so the choice is stable
    code = min(seen["codes"].items(), key=lambda kv: (-kv[1], kv[0] or "9"))[0]
    kind, words = _INTER.get(code, ("other", ""))
    count = seen["events"]
    period = seen["first"]
    if seen["last"] != seen["first"]:
        period += f" to {seen['last']}"
    summary = (f"Named in {count} ACLED event{'s' if count > 1 else ''} ({period})"
               + (f", coded as {words}." if words else "."))
    return Item("actors", {"id": slugify(name, "acled"), "upstream_id": name, "name": name,
                           "kind": kind, "summary": plain_markdown(summary)}, seen["line"])
