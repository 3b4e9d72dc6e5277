"""Which developments, actors and relations a brief covers (the contract's scope rules)."""
from __future__ import annotations

from dataclasses import dataclass

from ..content.models import ACTOR_KINDS, SIGNIFICANCE, Actor, Brief, Corpus, Development, Relation


@dataclass
class Selection:
    brief: Brief
    developments: list[Development]  # in scope, by date
    actors: list[Actor]  # listed in scope or involved in an in-scope development
    relations: dict[str, list[Relation]]  # actor id -> relations known by the cut-off
    subject: Actor | None = None  # the actor the brief is about (brief.subject)


def in_scope(dev: Development, brief: Brief) -> bool:
    scope = brief.scope
    if dev.date.start > brief.cutoff.end:
        return False
    if scope.actors and not set(dev.actors) & set(scope.actors):
        return False
    if brief.subject and brief.subject not in dev.actors:
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
    actor_ids = set(brief.scope.actors) | set(brief.scope.profiles)
    for dev in developments:
        actor_ids.update(dev.actors)
    subject = corpus.actors.get(brief.subject) if brief.subject else None
    if subject is not None:
        # A profile covers the subject and its partners in relations either way.
        actor_ids.add(subject.id)
        actor_ids.update(r.actor for r in known_relations(subject, cutoff))
        actor_ids.update(a.id for a, _ in incoming_relations(corpus, subject.id, cutoff))
    actors = sorted((corpus.actors[a] for a in actor_ids if a in corpus.actors),
                    key=lambda a: (ACTOR_KINDS.index(a.kind) if a.kind in ACTOR_KINDS else 99,
                                   a.name.casefold(), a.id))
    relations = {a.id: known_relations(a, cutoff) for a in actors}
    return Selection(brief, developments, actors, relations, subject)


def known_relations(actor: Actor, cutoff) -> list[Relation]:
    """The actor's relations, less those that began after the cut-off day."""
    return [r for r in actor.relations if not r.since or r.since.start <= cutoff]


def incoming_relations(corpus: Corpus, actor_id: str, cutoff) -> list[tuple[Actor, Relation]]:
    """Relations other actors hold towards ``actor_id``, known by the cut-off, by actor name."""
    found = [(a, r) for a in corpus.actors.values() if a.id != actor_id
             for r in known_relations(a, cutoff) if r.actor == actor_id]
    return sorted(found, key=lambda ar: (ar[0].name.casefold(), ar[0].id))
