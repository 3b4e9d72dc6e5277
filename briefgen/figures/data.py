"""Figure data from a brief's selection: what the timeline and relation map show."""
from __future__ import annotations

from ..content.models import Corpus
from ..document.nodes import MapEdge, MapNode, RelationMapData, TimelineData, TimelineEvent
from ..scope.select import Selection

MAX_MAP_ACTORS = 50


def timeline(selection: Selection) -> TimelineData | None:
    devs = selection.developments
    if len(devs) < 2:
        return None  # one point on an axis says nothing a sentence does not
    return TimelineData([TimelineEvent(d.date.start, d.last_day, f"{d.date.long()}: {d.title}",
                                       d.significance) for d in devs])


def relation_map(corpus: Corpus, selection: Selection) -> RelationMapData | None:
    in_scope = {a.id for a in selection.actors}
    edges = [MapEdge(actor_id, r.actor, r.type)
             for actor_id, relations in selection.relations.items()
             for r in relations if r.actor in in_scope and r.actor != actor_id]
    if selection.subject is not None:  # an actor profile maps the subject's own relations
        edges = [e for e in edges if selection.subject.id in (e.source, e.target)]
    linked = {e.source for e in edges} | {e.target for e in edges}
    if len(linked) > MAX_MAP_ACTORS:
        # Past ~50 actors a one-page map is unreadable and its layout cost grows quadratically
        # (10 s at 300 actors): keep the best-connected actors; the text lists every relation.
        degree = {a: 0 for a in linked}
        for e in edges:
            degree[e.source] += 1
            degree[e.target] += 1
        linked = set(sorted(linked, key=lambda a: (-degree[a], a))[:MAX_MAP_ACTORS])
        edges = [e for e in edges if e.source in linked and e.target in linked]
        linked = {e.source for e in edges} | {e.target for e in edges}
    if len(linked) < 2:
        return None
    # Actors without a relation to another in-scope actor would only be a ring of loose dots.
    nodes = [MapNode(a.id, a.name, a.kind) for a in selection.actors if a.id in linked]
    return RelationMapData(nodes, edges)


def figure_source(corpus: Corpus, selection: Selection):
    def source(kind: str):
        if kind == "timeline":
            return timeline(selection)
        if kind == "relation-map":
            return relation_map(corpus, selection)
        return None
    return source
