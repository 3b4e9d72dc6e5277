"""Every id that points somewhere must point at something that exists."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, NamedTuple

from ..errors import Problem
from .fields import did_you_mean
from .models import Corpus


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


class Reference(NamedTuple):
    kind: str  # what it points at: "actors" or "sources"
    id: str
    line: int | None
    where: str  # what refers, as a message names it: "development 'x'", "a relation of 'y'"


def references(kind: str, item) -> list[Reference]:
    """The actor and source ids a loaded actor, development or brief (``kind``: its folder)
    refers to, in the order they are checked in; empty ones too. A scope's tags name no item:
    check_references looks at them itself."""
    found = []
    if kind == "actors":
        found += [Reference("sources", r.source, r.line, f"actor '{item.id}'")
                  for r in item.sources]
        for rel in item.relations:
            where = f"a relation of '{item.id}'"
            found.append(Reference("actors", rel.actor, rel.line, where))
            found += [Reference("sources", r.source, r.line, where) for r in rel.sources]
    elif kind == "developments":
        where = f"development '{item.id}'"
        found += [Reference("actors", a, item.origin.at("actors", i), where)
                  for i, a in enumerate(item.actors)]
        found += [Reference("sources", r.source, r.line, where) for r in item.sources]
    elif kind == "briefs":
        if item.subject:
            found.append(Reference("actors", item.subject, item.origin.at("subject"),
                                   f"the subject of brief '{item.id}'"))
        scope = item.scope
        for key in ("actors", "profiles"):
            found += [Reference("actors", a, scope.origin.at(key, i) if scope.origin
                                else item.origin.line, f"'scope.{key}' of brief '{item.id}'")
                      for i, a in enumerate(getattr(scope, key))]
    return found


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

    def check(ref: Reference, path: str) -> None:
        defined = actors if ref.kind == "actors" else sources
        if not ref.id or ref.id in defined or in_unloaded(ref.kind, ref.id, path):
            return
        # a source is cited in many places of an item: its line says where
        where = f" in {ref.where}" if ref.kind == "actors" else ""
        problems.append(Problem(f"unknown {ref.kind[:-1]} '{ref.id}'{where}"
                                f"{did_you_mean(ref.id, defined)}: define it in "
                                f"content/{ref.kind} or fix the id", path, ref.line))

    tags = {t for d in corpus.developments.values() for t in d.tags}
    for kind, items in (("actors", actors), ("developments", corpus.developments),
                        ("briefs", corpus.briefs)):
        for item in items.values():
            path = item.origin.path
            for ref in references(kind, item):
                check(ref, path)
            scope = item.scope if kind == "briefs" else None
            if scope is None or scope.origin is None:
                continue
            for i, tag in enumerate(scope.tags):
                if tag not in tags and not in_unloaded("developments", tag, path):
                    problems.append(Problem(f"no development has the tag '{tag}' named in the "
                                            f"scope{did_you_mean(tag, tags)}: fix the tag or "
                                            "remove it", path, scope.origin.at("tags", i)))
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
