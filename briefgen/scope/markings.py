"""Markings per item: a brief may not print an actor, development or source marked more
restrictively than the brief itself (a TLP:RED source in a TLP:AMBER brief). Items the brief's
scope leaves out do not count.

Markings compare within one scale: the TLP 2.0 labels (CLEAR < GREEN < AMBER < AMBER+STRICT <
RED), or the organisation's own levels, listed least restrictive first under ``markings`` in
briefgen.yaml. Two markings that are equal always agree; any other pair that no scale orders
is a problem too, since briefgen cannot tell that the brief covers the item.
"""
from __future__ import annotations

from ..content.models import TLP_LABELS, Brief, Corpus
from ..errors import Problem
from .select import known_relations, select

SHOWN_PER_BRIEF = 5  # items named per brief; the rest are counted


def _rank(marking: str, levels: list[str]) -> tuple[str, int] | None:
    if marking in TLP_LABELS:
        return ("TLP", TLP_LABELS.index(marking))
    folded = [level.casefold() for level in levels]
    if marking.casefold() in folded:
        return ("levels", folded.index(marking.casefold()))
    return None


def _covers(brief_marking: str, item_marking: str, levels: list[str]) -> str | None:
    """Why a brief marked ``brief_marking`` may not print an item marked ``item_marking``, or
    None when it may."""
    if brief_marking.casefold() == item_marking.casefold():
        return None
    if not brief_marking:
        return "the brief has no marking"
    brief, item = _rank(brief_marking, levels), _rank(item_marking, levels)
    if brief is None or item is None:
        unknown = item_marking if item is None else brief_marking
        return (f"'{unknown}' is neither a TLP label nor one of the levels listed under "
                "'markings' in briefgen.yaml, so the two cannot be compared")
    if brief[0] != item[0]:
        return "TLP and the organisation's levels cannot be compared"
    if item[1] > brief[1]:
        return f"{item_marking} is more restrictive than {brief_marking}"
    return None


def _printed(corpus: Corpus, brief: Brief) -> list:
    """The items the brief would print: developments in scope, their actors and the brief's,
    and the sources those cite."""
    selection = select(corpus, brief)
    cutoff = brief.cutoff.end
    items = list(selection.developments) + list(selection.actors)
    refs = [ref for item in items for ref in item.sources]
    refs += [ref for actor in selection.actors for rel in known_relations(actor, cutoff)
             for ref in rel.sources]
    seen = set()
    for ref in refs:
        source = corpus.sources.get(ref.source)
        if source is None or ref.source in seen:
            continue
        seen.add(ref.source)
        if not (source.date and source.date.start > cutoff):  # not yet out: not cited
            items.append(source)
    return items


def marking_problems(corpus: Corpus) -> list[Problem]:
    """A problem at each brief that would print an item marked above it."""
    return [p for brief in corpus.briefs.values() for p in brief_marking_problems(corpus, brief)]


def brief_marking_problems(corpus: Corpus, brief: Brief) -> list[Problem]:
    """A problem for each item ``brief`` would print that is marked above it. Checked for the
    brief as it is built too: ``--as-of`` or a brief posted to the server selects other items
    than the brief file checked at loading."""
    kinds = (corpus.actors, corpus.developments, corpus.sources)
    if not any(item.marking for items in kinds for item in items.values()):
        return []  # nearly always: no item is marked
    levels = corpus.settings.markings
    problems = []
    marking = brief.marking or corpus.settings.marking
    whence = "" if brief.marking else " (the workspace's default marking)"
    found = [(item, why) for item in _printed(corpus, brief) if item.marking
             and (why := _covers(marking, item.marking, levels))]
    line = brief.origin.at("marking")
    for item, why in found[:SHOWN_PER_BRIEF]:
        problems.append(Problem(
            f"brief '{brief.id}' is marked {marking or 'with nothing'}{whence} but would "
            f"print {item.noun} '{item.id}' marked {item.marking} "
            f"({item.origin.path}:{item.origin.at('marking')}): {why}; mark the brief at "
            "least as restrictively, or leave the item out of its scope",
            brief.origin.path, line))
    if len(found) > SHOWN_PER_BRIEF:
        more = len(found) - SHOWN_PER_BRIEF
        problems.append(Problem(f"brief '{brief.id}' would print {more} more item"
                                f"{'s' if more > 1 else ''} marked above it",
                                brief.origin.path, line))
    return problems
