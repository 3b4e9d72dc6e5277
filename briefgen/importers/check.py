"""Every imported item is read by the content reader before anything is written, exactly as
``briefgen validate`` will read the files: what it would refuse is reported now, at the line
(or row) of the input it came from, and nothing is written."""
from __future__ import annotations

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
    duplicate ids; its warnings (unknown fields ...) to ``imported.warnings``."""
    parser = Parser()
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
        getattr(parser, item.kind[:-1])(_positioned(item.data, item.line), imported.source)
    imported.problems += parser.problems
    imported.warnings += parser.warnings
