"""YAML loading that keeps the line of every mapping value and list item.

Error messages must name the line of the offending value, so the loader returns dicts and lists
that remember where each entry came from. Timestamps stay strings: PyYAML would raise on a date
that does not exist (2024-02-30), and that is a content problem to report, not a crash.

Every limit (file size, values, characters, nesting) is briefgen's own, checked here with
briefgen's own message: PyYAML's limits and messages differ between releases. What this module
takes from PyYAML is public: the loaders, node classes and marks, ``resolve`` (the hook its
resolvers are built on), the implicit-resolver table and the scalar constructors; and
``tests/test_dependency_hooks.py`` checks that plain scalars still resolve as ``yaml.safe_load``
resolves them.
"""
from __future__ import annotations

import io
import re
import sys
import unicodedata

import yaml
from yaml.nodes import MappingNode, ScalarNode

from ..errors import Problem, shown

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000  # bounds alias expansion ("billion laughs") as well as plain size
# Text, counted each time an alias uses it: no more than a file without aliases could hold
# (a 10,000-character string used 150,000 times would be 1.5 GB of text to lay out).
MAX_CHARS = MAX_FILE_BYTES
# Content needs five levels at most (a list of developments, a source reference, its fields).
# The limit is briefgen's own, checked in the walk below: PyYAML's limits and messages changed
# between releases (6.0.4's parser stops at 1,000 levels, older ones raised RecursionError).
MAX_DEPTH = 50

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_MAX_INT_CHARS = 1_000
# YAML 1.1 reads 0001 as an octal 1: a date field then said "'1' is not a date". Four digits
# with a leading zero are a year as written and stay text; "02" stays the number 2.
_LEADING_ZERO = re.compile(r"0[0-9]{3}$")


class PosDict(dict):
    """A mapping that knows its own line and the line of each value."""

    line: int = 0
    # key -> the text of a comment that starts right after it: ``colour: #C8102E`` is the key
    # with no value, since '#' after a space starts a comment (None: there is none)
    comments: dict | None = None

    def __init__(self):
        super().__init__()
        self.lines: dict = {}

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)

    def comment_hint(self, key) -> str:
        """For a key without a value: how to write the value that was probably meant."""
        text = (self.comments or {}).get(key)
        if text is None:
            return ""
        quote = '"' if "'" in text else "'"
        return f": '#' after a space starts a YAML comment; quote it: {quote}{text}{quote}"


class PosList(list):
    line: int = 0

    def __init__(self):
        super().__init__()
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


_STR = "tag:yaml.org,2002:str"
_PLAIN = "briefgen:plain"  # a plain scalar whose type is decided while walking
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers


class _TooBig(Exception):
    """The file expands beyond a limit; the message says which."""


class _TooDeep(Exception):
    """A mapping or list lies more than MAX_DEPTH levels deep; ``line`` is where it starts."""

    def __init__(self, line: int | None):
        super().__init__(line)
        self.line = line


class _UnknownTag(Exception):
    """An explicit tag other than YAML's standard ones (``!!python/object``, ``!include`` ...)."""

    def __init__(self, tag: str, line: int):
        super().__init__(tag)
        self.tag, self.line = tag, line


# YAML 1.1's standard tags, which PyYAML's safe constructor builds; any other tag is refused
_STANDARD_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set", "str", "seq",
    "map"))


class _NotATree(Exception):
    """The quick walk met something only the full walk handles."""


_CACHED_CHARS = 40  # plain scalars up to this long are resolved once per file
_MISSING = object()
_ANCHOR = re.compile(r"&[0-9A-Za-z_-]")
_VALUE_LIKE_COMMENT = re.compile(r"#[^\s#]")  # the start of an anchor, as YAML scanners read one


class _Walk:
    """One lean walk from composed nodes to values with lines, on top of a PyYAML loader.

    PyYAML's Python resolver and constructor cost ~70% of loading 10,000 developments; the
    composer only needs to know plain from quoted (``resolve``, the hook PyYAML's resolvers are
    built on), and the walk does the rest, with briefgen's own limits.
    """

    def __init__(self, stream):
        super().__init__(stream)
        # An anchor is '&' and a name of ASCII letters, digits, '-' and '_'; text such as
        # "cars & trucks" or "&**bold**" has none. Without an anchor there can be no alias.
        self._is_tree = isinstance(stream, str) and len(stream) <= MAX_CHARS and \
            _ANCHOR.search(stream) is None
        self._text = stream if isinstance(stream, str) else ""
        self._lines: list[str] | None = None  # of the text, split when first needed
        self._resolved: dict[str, object] = {}  # plain scalar text -> value (short ones)
        self.duplicate_keys: list[tuple[object, int]] = []
        self.node_count = 0
        self.chars = 0  # characters of text values, per reference
        self._chars_in: dict[int, int] = {}  # characters inside each mapping or list built
        self._memo: dict[int, object] = {}
        self._active: set[int] = set()
        # Nesting, counted per reference: a shallow alias of a deep anchor is as deep as both.
        self._depth = 0  # of the mapping or list being built
        self._reached = 0  # the deepest level reached so far under the nodes being built
        self._height: dict[int, int] = {}  # levels below each mapping or list built

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _MAP if kind is MappingNode else _SEQ

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        if self._is_tree:
            try:
                return self._tree(node)
            except _NotATree:
                pass
        return self._value(node)

    def _tree(self, root):
        """The values of a document that is a tree, quicker than ``_value``, or _NotATree.

        Without an anchor ('&' and a name appear nowhere in the text) no node is used twice, so
        there is nothing to remember or count per reference: each node is read once, and text
        cannot outgrow the file (at most MAX_CHARS long). Anything else ``_value`` handles
        (a merge key '<<', an explicit tag, a mapping as a key, more than MAX_NODES values)
        raises _NotATree, and ``_value`` starts again from the top: either way the
        values, their lines, the duplicate keys and the errors are the same.
        """
        resolved = self._resolved
        get = resolved.get
        resolve = self._resolve_plain
        duplicates: list[tuple[object, int]] = []
        count = [1]

        def scalar(node):
            tag = node.tag
            if tag == _PLAIN:
                value = get(node.value, _MISSING)
                return resolve(node) if value is _MISSING else value
            if tag == _STR:
                return node.value
            raise _NotATree

        def collection(node, depth):
            if depth > MAX_DEPTH:
                raise _TooDeep(node.start_mark.line + 1)
            children = node.value
            if node.__class__ is MappingNode:
                if node.tag != _MAP:
                    raise _NotATree
                count[0] += 2 * len(children)
                if count[0] > MAX_NODES:
                    raise _NotATree
                value = PosDict()
                lines = value.lines
                for key_node, value_node in children:
                    if key_node.__class__ is not ScalarNode:
                        raise _NotATree
                    key = key_node.value
                    tag = key_node.tag
                    if tag == _PLAIN:
                        if key == "<<":
                            raise _NotATree
                        key = get(key, _MISSING)
                        if key is _MISSING:
                            key = resolve(key_node)
                        if key.__class__ is not str:  # as in _mapping: keys are words
                            key = key_node.value
                    elif tag != _STR:
                        raise _NotATree
                    if key in value:
                        duplicates.append((key, key_node.start_mark.line + 1))
                    if value_node.__class__ is ScalarNode:
                        tag = value_node.tag
                        item = value_node.value
                        if tag == _PLAIN:
                            item = get(item, _MISSING)
                            if item is _MISSING:
                                item = resolve(value_node)
                            if item is None and not value_node.value:
                                self._note_comment(value, key, value_node)
                        elif tag != _STR:
                            raise _NotATree
                        value[key] = item
                    else:
                        value[key] = collection(value_node, depth + 1)
                    lines[key] = value_node.start_mark.line + 1
            else:
                if node.tag != _SEQ:
                    raise _NotATree
                count[0] += len(children)
                if count[0] > MAX_NODES:
                    raise _NotATree
                value = PosList()
                value.lines = [child.start_mark.line + 1 for child in children]
                value += [scalar(child) if child.__class__ is ScalarNode
                          else collection(child, depth + 1) for child in children]
            value.line = node.start_mark.line + 1
            return value

        try:
            data = scalar(root) if root.__class__ is ScalarNode else collection(root, 1)
        finally:
            collection = None  # it refers to itself: no cycle left for the (paused) collector
        self.duplicate_keys += duplicates
        return data

    def _note_comment(self, mapping: PosDict, key, node) -> None:
        """Remember a comment that starts right where the empty value ``node`` is, written
        like a value ('#' and then no space: ``#C8102E``, ``#1``)."""
        if self._lines is None:
            self._lines = self._text.splitlines()
        mark = node.start_mark
        if mark.line < len(self._lines):
            rest = self._lines[mark.line][mark.column:].strip()
            if _VALUE_LIKE_COMMENT.match(rest):
                if mapping.comments is None:
                    mapping.comments = {}
                mapping.comments[key] = rest

    def _resolve_plain(self, node):
        value = self._plain(node)
        if len(node.value) <= _CACHED_CHARS:
            if value.__class__ is str:
                value = sys.intern(value)  # keys mostly: shared, and pickled once
            self._resolved[node.value] = value
        return value

    def _value(self, node):
        # Counted per reference, not per node: an alias used a million times counts a million
        # times, which is what later stages would have to walk.
        self.node_count += 1
        if self.node_count > MAX_NODES:
            raise _TooBig(f"the file expands to more than {MAX_NODES:,} values (aliases "
                          "repeated too often?): simplify it")
        tag = node.tag
        if tag == _STR or tag == _PLAIN:
            self._count(len(node.value))
            return node.value if tag == _STR else self._plain(node)
        key = id(node)
        collection = node.__class__ is not ScalarNode
        if key in self._memo:
            self._count(self._chars_in.get(key, 0))
            if collection:
                self._deeper(self._depth + 1 + self._height[key], node)
            return self._memo[key]
        chars_before = self.chars
        if key in self._active:
            raise yaml.constructor.ConstructorError(
                None, None, "found unconstructable recursive node", node.start_mark)
        self._active.add(key)
        if collection:
            reached_outside = self._reached
            self._depth += 1
            self._reached = 0
            self._deeper(self._depth, node)
        if tag == _MAP:
            value = self._mapping(node)
        elif tag == _SEQ:
            value = PosList()
            value.line = node.start_mark.line + 1
            for child in node.value:
                value.append(self._value(child))
                value.lines.append(child.start_mark.line + 1)
        elif tag == "tag:yaml.org,2002:timestamp":
            value = node.value  # checked later as a fuzzy date, with its line
        elif tag in _STANDARD_TAGS:  # an explicit standard tag: !!int, !!binary, !!set ...
            value = self.construct_object(node, deep=True)
        else:
            raise _UnknownTag(tag, node.start_mark.line + 1)
        if collection:
            self._height[key] = self._reached - self._depth
            self._depth -= 1
            self._reached = max(reached_outside, self._reached)
        self._active.discard(key)
        self._memo[key] = value
        self._chars_in[key] = self.chars - chars_before
        return value

    def _deeper(self, level: int, node) -> None:
        """Note that ``level`` is reached where ``node`` starts; past MAX_DEPTH it is an error."""
        if level > MAX_DEPTH:
            raise _TooDeep(node.start_mark.line + 1)
        if level > self._reached:
            self._reached = level

    def _count(self, chars: int) -> None:
        self.chars += chars
        if self.chars > MAX_CHARS:
            raise _TooBig(f"the file expands to more than {MAX_CHARS:,} characters of text "
                          "(aliases repeated too often?): simplify it")

    def _plain(self, node):
        value = node.value
        for tag, regexp in _IMPLICIT.get(value[:1] if value else "", ()):
            if regexp.match(value):
                break
        else:
            return value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return self.bool_values[value.lower()]
        if tag == "tag:yaml.org,2002:int":
            # Python refuses to read integers of over 4,300 digits; no field wants one, so it
            # stays the text it is and the field's own check reports it with its line.
            if len(value) > _MAX_INT_CHARS or _LEADING_ZERO.match(value):
                return value
            return self.construct_yaml_int(node)
        if tag == "tag:yaml.org,2002:float":
            return self.construct_yaml_float(node)
        return value  # timestamps stay text; '<<' and '=' are handled by the mapping

    def _mapping(self, node) -> PosDict:
        result = PosDict()
        result.line = node.start_mark.line + 1
        merged: list[tuple[object, object, int]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain word", key_node.start_mark)
            if key_node.tag == _PLAIN and key_node.value == "<<":
                merged += self._merge_sources(value_node)
                continue
            key = self._value(key_node)
            if not isinstance(key, str):  # 1 == True: '1:' and 'true:' would be one key
                key = key_node.value
            if key in result:
                self.duplicate_keys.append((key, key_node.start_mark.line + 1))
            result[key] = self._value(value_node)
            result.lines[key] = value_node.start_mark.line + 1
            if result[key] is None and value_node.tag == _PLAIN and not value_node.value:
                self._note_comment(result, key, value_node)
        for key, value, line in merged:  # explicit keys win over merged ones
            if key not in result:
                result[key] = value
                result.lines[key] = line
        return result

    def _merge_sources(self, node) -> list[tuple[object, object, int]]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        pairs = []
        for source in sources:
            data = self._value(source)
            if not isinstance(data, PosDict):
                raise yaml.constructor.ConstructorError(
                    None, None, "'<<' merges mappings only", source.start_mark)
            pairs += [(k, v, data.line_of(k)) for k, v in data.items() if k not in
                      {p[0] for p in pairs}]
        return pairs


class _Loader(_Walk, _BaseLoader):
    """libyaml's parser and composer (PyYAML's Python ones where it is not built), then the walk."""


def load_yaml(path: str | bytes, display: str) -> tuple[object, list[Problem]]:
    """Load one YAML file (or its bytes); return (data, problems); data None if unusable."""
    try:
        with open(path, "rb") if isinstance(path, str) else io.BytesIO(path) as fh:
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
    except _TooBig as exc:
        return None, [Problem(str(exc), display)]
    except _TooDeep as exc:
        return None, [_too_deep(display, exc.line)]
    except _UnknownTag as exc:
        tag = "!!" + exc.tag[len("tag:yaml.org,2002:"):] if exc.tag.startswith(
            "tag:yaml.org,2002:") else exc.tag
        return None, [Problem(f"unknown YAML tag {shown(tag)}: briefgen reads plain data, "
                              "without tags; remove it", display, exc.line)]
    except RecursionError:  # a parser or constructor that recurses per level gave up first
        return None, [_too_deep(display, _too_deep_at(text))]
    except yaml.MarkedYAMLError as exc:
        # A parser with a nesting limit of its own (libyaml's, 1,000 levels) stops at it
        mark = exc.problem_mark or exc.context_mark
        deep = _too_deep_at(text, mark.line + 1 if mark else None)
        if deep is not None:
            return None, [_too_deep(display, deep)]
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or "invalid YAML"
        hint = ""
        lines = text.splitlines()
        if line and line <= len(lines) and "\t" in lines[line - 1]:
            hint = ": indent with spaces, not tabs"
        return None, [Problem(f"YAML syntax error: {what}{hint}", display, line)]
    except yaml.reader.ReaderError as exc:  # NUL, other control characters, U+FFFE ...
        char = chr(exc.character) if isinstance(exc.character, int) else ""
        at = text.find(char) if char else -1
        line = text.count("\n", 0, at) + 1 if at >= 0 else None
        what = "a control character" if unicodedata.category(char or "\0") == "Cc" else \
            "a character YAML does not allow"
        return None, [Problem(f"the file contains {what} (U+{ord(char or chr(0)):04X}): "
                              "remove it", display, line)]
    except yaml.YAMLError as exc:
        return None, [Problem(f"YAML error: {exc}", display)]
    finally:
        loader.dispose()
    problems = [Problem(f"the key '{key}' appears twice in this mapping: keep one", display, line)
                for key, line in loader.duplicate_keys]
    if data is None:
        problems.append(Problem("the file holds no content: add content or delete the file",
                                display))
    return data, problems


def _too_deep(display: str, line: int | None) -> Problem:
    return Problem(f"the YAML is nested more than {MAX_DEPTH} levels deep: flatten it",
                   display, line)


def _too_deep_at(text: str, last_line: int | None = None) -> int | None:
    """The line of the first mapping or list deeper than MAX_DEPTH, or None when the text (up
    to ``last_line``, where parsing stopped) is shallower.

    Only called after a load failed, so that briefgen's limit, not the parser's own limit or
    message, decides whether the problem is depth. PyYAML's Python parser is used: it keeps a
    stack instead of recursing and has no nesting limit, and it yields events as it goes, while
    libyaml's scanner reads a whole line of '[' ahead and fails before the first event.
    """
    if last_line is not None:
        text = "".join(text.splitlines(keepends=True)[:last_line])
    depth = 0
    loader = yaml.SafeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None
