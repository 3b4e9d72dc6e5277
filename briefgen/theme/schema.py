"""The JSON Schema of a theme file (``briefgen schema theme``), from the same walk over the
Theme fields as the value reader, so the two cannot drift apart."""
from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

from ..fonts.faces import BUILTIN_FAMILY_NAMES, FontFamily
from .fields import (FACES, FIELD_DOCS, LIST_LENGTHS, MAX_SIZE, MIN_SIZE, PATH_FIELDS, field_default,
                     is_colour, is_size, split_optional, theme_fields)
from .files import builtin_theme_names
from .model import PAPER_SIZES


def _type_schema(name: str, hint, default) -> dict:
    hint, optional = split_optional(hint)
    schema = _plain_schema(name, hint, default)
    if optional:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _family_schema() -> dict:
    face = {"type": "string", "pattern": r"\.[tT][tT][fF]\s*$"}
    def loose(word: str) -> str:  # as the loader compares: any case, spaces/-/_ ignored
        return "[\\s_-]*".join(f"[{c.lower()}{c.upper()}]" for c in word.replace(" ", ""))

    names = "|".join(loose(n) for n in BUILTIN_FAMILY_NAMES)
    return {"anyOf": [
        {"type": "string", "pattern": f"^[\\s_-]*({names}|.*\\.[tT][tT][fF])[\\s_-]*$",
         "description": "A built-in family (" + ", ".join(BUILTIN_FAMILY_NAMES) +
                        ") or one .ttf file for all faces."},
        {"type": "object", "additionalProperties": False, "required": ["regular"],
         "properties": {"name": {"type": "string", "minLength": 1,
                                 "description": "Family name Word shows (default: read from "
                                                "the regular face)."},
                        **{f: {**face, "description": f"The {f.replace('_', '-')} face: a "
                               ".ttf path relative to the theme file."} for f in FACES}}},
    ]}


def _plain_schema(name: str, hint, default) -> dict:
    origin = typing.get_origin(hint)
    if hint is FontFamily:
        return _family_schema()
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        return {"type": "object", "additionalProperties": False,
                "properties": {f.name: _type_schema(f.name, hints[f.name], None)
                               for f in dataclasses.fields(hint) if f.init}}
    if origin in (tuple, list):
        args = typing.get_args(hint)
        item = _type_schema(name, args[0] if args else str, None)
        array = {"type": "array", "items": item}
        if origin is tuple and len(args) > 1 and args[1] is not Ellipsis:
            array.update(minItems=len(args), maxItems=len(args))
        if name in LIST_LENGTHS:
            return {**array, "minItems": LIST_LENGTHS[name], "maxItems": LIST_LENGTHS[name]}
        return {"anyOf": [item, array]}
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(hint))}
    if origin is dict or hint is dict:
        return {"type": "object"}
    if hint is Path or name in PATH_FIELDS:
        return {"type": "string", "minLength": 1}
    if hint is bool:
        return {"type": "boolean"}
    if hint in (int, float):
        number = {"type": "integer" if hint is int else "number"}
        if is_size(name):
            return {**number, "minimum": MIN_SIZE, "maximum": MAX_SIZE}
        return {**number, "minimum": 0}
    if hint is str:
        if name == "paper":
            return {"type": "string", "pattern": "^\\s*(" + "|".join(
                "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c)
                        for c in size) for size in PAPER_SIZES) + ")\\s*$"}
        if is_colour(name, default):
            return {"type": "string", "pattern": r"^\s*#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\s*$"}
        return {"type": ["string", "number"]}
    return {}


def theme_schema() -> dict:
    properties: dict[str, dict] = {
        "parent": {"type": "string", "minLength": 1,
                   "description": "Theme to start from: a built-in name (" +
                   ", ".join(builtin_theme_names()) + ") or a theme file path relative to "
                   "this file. Default: default."},
        "description": {"type": ["string", "number", "boolean", "null"],
                        "description": "What this theme is for."},
    }
    for f, hint in theme_fields():
        schema = _type_schema(f.name, hint, field_default(f))
        doc = f.metadata.get("doc") or FIELD_DOCS.get(f.name)
        if not doc and is_colour(f.name, field_default(f)):
            doc = f"Colour #rrggbb ({f.name.replace('_', ' ')})."
        if doc:
            schema = {**schema, "description": doc}
        properties[f.name] = schema
    return {"type": "object", "additionalProperties": False, "properties": properties}
