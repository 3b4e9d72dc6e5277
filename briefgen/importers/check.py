"""Every imported item is read by the content reader before anything is written, exactly as
``briefgen validate`` will read the files: what it would refuse is reported now, at the line
(or row) of the input it came from, and nothing is written."""
from __future__ import annotations

from ..content.fields import did_you_mean
from ..content.parse import Parser
from ..content.yamlpos import PosDict, PosList
from ..errors import Problem
from .items import Imported


def _positioned(value, line: int):
    """``value`` as the loader would hand it over, every position at ``line``."""
    if isinstance(value, dict):
        out = PosDict()
        out.line = line
        for key, item in value.items():
            out[key] = _positioned(item, line)
            out.lines[key] = line
        return out
    if isinstance(value, list):
        out = PosList()
        out.line = line
        for item in value:
            out.append(_positioned(item, line))
            out.lines.append(line)
        return out
    return value


def check_items(imported: Imported) -> None:
    """Add to ``imported.problems`` what the content reader finds wrong with the items, and
    duplicate ids; its warnings (unknown fields ...) to ``imported.warnings``. The models it
    makes are dropped at once: 100,000 of them would hold 150 MB for nothing."""
    parser = Parser()
    first: dict[tuple[str, str], int] = {}
    for item in imported.items:
        key = (item.kind, item.id)
        if key in first:
            imported.problems.append(Problem(
                f"the {item.kind[:-1]} id '{item.id}' comes twice: also at line {first[key]} "
                "of this file; give each item its own upstream id", imported.source, item.line))
            continue
        first[key] = item.line
        getattr(parser, item.kind[:-1])(_positioned(item.data, item.line), imported.source)
    imported.problems += parser.problems
    imported.warnings += parser.warnings


def _refs(value) -> list[str]:
    """The source ids of a list of source refs (ids or {source: ...} mappings)."""
    if isinstance(value, str):
        return [value]
    return [r["source"] if isinstance(r, dict) else r for r in value or ()
            if isinstance(r, (str, dict)) and (not isinstance(r, dict) or "source" in r)]


def check_references(imported: Imported, others: dict[str, set]) -> None:
    """Add to ``imported.problems`` each actor or source id the items refer to that neither
    they nor the rest of the workspace (``others``: kind -> ids) define."""
    known = {kind: {i.id for i in imported.items if i.kind == kind} | others.get(kind, set())
             for kind in ("actors", "sources")}

    def check(kind: str, ref_id, item, where: str) -> None:
        if isinstance(ref_id, str) and ref_id and ref_id not in known[kind]:
            imported.problems.append(Problem(
                f"unknown {kind[:-1]} '{ref_id}' in {where}{did_you_mean(ref_id, known[kind])}: "
                f"define it in content/{kind} or fix the id", imported.source, item.line))

    for item in imported.items:
        data, what = item.data, f"{item.kind[:-1]} '{item.id}'"
        actors = data.get("actors")
        for actor in [actors] if isinstance(actors, str) else actors or ():
            check("actors", actor, item, what)
        for source in _refs(data.get("sources")):
            check("sources", source, item, what)
        for relation in data.get("relations") or ():
            if isinstance(relation, dict):
                check("actors", relation.get("actor"), item, f"a relation of {what}")
                for source in _refs(relation.get("sources")):
                    check("sources", source, item, f"a relation of {what}")
