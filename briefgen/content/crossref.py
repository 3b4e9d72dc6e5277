"""Every id that points somewhere must point at something that exists."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..errors import Problem
from .fields import did_you_mean
from .models import Corpus, SourceRef


@dataclass(frozen=True)
class Unloaded:
    """A content file that did not parse, and what it would probably have defined."""

    kind: str
    shown: str
    line: int | None
    names: frozenset[str]

# what references into an unloaded file of each kind point at
_NOUNS = {"actors": "actors it seems to define", "sources": "sources it seems to define",
          "developments": "tags its developments seem to carry"}


def check_references(corpus: Corpus, unloaded: Iterable[Unloaded] = ()) -> list[Problem]:
    """A problem for each reference to nothing; references that the ``unloaded`` files (which
    did not parse) seem to define make one problem per such file instead."""
    problems: list[Problem] = []
    actors, sources = corpus.actors, corpus.sources
    unloaded = list(unloaded)
    # per unloaded file, the files whose references it probably holds
    waiting: dict[Unloaded, list[str]] = {}

    def in_unloaded(kind: str, name: str, path: str) -> bool:
        for file in unloaded:
            if file.kind == kind and name in file.names:
                waiting.setdefault(file, []).append(path)
                return True
        return False

    def actor_ref(actor_id: str, path: str, line: int, where: str) -> None:
        if actor_id and actor_id not in actors and not in_unloaded("actors", actor_id, path):
            problems.append(Problem(f"unknown actor '{actor_id}' in {where}"
                                    f"{did_you_mean(actor_id, actors)}: define it in "
                                    "content/actors or fix the id", path, line))

    def source_refs(refs: list[SourceRef], path: str) -> None:
        for ref in refs:
            if ref.source and ref.source not in sources and \
                    not in_unloaded("sources", ref.source, path):
                problems.append(Problem(f"unknown source '{ref.source}'"
                                        f"{did_you_mean(ref.source, sources)}: define it in "
                                        "content/sources or fix the id", path, ref.line))

    for actor in actors.values():
        path = actor.origin.path
        source_refs(actor.sources, path)
        for rel in actor.relations:
            actor_ref(rel.actor, path, rel.line, f"a relation of '{actor.id}'")
            source_refs(rel.sources, path)
    for dev in corpus.developments.values():
        path = dev.origin.path
        for i, actor_id in enumerate(dev.actors):
            actor_ref(actor_id, path, dev.origin.at("actors", i), f"development '{dev.id}'")
        source_refs(dev.sources, path)
    tags = {t for d in corpus.developments.values() for t in d.tags}
    for brief in corpus.briefs.values():
        path, scope = brief.origin.path, brief.scope
        actor_ref(brief.subject, path, brief.origin.at("subject"), f"the subject of brief "
                                                                   f"'{brief.id}'")
        if scope.origin is None:
            continue
        for key in ("actors", "profiles"):
            for i, actor_id in enumerate(getattr(scope, key)):
                actor_ref(actor_id, path, scope.origin.at(key, i),
                          f"'scope.{key}' of brief '{brief.id}'")
        for i, tag in enumerate(scope.tags):
            if tag not in tags and not in_unloaded("developments", tag, path):
                problems.append(Problem(f"no development has the tag '{tag}' named in the scope"
                                        f"{did_you_mean(tag, tags)}: fix the tag or remove it",
                                        path, scope.origin.at("tags", i)))
    for file, paths in waiting.items():
        count = len(paths)
        users = sorted(set(paths))
        named = ", ".join(users[:3]) + (f" and {len(users) - 3} more" if len(users) > 3 else "")
        problems.append(Problem(
            f"this file did not load, so {count} reference{'s' if count > 1 else ''} to "
            f"{_NOUNS[file.kind]} (from {named}) could not be checked: fix "
            "this file first",
            file.shown, file.line))
    return problems
