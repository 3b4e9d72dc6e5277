"""Which developments, actors and relations a brief covers (the contract's scope rules)."""
from __future__ import annotations

from dataclasses import dataclass

from .content.models import (ACTOR_KINDS, SIGNIFICANCE, Actor, Brief, Corpus, Development,
                             Relation)


@dataclass
class Selection:
    brief: Brief
    developments: list[Development]  # in scope, by date
    actors: list[Actor]  # listed in scope or involved in an in-scope development
    relations: dict[str, list[Relation]]  # actor id -> relations known by the cut-off


def in_scope(dev: Development, brief: Brief) -> bool:
    scope = brief.scope
    if dev.date.start > brief.cutoff.end:
        return False
    if scope.actors and not set(dev.actors) & set(scope.actors):
        return False
    if scope.tags and not set(dev.tags) & set(scope.tags):
        return False
    # A fuzzy date covers its whole period: "2021" is in a scope that starts in August 2021.
    if scope.since and dev.last_day < scope.since.start:
        return False
    if scope.until and dev.date.start > scope.until.end:
        return False
    return SIGNIFICANCE.index(dev.significance) >= SIGNIFICANCE.index(scope.min_significance)


def select(corpus: Corpus, brief: Brief) -> Selection:
    cutoff = brief.cutoff.end
    developments = sorted((d for d in corpus.developments.values() if in_scope(d, brief)),
                          key=lambda d: (d.date.sort_key, d.id))
    actor_ids = set(brief.scope.actors)
    for dev in developments:
        actor_ids.update(dev.actors)
    actors = sorted((corpus.actors[a] for a in actor_ids if a in corpus.actors),
                    key=lambda a: (ACTOR_KINDS.index(a.kind) if a.kind in ACTOR_KINDS else 99,
                                   a.name.casefold(), a.id))
    relations = {a.id: [r for r in a.relations if not r.since or r.since.start <= cutoff]
                 for a in actors}
    return Selection(brief, developments, actors, relations)
