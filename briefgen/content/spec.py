"""Declaring a content field once, on its model: what kind of value it holds, whether the YAML
must give it, and what it means. The reader (values.py), the list of known keys and the JSON
Schema (schema.py) are derived from these declarations, so a field added to a model is loaded,
checked and described in one edit.

A model field without a declaration (an item's origin or line) is not read from YAML.
"""
from __future__ import annotations

import dataclasses
from typing import NamedTuple

# Kinds of value, each with a reader in values.py and a JSON Schema in schema.py.
TEXT = "text"  # one line of text (numbers are taken as text)
MARKDOWN = "markdown"
SLUG = "slug"  # an id
SLUGS = "slugs"  # a list of ids
DATE = "date"  # a fuzzy date
CHOICE = "choice"  # one of ``choices``, in any case
STRINGS = "strings"  # a list of one-line texts, or a single one
MARKDOWN_LIST = "markdown-list"
SOURCE_REFS = "source-refs"
MAPPINGS = "mappings"  # a list of ``of`` items
MAPPING = "mapping"  # one ``of`` item
# Values with a check of their own (values.py says which).
COUNTRY, RELIABILITY, CREDIBILITY, MARKING, LIKELIHOOD, FORMATS, PAPER, LANGUAGE = (
    "country", "reliability", "credibility", "marking", "likelihood", "formats", "paper",
    "language")


class FieldSpec(NamedTuple):
    name: str
    kind: str
    doc: str
    required: bool  # the YAML must give it (a model may still require more, e.g. a brief's id)
    choices: tuple
    default: object  # the model's default; None when it has none
    of: type | None  # the model of a MAPPING or of each item of MAPPINGS
    example: str  # shown when a MAPPING is given something else


def declare(kind: str, doc: str, *, required: bool = False, choices: tuple = (),
            default=dataclasses.MISSING, default_factory=dataclasses.MISSING,
            of: type | None = None, example: str = "") -> dataclasses.Field:
    """A dataclass field read from YAML as ``kind``; ``doc`` becomes its schema description."""
    metadata = {"spec": (kind, doc, required, choices, of, example)}
    return dataclasses.field(default=default, default_factory=default_factory, metadata=metadata)


_SPECS: dict[type, tuple[FieldSpec, ...]] = {}
_KEYS: dict[type, tuple[str, ...]] = {}  # the loader asks for every item it reads


def specs(model: type) -> tuple[FieldSpec, ...]:
    """The declared fields of ``model``, in declaration order."""
    found = _SPECS.get(model)
    if found is None:
        found = _SPECS[model] = tuple(_spec(f) for f in dataclasses.fields(model)
                                      if "spec" in f.metadata)
    return found


def keys(model: type) -> tuple[str, ...]:
    found = _KEYS.get(model)
    if found is None:
        found = _KEYS[model] = tuple(s.name for s in specs(model))
    return found


def required(model: type) -> tuple[str, ...]:
    """The fields the YAML of ``model`` must give."""
    return tuple(s.name for s in specs(model) if s.required)


def _spec(f: dataclasses.Field) -> FieldSpec:
    kind, doc, required, choices, of, example = f.metadata["spec"]
    if f.default is not dataclasses.MISSING:
        default = f.default
    elif f.default_factory is not dataclasses.MISSING:
        default = f.default_factory()
    else:
        default = None
    return FieldSpec(f.name, kind, doc, required, choices, default, of, example)
