"""The quick walk over YAML documents that are trees gives what the full walk gives: the same
values, the same line of every value, the same duplicate keys, the same problems."""
import textwrap

import pytest
from hypothesis import given, settings, strategies as st

from briefgen.content import yamlpos


def _shape(value):
    """Value, type and line of everything, recursively (PosDict and PosList included)."""
    if isinstance(value, dict):
        return ("map", value.line, [(k, type(k).__name__, value.line_of(k), _shape(v))
                                    for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", value.line, [(value.line_of(i), _shape(v)) for i, v in enumerate(value)])
    return (type(value).__name__, repr(value))


def _load(tmp_path, text, quick):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    used = []
    original = yamlpos._Loader._tree

    def tree(self, node):
        if not quick:
            raise yamlpos._NotATree
        value = original(self, node)
        used.append(True)
        return value

    yamlpos._Loader._tree = tree
    try:
        data, problems = yamlpos.load_yaml(str(path), "f.yaml")
    finally:
        yamlpos._Loader._tree = original
    return (_shape(data), [str(p) for p in problems]), bool(used)


CASES = {
    "tree": """
        # a comment
        - id: a
          date: 2024-02-30
          n: 12
          f: 1.5
          nan: .nan
          yes: yes
          none: ~
          empty:
          'quoted': "text"
          1: one
          true: key
          null: key
          summary: one line
            and another
          block: |
            kept
            lines
          folded: >
            folded
            text
          tags: [a, b, 'c']
          refs:
            - x
            - {source: y, credibility: 2}
            - - nested
              - list
          deep: {a: {b: {c: [1, [2, [3]]]}}}
        - plain
        - 7
        - [flow, on, one, line]
        """,
    "duplicates": """
        a: 1
        b:
          c: 1
          c: 2
        a: 3
        d: [{e: 1, e: 2}]
        """,
    "quoted merge key is a key": """
        "<<": x
        '<<': y
        """,
    "merge": """
        base: &b {x: 1, y: 2}
        item:
          <<: *b
          y: 3
        """,
    "anchor in a tree": "a: &x 1\nb: 2\n",
    "explicit tags": "a: !!str 12\nb: !!int '7'\nc: !!timestamp 2024-01-01\n",
    "unknown tag": "a: !custom x\n",
    "tagged mapping": "a: !!map {b: 1}\nc: !!seq [1]\n",
    "mapping as a key": "? {a: 1}\n: x\n",
    "scalar document": "just text\n",
    "number document": "42\n",
    "ampersands in text": "a: cars & trucks\nb: '&**bold**'\nc: '&'\n",
    "ampersand that could start an anchor": "a: 'R&D'\n",
    "too deep": "a: " + "[" * 55 + "]" * 55 + "\n",
    "deep but fine": "a: " + "[" * 45 + "]" * 45 + "\n",
    "recursive": "a: &x [*x]\n",
    "many values": "[" + ", ".join(["1"] * 200_001) + "]\n",
    "many keys": "".join(f"k{i}: {i}\n" for i in range(100_001)),
}
QUICK = {"tree", "duplicates", "tagged mapping", "quoted merge key is a key", "scalar document",
         "number document", "ampersands in text", "deep but fine"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_quick_walk_matches_full_walk(tmp_path, name):
    text = textwrap.dedent(CASES[name]).lstrip("\n")
    full, _ = _load(tmp_path, text, quick=False)
    quick, used = _load(tmp_path, text, quick=True)
    assert quick == full
    assert used == (name in QUICK)


def test_quick_walk_reports_duplicate_keys_in_document_order(tmp_path):
    (_, problems), used = _load(tmp_path, textwrap.dedent(CASES["duplicates"]).lstrip(), quick=True)
    assert used
    assert problems == ["f.yaml:4: the key 'c' appears twice in this mapping: keep one",
                        "f.yaml:5: the key 'a' appears twice in this mapping: keep one",
                        "f.yaml:6: the key 'e' appears twice in this mapping: keep one"]


_WORDS = st.sampled_from(["a", "b", "id", "1", "0x1F", "1.5", "-2", "yes", "No", "null", "~",
                          "2024-02-30", "<<", "&x", "*x", "x & y", "'q'", '"d"', "", " ",
                          "a: b", "- c", "#c", "[1]", "{k: v}", "!!str 1", "|", ">-", "%",
                          "text with words", "é", "\t"])


@st.composite
def _documents(draw, depth=0):
    kind = draw(st.sampled_from(["scalar", "map", "seq"] if depth < 3 else ["scalar"]))
    if kind == "scalar":
        return draw(_WORDS)
    size = draw(st.integers(0, 3))
    if kind == "seq":
        return [draw(_documents(depth + 1)) for _ in range(size)]
    return [(draw(_WORDS), draw(_documents(depth + 1))) for _ in range(size)]


def _emit(doc, indent=0, flow=False):
    pad = " " * indent
    if isinstance(doc, str):
        return doc
    if not doc:
        return "{}" if doc == [] else "[]"
    if isinstance(doc[0], tuple):
        if flow:
            return "{" + ", ".join(f"{k}: {_emit(v, 0, True)}" for k, v in doc) + "}"
        return "\n".join(f"{pad}{k}:" + (f" {v}" if isinstance(v, str) else
                                          "\n" + _emit(v, indent + 2)) for k, v in doc)
    if flow:
        return "[" + ", ".join(_emit(v, 0, True) for v in doc) + "]"
    return "\n".join(f"{pad}-" + (f" {v}" if isinstance(v, str) else
                                   "\n" + _emit(v, indent + 2)) for v in doc)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(doc=_documents(), flow=st.booleans())
def test_quick_walk_matches_full_walk_on_random_documents(tmp_path_factory, doc, flow):
    tmp_path = tmp_path_factory.mktemp("y")
    text = _emit(doc, 0, flow) + "\n"
    full, _ = _load(tmp_path, text, quick=False)
    quick, _ = _load(tmp_path, text, quick=True)
    assert quick == full
