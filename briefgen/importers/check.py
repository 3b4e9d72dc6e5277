"""Every imported item is read by the content reader before anything is written, exactly as
``briefgen validate`` will read the files: what it would refuse is reported now, at the line
(or row) of the input it came from, and nothing is written."""
from __future__ import annotations

from ..content import crossref
from ..content.models import Corpus, Settings
from ..content.parse import Parser
from ..content.yamlpos import PosDict, PosList
from ..errors import Problem
from .items import KINDS, Imported


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


def check_items(imported: Imported) -> dict[str, dict]:
    """Add to ``imported.problems`` what the content reader finds wrong with the items, and
    duplicate ids; its warnings (unknown fields ...) to ``imported.warnings``. Returns the
    items as the content reader made them: kind -> id -> model."""
    parser = Parser()
    models: dict[str, dict] = {kind: {} for kind in KINDS}
    first: dict[tuple[str, str], int] = {}
    unit = "line"
    for item in imported.items:
        key = (item.kind, item.id)
        if key in first:
            imported.problems.append(Problem(
                f"the {item.kind[:-1]} id '{item.id}' comes twice: also at {unit} {first[key]} "
                "of this file; give each item its own upstream id", imported.source, item.line))
            continue
        first[key] = item.line
        models[item.kind][item.id] = getattr(parser, item.kind[:-1])(
            _positioned(item.data, item.line), imported.source)
    imported.problems += parser.problems
    imported.warnings += parser.warnings
    return models


def check_references(imported: Imported, models: dict[str, dict],
                     others: dict[str, dict]) -> None:
    """Add to ``imported.problems`` each id the items refer to that neither they nor the rest
    of the workspace (``others``: kind -> id -> model) define."""
    merged = {kind: {**others.get(kind, {}), **models[kind]} for kind in KINDS}
    corpus = Corpus(Settings(), merged["actors"], merged["developments"], merged["sources"], {})
    imported.problems += [p for p in crossref.check_references(corpus)
                          if p.path == imported.source]
