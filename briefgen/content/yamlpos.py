"""YAML loading that keeps the line of every mapping value and list item.

Error messages must name the line of the offending value, so the loader returns dicts and lists
that remember where each entry came from. Timestamps stay strings: PyYAML would raise on a date
that does not exist (2024-02-30), and that is a content problem to report, not a crash.
"""
from __future__ import annotations

import yaml

from ..errors import Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs") as well as plain size

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PosDict(dict):
    """A mapping that knows its own line and the line of each value."""

    line: int = 0

    def __init__(self):
        super().__init__()
        self.lines: dict = {}

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class PosList(list):
    line: int = 0

    def __init__(self):
        super().__init__()
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _Loader(_BaseLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self.duplicate_keys: list[tuple[object, int]] = []
        self.node_count = 0

    def construct_object(self, node, deep=False):
        # Counted per reference, not per node: an alias used a million times counts a million
        # times, which is what later stages would have to walk.
        self.node_count += 1
        if self.node_count > MAX_NODES:
            raise _TooBig()
        return super().construct_object(node, deep)


class _TooBig(Exception):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> PosDict:
    loader.flatten_mapping(node)  # merge keys (<<)
    result = PosDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain word", key_node.start_mark)
        if key in result:
            loader.duplicate_keys.append((key, key_node.start_mark.line + 1))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = value_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> PosList:
    result = PosList()
    result.line = node.start_mark.line + 1
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.lines.append(child.start_mark.line + 1)
    return result


def _scalar_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _scalar_str)


def load_yaml(path: str, display: str) -> tuple[object, list[Problem]]:
    """Load one YAML file; return (data, problems). data is None when the file is unusable."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [Problem(f"cannot read the file: {exc.strerror}", display)]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: "
                              "split it into several files", display)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem("the file is not UTF-8 text: save it as UTF-8", display, line)]
    if not text.strip():
        return None, [Problem("the file is empty: add content or delete the file", display)]
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except _TooBig:
        return None, [Problem(f"the file expands to more than {MAX_NODES} values (aliases "
                              "repeated too often?): simplify it", display)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "invalid YAML"
        hint = ""
        lines = text.splitlines()
        if line and line <= len(lines) and "\t" in lines[line - 1]:
            hint = ": indent with spaces, not tabs"
        return None, [Problem(f"YAML syntax error: {what}{hint}", display, line)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"YAML error: {exc}", display)]
    except RecursionError:
        return None, [Problem("the YAML is nested too deeply: flatten it", display)]
    finally:
        loader.dispose()
    problems = [Problem(f"the key '{key}' appears twice in this mapping: keep one", display, line)
                for key, line in loader.duplicate_keys]
    if data is None:
        problems.append(Problem("the file holds no content: add content or delete the file",
                                display))
    return data, problems
