"""Reading a model's declared fields (spec.py) from one YAML mapping, one reader per kind of
value. Checks that involve two fields (an end before its start) are parse.py's."""
from __future__ import annotations

import dataclasses
import difflib
from functools import partial
from operator import methodcaller
from typing import Callable

from . import spec
from ..errors import shown
from .fields import LANGUAGE_TAG, SLUG, Fields, not_an_id
from .lookalike import looks_like_tlp, misleading, tlp_canonical
from .models import (DEFAULT_FORMATS, FORMATS, LIKELIHOOD_ALIASES, LIKELIHOOD_SETS, TLP_LABELS,
                     Origin)
from .paper import PAPER_SIZES, SETTINGS_ALIASES, paper_name
from .spec import FieldSpec, keys, required, specs
from .yamlpos import PosDict, PosList

ALL_TERMS = tuple(t for terms in LIKELIHOOD_SETS for t in terms)
Reader = Callable[[Fields], object]


# model -> (its keys, its required keys, a reader per argument of the model, in order); an
# item's origin and line
# are not read from YAML but recorded from where it was found
_PLANS: dict[type, tuple] = {}
_ORIGIN, _LINE = object(), object()


def _plan(model: type) -> tuple:
    plan = _PLANS.get(model)
    if plan is None:
        declared = {s.name: s for s in specs(model)}
        readers = []
        for f in dataclasses.fields(model):
            if f.name in declared:
                readers.append(READERS[declared[f.name].kind](declared[f.name]))
            elif f.name in ("origin", "line"):
                readers.append(_ORIGIN if f.name == "origin" else _LINE)
            elif f.init:
                raise TypeError(f"{model.__name__}.{f.name} is neither declared nor a position")
        plan = _PLANS[model] = (keys(model), required(model), tuple(readers))
    return plan


def load(model: type, data: PosDict, path: str, problems: list, warnings: list,
         line: int = 0) -> tuple[object, Fields]:
    """``data`` as a ``model``, each declared field read in declaration order, problems and
    unknown keys collected; and the mapping's Fields, for checks across fields. One function
    building positional arguments, because it runs once per item and per nested item."""
    known, needed, readers = _PLANS.get(model) or _plan(model)
    f = Fields(data, path, problems, model.noun)
    f.check_keys(known, warnings, needed)
    args = []
    add = args.append
    for reader in readers:
        if reader is _ORIGIN:
            add(Origin.of(data, path))
        elif reader is _LINE:
            add(line)
        else:
            add(reader(f))
    return model(*args), f


def _nested(f: Fields, model: type, data: PosDict, line: int):
    return load(model, data, f.path, f.problems, f.warnings, line)[0]


def _mappings(f: Fields, s: FieldSpec) -> list:
    return [_nested(f, s.of, item, line) for item, line in f.mapping_list(s.name)]


def _mapping(f: Fields, s: FieldSpec):
    data = f.data.get(s.name)
    if data is None:
        return s.of()
    if not isinstance(data, dict):
        f.problem(s.name, f"'{s.name}' must be a mapping such as {s.example}")
        return s.of()
    return _nested(f, s.of, data, data.line)


def _text(s: FieldSpec) -> Reader:
    if s.default:
        return partial(_text_or_default, s=s)
    return methodcaller("text", s.name, s.required)


def _text_or_default(f: Fields, s: FieldSpec) -> str:
    return f.text(s.name, s.required) or s.default


def _slugs(f: Fields, s: FieldSpec) -> list[str]:
    """The valid ids of a list; each other one is reported at its line and left out (it can
    name nothing)."""
    values = f.strings(s.name)
    if all(SLUG.match(value) for value in values):  # nearly always
        return values
    raw = f.data.get(s.name)
    for value in values:
        if not SLUG.match(value):
            at = raw.line_of(raw.index(value)) if isinstance(raw, PosList) and value in raw \
                else None
            f.problem(s.name, f"{shown(value)} in '{s.name}' is not a valid id"
                              f"{not_an_id(value)}: use lowercase letters, digits and hyphens", at)
    return [value for value in values if SLUG.match(value)]


def _country(f: Fields, s: FieldSpec) -> str:
    country = f.text(s.name).upper()
    if country and not (len(country) == 2 and country.isalpha() and country.isascii()):
        f.problem(s.name, f"country must be an ISO 3166-1 alpha-2 code such as 'UZ', "
                          f"not '{country}'")
    return country


def _reliability(f: Fields, s: FieldSpec) -> str:
    reliability = f.text(s.name).upper()
    if reliability and (len(reliability) != 1 or reliability not in "ABCDEF"):
        f.problem(s.name, f"reliability must be an Admiralty letter A to F, not '{reliability}'")
        return ""
    return reliability


def _marking(f: Fields, s: FieldSpec) -> str:
    """A TLP 2.0 label (written TLP:RED, tlp red, TLP-RED ...) or free banner text; neither may
    display as something else (an invisible or bidi-control character, a look-alike letter),
    and text that reads as TLP must be a TLP 2.0 label."""
    warnings, f.warnings = f.warnings, None  # a bidi control is an error here, not a warning
    marking = f.text(s.name)
    f.warnings = warnings
    why = misleading(marking)
    if why:
        f.problem(s.name, f"the marking {shown(marking)} contains {why}: a marking must print "
                          "as what it is; type it again in plain letters")
        return ""
    if looks_like_tlp(marking):
        canonical = tlp_canonical(marking)
        if canonical not in TLP_LABELS:
            f.problem(s.name, f"{shown(marking)} is not a TLP 2.0 label, yet reads as one: "
                              "use TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED")
            return ""
        return canonical
    return marking


def _likelihood(f: Fields, s: FieldSpec) -> str:
    """An ICD 203 term (either set); whether a brief mixes the sets is parse.py's check."""
    likelihood = " ".join(f.text(s.name).lower().split())
    likelihood = LIKELIHOOD_ALIASES.get(likelihood, likelihood)
    if likelihood and likelihood not in ALL_TERMS:
        f.problem(s.name, f"'{likelihood}' is not an ICD 203 likelihood term"
                          f"{_suggest(likelihood)}")
        return ""
    return likelihood


def _suggest(term: str) -> str:
    close = difflib.get_close_matches(term, ALL_TERMS, n=1, cutoff=0.5)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return hint + "; use one of: " + ", ".join(LIKELIHOOD_SETS[0]) + " (or the other set: " + \
        ", ".join(LIKELIHOOD_SETS[1]) + ")"


def _formats(f: Fields, s: FieldSpec) -> list[str]:
    if s.name not in f.data:
        return list(DEFAULT_FORMATS)
    formats = [x.lower() for x in f.strings(s.name)]
    for fmt in formats:
        if fmt not in FORMATS:
            f.problem(s.name, f"unknown format '{fmt}': use pdf, docx and/or html")
    # in the built-in order, so a brief's outputs come out alike however they were listed
    return [x for x in FORMATS if x in formats] or list(DEFAULT_FORMATS)


def _paper(f: Fields, s: FieldSpec) -> str:
    paper = f.text(s.name)
    if not paper:
        return ""
    normalised = paper_name(paper) or SETTINGS_ALIASES.get(paper.lower())
    if normalised is None:
        f.problem(s.name, f"paper must be {' or '.join(PAPER_SIZES)}, not '{paper}'")
        return ""
    return normalised


def _language(f: Fields, s: FieldSpec) -> str:
    language = f.text(s.name)
    if language and not LANGUAGE_TAG.match(language):
        f.problem(s.name, f"language must be a language tag such as 'en', 'en-GB', 'ps' or "
                          f"'fa-AF', not '{language}'")
        return ""
    return language


def _own(read_value: Callable[[Fields, FieldSpec], object]) -> Callable[[FieldSpec], Reader]:
    return lambda s: partial(read_value, s=s)


# kind of value -> the reader of a field of that kind. Most are one call of a Fields method,
# made without a Python frame of its own: a workspace has hundreds of thousands of fields.
READERS: dict[str, Callable[[FieldSpec], Reader]] = {
    spec.TEXT: _text,
    spec.MARKDOWN: lambda s: methodcaller("markdown", s.name, s.required),
    spec.SLUG: lambda s: methodcaller("slug", s.name, s.required),
    spec.SLUGS: _own(_slugs),
    spec.DATE: lambda s: methodcaller("date", s.name, s.required),
    spec.CHOICE: lambda s: methodcaller("choice", s.name, s.choices, s.default or "",
                                        s.required),
    spec.STRINGS: lambda s: methodcaller("strings", s.name),
    spec.MARKDOWN_LIST: lambda s: methodcaller("markdown_list", s.name),
    spec.SOURCE_REFS: lambda s: methodcaller("source_refs", s.name),
    spec.MAPPINGS: _own(_mappings),
    spec.MAPPING: _own(_mapping),
    spec.COUNTRY: _own(_country),
    spec.RELIABILITY: _own(_reliability),
    spec.MARKING: _own(_marking),
    spec.LIKELIHOOD: _own(_likelihood),
    spec.FORMATS: _own(_formats),
    spec.PAPER: _own(_paper),
    spec.LANGUAGE: _own(_language),
}
