"""What an importer hands over: content items as plain mappings, each with the place in the
input it came from, ready to be checked (check.py) and written (sync.py)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import Problem

KINDS = ("actors", "developments", "sources")


@dataclass
class Item:
    kind: str  # actors, developments or sources
    data: dict  # the YAML mapping: id first, then upstream_id, then the other fields
    line: int  # where in the input it came from (a line of a CSV file, a row of a sheet ...)
    # developments are written one file per month ("2024-03"), so that a file stays small and
    # a re-import of a newer export rewrites the months that changed
    shard: str = ""

    @property
    def id(self) -> str:
        return self.data["id"]


@dataclass
class Imported:
    """Everything one import read: the items, and what it found wrong or left out."""

    importer: str  # acled, stix, table
    source: str  # the input file as shown to the user
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 60  # leaves room for a prefix within the 100 characters an id may have


def slugify(text: str, prefix: str = "") -> str:
    """A stable id from ``text`` (an upstream id, a name): lowercase ASCII letters, digits and
    hyphens. Text with no such letters (a name in Arabic script) gets a hash of itself, and so
    does text too long for an id, so that two different texts never share an id."""
    if text.isascii():  # nearly always: nothing to lose on the way to ASCII
        ascii_text, lossy = text, False
    else:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        lossy = _lossy(text, ascii_text)
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if not slug or len(slug) > MAX_SLUG or lossy:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
        slug = f"{slug[:MAX_SLUG - 11].rstrip('-')}-{digest}".lstrip("-")
    return f"{prefix}-{slug}" if prefix else slug


def _lossy(text: str, ascii_text: str) -> bool:
    """Whether letters or digits were lost on the way to ASCII (a name in Cyrillic)."""
    return sum(c.isalnum() for c in text) > sum(c.isalnum() for c in ascii_text)


# Characters that would make Markdown of plain text (emphasis, links, code, raw HTML, tables,
# entities): upstream text is text, and must print as itself.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&!])")
_BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def plain_markdown(text: str) -> str:
    """``text`` as Markdown that prints exactly as ``text``."""
    text = _INLINE.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1]


def one_line(text: str) -> str:
    return " ".join(text.split())


# an import's name names its files: content/developments/NAME-2024-03.yaml
SLUG_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
