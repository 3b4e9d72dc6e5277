"""Alt text: what a reader who cannot see a figure or an image is told.

A figure's caption names it ("Developments in scope by date"); its alt text says what it shows,
in words made from the same data the renderers draw: for a timeline the period, how many
developments and which are of high significance; for a relation map the actors and their
relations. resolve() fills ``Figure.alt`` with ``describe`` unless the template gave one (the
``alt:`` line of a ``::: figure`` block). Every renderer uses that one text (the PDF's /Alt, the
DOCX picture's description), so the formats cannot disagree. It is never printed as body text.
"""
from __future__ import annotations


from ..months import month_name
from . import nodes as d
from .periods import SIGNIFICANCE, aggregated, periods, plural

# High-significance developments named one by one; more are counted.
MAX_NAMED = 5
# A relation map described actor by actor and relation by relation up to this many characters
# (a screen reader reads alt text in one go, without a way to skim); past it, a summary of the
# best-connected actors and a pointer to the text, which lists every relation.
MAX_MAP_CHARS = 1000
MAX_HUBS = 5
# the busiest periods an aggregated timeline's alt text names
MAX_BUSIEST = 3


def describe(figure: d.Figure) -> str:
    """The alt text generated from the figure's data."""
    data = figure.data
    if isinstance(data, d.TimelineData):
        return timeline_alt(data)
    if isinstance(data, d.RelationMapData):
        return relation_map_alt(data)
    return ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _date_and_title(event: d.TimelineEvent) -> tuple[str, str]:
    """The printed date and the title of an event ("August 2021", "Taliban regain control")."""
    date, sep, title = event.label.partition(": ")
    if sep and date.strip() and title.strip():
        return date.strip(), title.strip()
    return event.start.isoformat(), event.label.strip()


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def timeline_alt(data: d.TimelineData) -> str:
    events = data.events
    if not events:
        return "Timeline with no developments."
    first = min(events, key=lambda e: (e.start, -e.end.toordinal()))
    last = max(events, key=lambda e: (e.start, e.end))
    start, end = _date_and_title(first)[0], _date_and_title(last)[0]
    reach = max(e.end for e in events)
    if reach > last.end:  # an earlier development runs on past the last one's date
        end = f"{month_name(reach.month)} {reach.year}"
    period = f"in {start}" if start == end else f"from {start} to {end}"
    text = f"Timeline of {_plural(len(events), 'development')} {period}"
    high = [e for e in events if e.significance == "high"]
    if aggregated(events):
        text = _counts(events, text)
        if not high:
            return text + ". None is of high significance."
    if not high:
        return text + ", none of high significance."
    named = [f"{title} ({date})" for date, title in map(_date_and_title, high[:MAX_NAMED])]
    more = len(high) - len(named)
    listed = "; ".join(named) + (f"; and {more} more" if more else "")
    return f"{text}. Of high significance ({len(high)}): {listed}."


def _counts(events: list[d.TimelineEvent], text: str) -> str:
    """What the aggregated timeline (periods.py) draws: the bars' unit, the split by
    significance and the busiest periods."""
    unit, bars = periods(events)
    split = ", ".join(f"{sum(p.counts[r] for p in bars)} {name}"
                      for r, name in enumerate(SIGNIFICANCE))
    busiest = sorted((p for p in bars if p.total), key=lambda p: -p.total)[:MAX_BUSIEST]
    listed = _join([f"{p.label} ({p.total})" for p in busiest])
    many = unit if len(bars) == 1 else plural(unit)
    return (f"{text}, drawn as bars of the developments per {unit} ({len(bars)} {many})"
            f" by significance ({split}). The busiest {plural(unit)}: {listed}")


def _actor(node: d.MapNode) -> str:
    kind = node.kind.replace("-", " ") if node.kind and node.kind != "other" else ""
    return f"{node.label} ({kind})" if kind else node.label


def relation_map_alt(data: d.RelationMapData) -> str:
    names = {n.id: n.label for n in data.nodes}
    head = (f"Relation map of {_plural(len(data.nodes), 'actor')} and "
            f"{_plural(len(data.edges), 'relation')}")
    actors = _join([_actor(n) for n in data.nodes]) if data.nodes else "none"
    relations = [f"{names.get(e.source, e.source)}: {' '.join(e.label.split())} "
                 f"{names.get(e.target, e.target)}" for e in data.edges]
    full = f"{head}. Actors: {actors}." + (f" Relations: {'; '.join(relations)}."
                                            if relations else "")
    if len(full) <= MAX_MAP_CHARS:
        return full
    degree = {n.id: 0 for n in data.nodes}
    for e in data.edges:
        for end in (e.source, e.target):
            degree[end] = degree.get(end, 0) + 1
    hubs = sorted(degree, key=lambda a: (-degree[a], names.get(a, a)))[:MAX_HUBS]
    listed = _join([f"{names.get(a, a)} ({_plural(degree[a], 'relation')})" for a in hubs])
    return (f"{head}. The most connected: {listed}. Each actor's relations are listed "
            "with the actor in the text.")


def images_without_alt(blocks) -> list[d.Image]:
    """The embedded images whose Markdown gave no alt text, in document order."""
    out: list[d.Image] = []
    for node in blocks:
        if isinstance(node, d.Image) and not " ".join(str(node.alt or "").split()):
            out.append(node)
        elif isinstance(node, (d.BulletList, d.OrderedList)):
            for item in node.items:
                out += images_without_alt(item.children)
        elif isinstance(node, (d.Callout, d.BlockQuote)):
            out += images_without_alt(node.children)
    return out
