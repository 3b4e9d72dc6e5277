"""JSON Schema (draft 2020-12) of each kind of workspace file, for editors with a YAML language
server: they check and complete content as it is typed.

Derived from the fields declared on the models (models.py, spec.py), as the reader is: one
schema per kind of value below, mirroring values.py's reader of that kind (text also accepts
numbers, an optional field may be left empty, a list of strings may be a single string, ...);
tests/test_schema.py checks that sample and broken files get the same verdict from both.
Unknown keys, which the validator reports as warnings, are errors in the schema (an editor should
flag a misspelt key at once).

The theme file's schema is the theme's own (theme/); the app layer puts the two together.

What JSON Schema cannot say and only ``briefgen validate`` checks: ids that point nowhere (actors,
sources, tags of a scope), duplicate ids, dates that do not exist (2024-02-30), an end before its
start, likelihood terms mixed from both ICD 203 sets, and a brief id taken from its file name.
"""
from __future__ import annotations

import re

from . import spec
from .models import (FORMATS, LIKELIHOOD_ALIASES, LIKELIHOOD_SETS, TLP_LABELS, Actor, Brief,
                     Development, Settings, Source, SourceRef)
from .paper import PAPER_SIZES, SETTINGS_ALIASES
from .parse import ACTOR_PROFILE
from .fields import LANGUAGE_TAG
from .spec import FieldSpec, specs

DIALECT = "https://json-schema.org/draft/2020-12/schema"
MODELS = {"actor": Actor, "development": Development, "source": Source, "brief": Brief,
          "settings": Settings}
KINDS = tuple(MODELS)
TITLES = {
    "actor": "briefgen actor file: one actor or a list of actors",
    "development": "briefgen development file: one development or a list of them",
    "source": "briefgen source file: one source or a list of sources",
    "brief": "briefgen brief file: one brief",
    "settings": "briefgen workspace settings (briefgen.yaml)",
}

# Characters the validator refuses in text (fields.py _CONTROL); tabs and newlines are fine.
_TEXT_CHARS = "[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*"
_NO_CONTROL = f"^{_TEXT_CHARS}$"
_EMPTY = [{"type": "null"}, {"const": ""}]
_NOT_BLANK = {"not": {"enum": [None, ""]}}


def _ci(word: str, spaced: bool = False) -> str:
    """A case-insensitive regex for ``word`` (ECMA-262 has no (?i) flag)."""
    parts = []
    for c in word:
        if c.isalpha():
            parts.append(f"[{c.lower()}{c.upper()}]")
        elif c == " ":
            parts.append("\\s+")
        else:
            parts.append(re.escape(c))
    return ("\\s*" if spaced else "").join(parts)


# --- one schema per kind of value, without its description ---------------------------------------

_TEXT = {"type": ["string", "number"], "pattern": _NO_CONTROL}
_SLUG = {"anyOf": [{"type": "string", "pattern": "^\\s*[a-z0-9][a-z0-9-]*\\s*$"},
                   {"type": "integer", "minimum": 0}]}
_MONTH = "(0?[1-9]|1[0-2])"
_DAY = "(0?[1-9]|[12][0-9]|3[01])"
_DATE = {"anyOf": [
    {"type": "integer", "minimum": 1000, "maximum": 9999},
    {"type": "string", "pattern": f"^\\s*[0-9]{{4}}(-{_MONTH}(-{_DAY})?)?\\s*$"},
]}


def _strings(item: dict) -> dict:
    return {"anyOf": [item, {"type": "array", "items": item}, {"type": "null"}]}


# Characters that print nothing, and bidi controls: never in a marking. (Look-alike letters
# of other scripts and compatibility forms are the validator's check only.)
_MARKING_CHARS = _TEXT_CHARS[:-2] + ("\\u00ad\\u034f\\u061c\\u115f\\u1160\\u180b-\\u180f"
                                     "\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u2800"
                                     "\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff9-\\ufffb]*")


def _marking(s: FieldSpec) -> dict:
    labels = "|".join(_ci(label.split(":", 1)[1], spaced=True) for label in TLP_LABELS)
    tlp = f"^\\s*{_ci('TLP')}\\s*(:|-[\\s:-]*)?\\s*({labels})\\s*$"
    return {"anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": f"^(?![\\W_]*{_ci('TLP')}){_MARKING_CHARS}$"},
        {"type": "string", "pattern": tlp},
        *_EMPTY,
    ]}


def _likelihood(s: FieldSpec) -> dict:
    terms = [t for terms in LIKELIHOOD_SETS for t in terms] + list(LIKELIHOOD_ALIASES)
    pattern = "^\\s*(" + "|".join(_ci(t) for t in sorted(terms, key=len, reverse=True)) + ")\\s*$"
    return {"anyOf": [{"type": "string", "pattern": pattern}, *_EMPTY]}


def _source_refs(s: FieldSpec) -> dict:
    ref = {"anyOf": [{"type": "string"}, mapping(SourceRef)]}
    return {"anyOf": [{"type": "string"}, {"type": "array", "items": ref}, {"type": "null"}]}


def _formats(s: FieldSpec) -> dict:
    item = {"type": "string",
            "pattern": "^\\s*(" + "|".join(_ci(f) for f in FORMATS) + ")\\s*$"}
    return _strings(item)


def _paper(s: FieldSpec) -> dict:
    paper = "|".join(_ci(p) for p in (*PAPER_SIZES, *SETTINGS_ALIASES))
    return {"type": "string", "pattern": f"^\\s*({paper})\\s*$"}


SCHEMAS = {
    spec.TEXT: lambda s: _TEXT,
    spec.MARKDOWN: lambda s: _TEXT,
    spec.SLUG: lambda s: _SLUG,
    spec.SLUGS: lambda s: _strings(_SLUG),
    spec.DATE: lambda s: _DATE,
    spec.CHOICE: lambda s: {"enum": list(s.choices)},
    spec.STRINGS: lambda s: _strings(_TEXT),
    # booleans too: the reader names the item that is not text
    spec.MARKDOWN_LIST: lambda s: {"anyOf": [
        {"type": "array", "items": {"type": ["string", "number", "boolean"]}}, {"type": "null"}]},
    spec.SOURCE_REFS: _source_refs,
    spec.MAPPINGS: lambda s: {"anyOf": [{"type": "array", "items": mapping(s.of)},
                                        {"type": "null"}]},
    spec.MAPPING: lambda s: {"anyOf": [mapping(s.of), {"type": "null"}]},
    spec.COUNTRY: lambda s: {"type": "string", "pattern": "^\\s*[A-Za-z]{2}\\s*$"},
    spec.RELIABILITY: lambda s: {"type": "string", "pattern": "^\\s*[A-Fa-f]\\s*$"},
    # not '': the reader refuses it, as it refuses any other value that is not 1 to 6
    spec.CREDIBILITY: lambda s: {"anyOf": [{"enum": [1, 2, 3, 4, 5, 6]},
                                           {"type": "string", "pattern": "^\\s*[1-6]\\s*$"},
                                           {"type": "null"}]},
    spec.MARKING: _marking,
    spec.LIKELIHOOD: _likelihood,
    spec.FORMATS: _formats,
    spec.PAPER: _paper,
    spec.LANGUAGE: lambda s: {"type": "string", "pattern": LANGUAGE_TAG.pattern},
}
# Kinds whose schema above already accepts a missing value (null, and '' where the reader does).
_NULLABLE = {spec.SLUGS, spec.STRINGS, spec.MARKDOWN_LIST, spec.SOURCE_REFS, spec.MAPPINGS,
             spec.MAPPING, spec.CREDIBILITY, spec.MARKING, spec.LIKELIHOOD, spec.FORMATS}


def field_schema(s: FieldSpec) -> dict:
    """The schema of one declared field, with its doc as the description. The validator treats
    a missing value, null and '' alike: a required field may be none of them, an optional one
    any of them."""
    schema = SCHEMAS[s.kind](s)
    if s.required:
        schema = {"allOf": [schema, _NOT_BLANK]}
    elif s.kind not in _NULLABLE:
        schema = {"anyOf": [schema, *_EMPTY]}
    description = f"{s.doc} (Markdown)" if s.kind == spec.MARKDOWN else s.doc
    return {**schema, "description": description}


def mapping(model: type) -> dict:
    """The schema of one mapping holding a ``model``."""
    fields = specs(model)
    return {"type": "object", "additionalProperties": False,
            "required": [s.name for s in fields if s.required],
            "properties": {s.name: field_schema(s) for s in fields}}


def with_head(kind: str, title: str, schema: dict) -> dict:
    """A schema file: the dialect, an id and a title, then ``schema``."""
    return {"$schema": DIALECT, "$id": f"https://briefgen.invalid/schema/{kind}.json",
            "title": title, **schema}


def schema_for(kind: str) -> dict:
    """The JSON Schema of a content file of ``kind`` (actor, development, source, brief,
    settings)."""
    if kind not in KINDS:
        raise ValueError(kind)
    item = mapping(MODELS[kind])
    if kind == "brief":  # that template is about one actor: it needs a subject
        item["if"] = {"required": ["template"],
                      "properties": {"template": {"const": ACTOR_PROFILE}}}
        item["then"] = {"required": ["subject"], "properties": {"subject": _NOT_BLANK}}
    if kind in ("brief", "settings"):
        return with_head(kind, TITLES[kind], item)
    return with_head(kind, TITLES[kind], {
        "$defs": {kind: item},
        "anyOf": [{"$ref": f"#/$defs/{kind}"}, {"type": "array", "items": {"$ref": f"#/$defs/{kind}"}}]})
