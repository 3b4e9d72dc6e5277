"""Imported items as YAML text, written directly: PyYAML's representer took 40% of a
100,000-event import. The shapes are few (a mapping of text, lists of text and lists of
mappings of text), and every string is written as a JSON string, which is also a YAML
double-quoted scalar: nothing in it can read as a number, a date, a comment or a key."""
from __future__ import annotations

import json
import re

# What YAML does not allow raw in a file (PyYAML's reader refuses it), and its line breaks
# beyond \n (NEL, LS, PS), which a quoted scalar would fold into spaces: written as escapes.
_NOT_YAML = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd"
                       "\U00010000-\U0010ffff]")


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def scalar(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    return _NOT_YAML.sub(_escape, quoted) if _NOT_YAML.search(quoted) else quoted


def _lines(data: dict, indent: str) -> list[str]:
    lines = []
    for key, value in data.items():
        if isinstance(value, str):
            lines.append(f"{indent}{key}: {scalar(value)}")
        elif isinstance(value, list) and all(isinstance(x, str) for x in value):
            lines.append(f"{indent}{key}: [" + ", ".join(scalar(x) for x in value) + "]")
        elif isinstance(value, list) and all(isinstance(x, dict) for x in value):
            lines.append(f"{indent}{key}:")
            for entry in value:
                lines += _entry(entry, indent)
        else:
            raise TypeError(f"cannot write {key}: {type(value).__name__} as imported content")
    return lines


def _entry(data: dict, indent: str) -> list[str]:
    """A mapping as an item of a block list at ``indent``: '- key: value', then its keys."""
    lines = _lines(data, indent + "  ")
    if lines:
        lines[0] = indent + "- " + lines[0][len(indent) + 2:]
    return lines or [indent + "- {}"]


def item_text(data: dict) -> str:
    """One item of a content file's list."""
    return "\n".join(_entry(data, "")) + "\n"
