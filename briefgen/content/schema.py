"""JSON Schema (draft 2020-12) of each kind of workspace file, for editors with a YAML language
server: they check and complete content as it is typed.

The field table below mirrors the checks of content/parse.py and content/fields.py value type by
value type (text also accepts numbers, an optional field may be left empty, a list of strings may
be a single string, ...); tests/test_schema.py keeps the two in step: every key the parser knows
is described here and nothing else, and sample and broken files get the same verdict from both.
Unknown keys, which the validator reports as warnings, are errors in the schema (an editor should
flag a misspelt key at once).

What JSON Schema cannot say and only ``briefgen validate`` checks: ids that point nowhere (actors,
sources, tags of a scope), duplicate ids, dates that do not exist (2024-02-30), an end before its
start, likelihood terms mixed from both ICD 203 sets, and a brief id taken from its file name.
"""
from __future__ import annotations

import re

from . import parse
from .models import (ACTOR_KINDS, CONFIDENCE, LIKELIHOOD_ALIASES, LIKELIHOOD_SETS, SIGNIFICANCE,
                     TLP_LABELS)

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("actor", "development", "source", "brief", "settings", "theme")

# Characters the validator refuses in text (fields.py _CONTROL); tabs and newlines are fine.
_TEXT_CHARS = "[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*"
_NO_CONTROL = f"^{_TEXT_CHARS}$"
_EMPTY = [{"type": "null"}, {"const": ""}]


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


def _doc(schema: dict, description: str) -> dict:
    return {**schema, "description": description} if description else schema


def text(description: str = "") -> dict:
    return _doc({"type": ["string", "number"], "pattern": _NO_CONTROL}, description)


def markdown(description: str = "") -> dict:
    return text(description + (" " if description else "") + "(Markdown)")


def slug(description: str = "") -> dict:
    return _doc({"anyOf": [{"type": "string", "pattern": "^\\s*[a-z0-9][a-z0-9-]*\\s*$"},
                           {"type": "integer", "minimum": 0}]},
                description or "An id: lowercase letters, digits and hyphens.")


def fuzzy_date(description: str = "") -> dict:
    month = "(0?[1-9]|1[0-2])"
    day = "(0?[1-9]|[12][0-9]|3[01])"
    return _doc({"anyOf": [
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {"type": "string", "pattern": f"^\\s*[0-9]{{4}}(-{month}(-{day})?)?\\s*$"},
    ]}, description or "A date: 2021, 2021-08 or 2021-08-15.")


def choice(values, description: str = "") -> dict:
    return _doc({"enum": list(values)}, description)


def strings(item: dict | None = None, description: str = "") -> dict:
    item = item or {"type": ["string", "number"], "pattern": _NO_CONTROL}
    return _doc({"anyOf": [item, {"type": "array", "items": item}, {"type": "null"}]},
                description)


def mapping(properties: dict, required: tuple[str, ...] = (), description: str = "") -> dict:
    return _doc({"type": "object", "additionalProperties": False,
                 "required": list(required), "properties": properties}, description)


def mapping_list(item: dict, description: str = "") -> dict:
    return _doc({"anyOf": [{"type": "array", "items": item}, {"type": "null"}]}, description)


def source_refs() -> dict:
    ref = {"anyOf": [
        {"type": "string"},
        mapping({"source": text("Source id."),
                 "credibility": {"anyOf": [{"enum": [1, 2, 3, 4, 5, 6]},
                                           {"type": "string", "pattern": "^\\s*[1-6]\\s*$"},
                                           {"type": "null"}],
                                 "description": "Admiralty information credibility, 1 to 6."},
                 "locator": text("Where in the source, e.g. p. 4.")},
                ("source",)),
    ]}
    return {"anyOf": [{"type": "string"}, {"type": "array", "items": ref}, {"type": "null"}],
            "description": "Source ids, or {source, credibility, locator} mappings."}


def _marking() -> dict:
    labels = "|".join(_ci(label.split(":", 1)[1], spaced=True) for label in TLP_LABELS)
    tlp = f"^\\s*{_ci('TLP')}\\s*(:|-[\\s:-]*)?\\s*({labels})\\s*$"
    return {"anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": f"^(?!\\s*{_ci('TLP')}){_TEXT_CHARS}$"},
        {"type": "string", "pattern": tlp},
        *_EMPTY,
    ], "description": "Printed on every page: TLP:CLEAR, TLP:GREEN, TLP:AMBER, "
                      "TLP:AMBER+STRICT, TLP:RED, or any other banner text."}


def _likelihood() -> dict:
    terms = [t for terms in LIKELIHOOD_SETS for t in terms] + list(LIKELIHOOD_ALIASES)
    pattern = "^\\s*(" + "|".join(_ci(t) for t in sorted(terms, key=len, reverse=True)) + ")\\s*$"
    return {"anyOf": [{"type": "string", "pattern": pattern}, *_EMPTY],
            "description": "ICD 203 likelihood: " + ", ".join(LIKELIHOOD_SETS[0]) +
                           " (or: " + ", ".join(LIKELIHOOD_SETS[1]) + ")."}


def optional(schema: dict) -> dict:
    """The validator treats a missing value, null and '' alike for an optional field."""
    description = schema.get("description", "")
    inner = {k: v for k, v in schema.items() if k != "description"}
    return _doc({"anyOf": [inner, *_EMPTY]}, description)


# --- the field table: kind -> key -> schema (required keys listed apart) --------------------------

def _fields() -> dict[str, dict[str, dict]]:
    sources = source_refs()
    relation = {
        "actor": slug("The related actor's id."),
        "type": text("The relation, a short phrase: member of, rival of, ..."),
        "since": optional(fuzzy_date()),
        "note": optional(markdown()),
        "sources": sources,
    }
    judgment = {
        "text": markdown("The judgment."),
        "likelihood": _likelihood(),
        "confidence": optional(choice(CONFIDENCE, "Confidence: low, moderate or high.")),
    }
    scope = {
        "actors": strings(description="Developments involving any of these actors."),
        "tags": strings(description="Developments carrying any of these tags."),
        "since": optional(fuzzy_date("Start of the period.")),
        "until": optional(fuzzy_date("End of the period.")),
        "min_significance": optional(choice(SIGNIFICANCE, "Least significance in scope.")),
    }
    formats_item = {"type": "string", "pattern": f"^\\s*({_ci('pdf')}|{_ci('docx')})\\s*$"}
    paper = "|".join(_ci(p) for p in ("A4", "letter", "us-letter"))
    return {
        "actor": {
            "id": slug(), "name": text("The actor's name."),
            "kind": choice(ACTOR_KINDS, "What kind of actor."),
            "summary": markdown("Who the actor is."),
            "aliases": strings(description="Other names, in any script."),
            "country": optional({"type": "string", "pattern": "^\\s*[A-Za-z]{2}\\s*$",
                                 "description": "ISO 3166-1 alpha-2 code, e.g. UZ."}),
            "role": optional(text("One line: a person's title and affiliation.")),
            "relations": mapping_list(mapping(relation, ("actor", "type")),
                                      "Relations to other actors."),
            "sources": sources,
            "updated": optional(fuzzy_date("When the profile was last reviewed.")),
        },
        "relation": relation,
        "development": {
            "id": slug(), "date": fuzzy_date("When it happened."),
            "title": text("A one-line title."), "summary": markdown("What happened."),
            "end": optional(fuzzy_date("When it ended, for a development that spans time.")),
            "actors": strings(slug("An actor id."), "Ids of the actors involved."),
            "location": optional(text("Where.")),
            "tags": strings(slug("A tag."), "Tags (slugs)."),
            "significance": optional(choice(SIGNIFICANCE, "low, medium (default) or high.")),
            "sources": sources,
        },
        "source": {
            "id": slug(), "title": text("The source's title."),
            "publisher": optional(text()), "authors": strings(description="Authors."),
            "date": optional(fuzzy_date("Publication date.")), "url": optional(text()),
            "kind": optional(text("report, article, statement, ...")),
            "reliability": optional({"type": "string", "pattern": "^\\s*[A-Fa-f]\\s*$",
                                     "description": "Admiralty source reliability, A to F."}),
        },
        "brief": {
            "id": optional(slug("The brief's id (default: the file name).")),
            "title": text("The brief's title."), "date": fuzzy_date("Issue date."),
            "subtitle": optional(text()), "short_title": optional(text("For running heads.")),
            "audience": optional(text()), "organisation": optional(text()),
            "authors": strings(description="Authors."),
            "template": optional(text("Template name (default policy-brief).")),
            "as_of": optional(fuzzy_date("Nothing dated after this is used (default: date).")),
            "marking": _marking(),
            "bluf": optional(markdown("Bottom line up front.")),
            "key_judgments": mapping_list(mapping(judgment, ("text",)), "Key judgments."),
            "scope": {"anyOf": [mapping(scope), {"type": "null"}],
                      "description": "Which developments the brief covers."},
            "sections": mapping_list(mapping({"title": text("Section heading."),
                                              "body": optional(markdown())}, ("title",)),
                                     "Sections of free text."),
            "recommendations": {"anyOf": [{"type": "array",
                                           "items": {"type": ["string", "number", "boolean"]}},
                                          {"type": "null"}],
                                "description": "Recommendations (Markdown), one per item."},
            "distribution": strings(description="Recipients; numbered copies per recipient."),
            "formats": strings(formats_item, "pdf and/or docx (default both)."),
            "changes_since": optional(fuzzy_date("Adds what has changed since this date.")),
            "subject": optional(slug("Id of the actor the brief is about (actor-profile).")),
        },
        "settings": {
            "organisation": optional(text("Printed on every brief.")),
            "marking": _marking(),
            "theme": optional(text("A built-in theme name or a theme file path (.yaml).")),
            "paper": optional({"type": "string", "pattern": f"^\\s*({paper})\\s*$",
                               "description": "A4 or letter."}),
        },
    }


REQUIRED = {
    "actor": ("id", "name", "kind", "summary"),
    "development": ("id", "date", "title", "summary"),
    "source": ("id", "title"),
    "brief": ("title", "date"),
    "settings": (),
}

# The parser's key lists, which the table must match exactly (tests/test_schema.py).
PARSER_KEYS = {
    "actor": "ACTOR_KEYS", "relation": "RELATION_KEYS", "development": "DEVELOPMENT_KEYS",
    "source": "SOURCE_KEYS", "brief": "BRIEF_KEYS", "settings": "SETTINGS_KEYS",
}


def field_table() -> dict[str, dict[str, dict]]:
    """The schema of every field of every kind, in the parser's key order; a key the parser
    knows but the table does not describe yet accepts anything (a test forbids that)."""
    table = _fields()
    ordered = {}
    for kind, attr in PARSER_KEYS.items():
        keys = getattr(parse, attr)
        ordered[kind] = {k: table[kind].get(k, {"description": "(not described yet)"})
                         for k in keys}
    return ordered


def _item_schema(kind: str) -> dict:
    fields = field_table()[kind]
    return {"type": "object", "additionalProperties": False,
            "required": [k for k in REQUIRED[kind] if k in fields], "properties": fields}


def _not_blank(kind: str, schema: dict) -> dict:
    """Required text may not be null or ''."""
    props = schema["properties"]
    for key in REQUIRED.get(kind, ()):
        if key in props:
            props[key] = {"allOf": [props[key], {"not": {"enum": [None, ""]}}]} \
                if "description" not in props[key] else \
                {"allOf": [{k: v for k, v in props[key].items() if k != "description"},
                           {"not": {"enum": [None, ""]}}],
                 "description": props[key]["description"]}
    return schema


TITLES = {
    "actor": "briefgen actor file: one actor or a list of actors",
    "development": "briefgen development file: one development or a list of them",
    "source": "briefgen source file: one source or a list of sources",
    "brief": "briefgen brief file: one brief",
    "settings": "briefgen workspace settings (briefgen.yaml)",
    "theme": "briefgen theme file",
}


def schema_for(kind: str) -> dict:
    """The JSON Schema of a file of ``kind`` (actor, development, source, brief, settings,
    theme)."""
    if kind not in KINDS:
        raise ValueError(kind)
    head = {"$schema": DIALECT, "$id": f"https://briefgen.invalid/schema/{kind}.json",
            "title": TITLES[kind]}
    if kind == "theme":
        from ..theme.loader import theme_schema
        return {**head, **theme_schema()}
    item = _not_blank(kind, _item_schema(kind))
    if kind == "relation":
        return {**head, **item}
    for nested in ("relations", "sections", "key_judgments"):
        spec = item["properties"].get(nested)
        if spec:
            array = spec["anyOf"][0]
            need = ("actor", "type") if nested == "relations" else ("title",) \
                if nested == "sections" else ("text",)
            for key in need:
                props = array["items"]["properties"]
                props[key] = {"allOf": [props[key], {"not": {"enum": [None, ""]}}]}
    profile = getattr(parse, "ACTOR_PROFILE", None)
    if kind == "brief" and profile:  # that template is about one actor: it needs a subject
        item["if"] = {"required": ["template"],
                      "properties": {"template": {"const": profile}}}
        item["then"] = {"required": ["subject"],
                        "properties": {"subject": {"not": {"enum": [None, ""]}}}}
    if kind in ("brief", "settings"):
        return {**head, **item}
    return {**head, "$defs": {kind: item},
            "anyOf": [{"$ref": f"#/$defs/{kind}"},
                      {"type": "array", "items": {"$ref": f"#/$defs/{kind}"}}]}
