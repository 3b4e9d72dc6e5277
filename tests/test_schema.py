"""`briefgen schema KIND` and the validator agree: same keys, and the same verdict on the sample
files, on edge cases that are valid, and on broken files (checked with the jsonschema package)."""
import json
import textwrap

import jsonschema
import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.content import spec
from briefgen.content.models import SourceRef
from briefgen.content.parse import Parser
from briefgen.content.schema import MODELS, SCHEMAS
from briefgen.content.values import READERS
from briefgen.content.yamlpos import load_yaml
from briefgen.schemas import KINDS, schema_for
from briefgen.theme.loader import load_theme
from tests.conftest import REPO

SAMPLES = {
    "actor": "content/actors/*.yaml", "development": "content/developments/*.yaml",
    "source": "content/sources/*.yaml", "brief": "content/briefs/*.yaml",
    "settings": "briefgen.yaml", "theme": "briefgen/themes/*.yaml",
}


def validator_problems(kind: str, path) -> list[str]:
    """What `briefgen validate` says about one file on its own: problems and warnings (cross-
    references between files are left out: no schema can see other files)."""
    shown = str(path)
    data, problems = load_yaml(str(path), shown)
    if kind == "theme":
        return [str(p) for p in problems + load_theme(str(path), path.parent).problems]
    parser = Parser()
    if data is not None:
        if kind in ("actor", "development", "source"):
            for entry in data if isinstance(data, list) else [data]:
                if isinstance(entry, dict):
                    getattr(parser, kind)(entry, shown)
                else:
                    problems.append(f"not a mapping: {entry!r}")
        elif not isinstance(data, dict):
            problems.append("not a mapping")
        elif kind == "brief":
            parser.brief(data, shown, "a-brief")
        else:
            parser.settings(data, shown)
    return [str(p) for p in [*problems, *parser.problems, *parser.warnings]]


def schema_errors(kind: str, path) -> list[str]:
    data, _ = load_yaml(str(path), str(path))
    validator = jsonschema.Draft202012Validator(schema_for(kind))
    return [e.message for e in validator.iter_errors(data)]


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_json_schema_and_printed_by_the_cli(kind):
    result = CliRunner().invoke(main, ["schema", kind])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# A valid value of each kind, to fill in every declared field (a new kind needs one here).
SAMPLE_VALUES = {
    spec.TEXT: "x", spec.MARKDOWN: "*x*", spec.SLUG: "x", spec.SLUGS: ["x"], spec.DATE: 2021,
    spec.STRINGS: ["x"], spec.MARKDOWN_LIST: ["*x*"], spec.COUNTRY: "UZ",
    spec.SOURCE_REFS: ["s", {"source": "s", "credibility": 2, "locator": "p. 4"}],
    spec.RELIABILITY: "B", spec.CREDIBILITY: 2, spec.MARKING: "TLP:GREEN",
    spec.LIKELIHOOD: "likely", spec.FORMATS: ["pdf"], spec.PAPER: "A4", spec.LANGUAGE: "fa-AF",
}


def _every_field(model: type) -> dict:
    """A mapping that gives every declared field of ``model`` (and of its nested models)."""
    out = {}
    for s in spec.specs(model):
        if s.kind == spec.CHOICE:
            out[s.name] = s.choices[-1]
        elif s.kind == spec.MAPPING:
            out[s.name] = _every_field(s.of)
        elif s.kind == spec.MAPPINGS:
            out[s.name] = [_every_field(s.of)]
        else:
            out[s.name] = SAMPLE_VALUES[s.kind]
    return out


def _declared(model: type, schema: dict, where: str = ""):
    """(where, field spec, its schema) for every declared field of ``model`` and nested ones."""
    for s in spec.specs(model):
        prop = schema["properties"][s.name]
        yield f"{where}{s.name}", s, prop
        if s.kind == spec.MAPPING:
            yield from _declared(s.of, prop["anyOf"][0], f"{where}{s.name}.")
        elif s.kind == spec.MAPPINGS:
            yield from _declared(s.of, prop["anyOf"][0]["items"], f"{where}{s.name}[].")
        elif s.kind == spec.SOURCE_REFS:
            ref = prop["anyOf"][1]["items"]["anyOf"][1]
            yield from _declared(SourceRef, ref, f"{where}{s.name}[].")


def _item_schema(kind: str) -> dict:
    schema = schema_for(kind)
    return schema["$defs"][kind] if "$defs" in schema else schema


def test_every_kind_of_value_has_a_reader_and_a_schema():
    kinds = {s.kind for kind in MODELS for _, s, _ in _declared(MODELS[kind], _item_schema(kind))}
    assert set(READERS) | {spec.CREDIBILITY} == set(SCHEMAS) == kinds


@pytest.mark.parametrize("kind", KINDS[:-1])
def test_every_declared_field_is_in_the_schema_with_its_description(kind):
    declared = list(_declared(MODELS[kind], _item_schema(kind)))
    assert declared
    for where, s, prop in declared:
        assert s.doc, f"{where}: declare what it means"
        assert prop["description"].startswith(s.doc), where
    assert list(_item_schema(kind)["properties"]) == list(spec.keys(MODELS[kind]))


@pytest.mark.parametrize("kind", KINDS[:-1])
def test_every_declared_field_is_accepted_by_both(tmp_path, kind):
    data = _every_field(MODELS[kind])
    path = _write(tmp_path, kind, json.dumps(data, ensure_ascii=False))
    assert validator_problems(kind, path) == []
    assert schema_errors(kind, path) == []


@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_key_is_refused_by_the_schema_and_warned_about(tmp_path, kind):
    data = _every_field(MODELS[kind]) if kind in MODELS else {}
    data["colour_sheme"] = "x"
    path = _write(tmp_path, kind, json.dumps(data))
    assert any("unknown field 'colour_sheme'" in p or "colour_sheme" in p
               for p in validator_problems(kind, path))
    assert schema_errors(kind, path)


@pytest.mark.parametrize("kind", KINDS)
def test_every_sample_file_passes_both(kind):
    files = sorted(REPO.glob(SAMPLES[kind]))
    assert files
    for path in files:
        assert validator_problems(kind, path) == [], path
        assert schema_errors(kind, path) == [], path


VALID = {
    "actor": [
        "id: x\nname: 2024\nkind: person\nsummary: s\ncountry: uz\nrelations: []\n",
        "- {id: a, name: A, kind: other, summary: s, aliases: Одна}\n"
        "- {id: b, name: B, kind: state, summary: s, sources: one-source, updated: 2024-02}\n",
        "id: y\nname: Y\nkind: movement\nsummary: s\nrole:\nrelations:\n"
        "  - {actor: x, type: ally, since: 2021, sources: [{source: s, credibility: '2'}]}\n",
    ],
    "development": [
        "id: d\ndate: 2021\ntitle: T\nsummary: S\ntags: conflict\nsignificance: high\n",
        "id: d\ndate: '2021-8-5'\ntitle: T\nsummary: S\nend: 2021-09\nlocation:\n"
        "sources: [a, {source: b, credibility: 6, locator: p. 4}]\nactors: [x, y-2]\n",
    ],
    "source": [
        "id: s\ntitle: T\nauthors: Jane Roe\nreliability: b\ndate: 2024-03-01\n",
        "- {id: s, title: T}\n- {id: t, title: U, url: 'https://example.org'}\n",
    ],
    "brief": [
        "title: T\ndate: 2024-10-01\nmarking: tlp amber+strict\n",
        "title: T\ndate: 2024\nmarking: OFFICIAL - SENSITIVE\nformats: PDF\n",
        "title: T\ndate: 2024-10\nkey_judgments:\n  - {text: K, likelihood: Almost  Certainly, "
        "confidence: high}\n  - text: L\nscope: {since: 2021, min_significance: medium}\n"
        "sections: [{title: S, body: B}]\nrecommendations: [one, 2]\ndistribution: Desk\n",
        "title: T\ndate: 2024-10-01\nmarking: TLP-CLEAR\nas_of: 2024-09\nscope:\n",
        "title: T\ndate: 2024\ntemplate: actor-profile\nsubject: isis-k\n",
        "title: T\ndate: 2024\nlanguage: ps\n",
        "title: T\ndate: 2024\nlanguage: zh-Hans-CN\n",
    ],
    "settings": ["organisation: O\nmarking: TLP:GREEN\npaper: Letter\ntheme: modern\n",
                 "paper: us-letter\nlanguage: en-GB\n"],
    "theme": ["parent: modern\nheading_colour: '#abc'\nbody_font: DejaVu Sans\n"
              "heading_sizes: [20, 16, 12, 11, 10, 9]\nlogo:\n",
              "description: x\nmargin_top: 0\nbody_size: 9.5\npaper: letter\n"],
}

BROKEN = {
    "actor": [
        "id: x\nkind: person\nsummary: s\n",                         # no name
        "id: x\nname: X\nkind: country\nsummary: s\n",               # unknown kind
        "id: Bad Id\nname: X\nkind: state\nsummary: s\n",            # not a slug
        "id: x\nname: X\nkind: state\nsummary: s\ncountry: UZB\n",   # not alpha-2
        "id: x\nname: X\nkind: state\nsummary: s\nnmae: typo\n",     # unknown key
        "id: x\nname: X\nkind: state\nsummary: {a: 1}\n",            # summary not text
        "id: x\nname: X\nkind: state\nsummary: s\nrelations: {actor: y}\n",
        "id: x\nname: X\nkind: state\nsummary: s\nrelations: [{actor: y}]\n",  # no type
        "id: x\nname: X\nkind: state\nsummary: s\nsources: [{source: a, credibility: 7}]\n",
        "id: x\nname: X\nkind: state\nsummary: s\naliases: {a: 1}\n",
        "- {id: a, name: A, kind: state, summary: s}\n- just text\n",
        "id: x\nname: X\nkind: state\nsummary: s\nupdated: last week\n",
    ],
    "development": [
        "id: d\ndate: 2021-13\ntitle: T\nsummary: S\n",
        "id: d\ndate: 21-08\ntitle: T\nsummary: S\n",
        "id: d\ndate: 2021\ntitle: T\nsummary: S\nsignificance: huge\n",
        "id: d\ndate: 2021\ntitle: T\nsummary: S\ntags: [Bad Tag]\n",
        "id: d\ndate: 2021\ntitle: T\nsummary: S\nend: true\n",
        "id: d\ndate: 2021\nsummary: S\n",
        "id: d\ndate: 2021\ntitle: T\nsummary: S\nsources: [{source: a, page: 4}]\n",
        "id: d\ndate: 2021\ntitle: T\nsummary: S\nsources: [{source: a, credibility: '12'}]\n",
        "id: d\ndate: 2021\ntitle: ''\nsummary: S\n",
        "id: d\ndate: 2021\ntitle: T\nsummary: S\nsources: [{locator: p. 4}]\n",
    ],
    "source": [
        "id: s\ntitle: T\nreliability: G\n",
        "id: s\ntitle: T\nreliability: AB\n",
        "id: s\ntitle: T\nauthors: {a: 1}\n",
        "id: s\n",
        "id: s\ntitle: T\npublished: 2024\n",
        "id: s\ntitle: T\ndate: March\n",
    ],
    "brief": [
        "title: T\n",
        "title: T\ndate: 2024\nmarking: TLP:BLUE\n",
        "title: T\ndate: 2024\nkey_judgments: [{text: K, likelihood: maybe}]\n",
        "title: T\ndate: 2024\nkey_judgments: [{text: K, confidence: very}]\n",
        "title: T\ndate: 2024\nkey_judgments: [{likelihood: likely}]\n",
        "title: T\ndate: 2024\nscope: recent\n",
        "title: T\ndate: 2024\nscope: {min_significance: top}\n",
        "title: T\ndate: 2024\nscope: {since: 2021, actor: [x]}\n",
        "title: T\ndate: 2024\nformats: [pdf, rtf]\n",
        "title: T\ndate: 2024\nrecommendations: Do it\n",
        "title: T\ndate: 2024\nsections: [{body: B}]\n",
        "title: T\ndate: 2024\nsummary: S\n",
        "title: T\ndate: 2024\nid: Not A Slug\n",
        "- title: T\n  date: 2024\n",
        "title: T\ndate: 2024\ntemplate: actor-profile\n",
        "title: T\ndate: 2024\nlanguage: Pashto\n",
        "title: T\ndate: 2024\nlanguage: fa_AF\n",
    ],
    "settings": ["paper: A3\n", "language: English (UK)\n", "organisation: O\ntheme_name: x\n", "marking: TLP:PINK\n"],
    "theme": ["heading_color: '#000000'\n", "text_colour: navy\n", "body_size: -1\n",
              "body_font: Comic Sans\n", "margin_top: wide\n", "heading_sizes: [big]\n",
              "logo: 5\n", "paper: A3\n", "parent: 3\n",
              "body_font: {regular: a.ttf, boldface: b.ttf}\n"],
}


def _cases(table):
    return [(kind, i, text) for kind, texts in table.items() for i, text in enumerate(texts)]


def _write(tmp_path, kind, text):
    path = tmp_path / f"{kind}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind,i,text", _cases(VALID))
def test_valid_edge_cases_pass_both(tmp_path, kind, i, text):
    path = _write(tmp_path, kind, text)
    assert validator_problems(kind, path) == []
    assert schema_errors(kind, path) == []


@pytest.mark.parametrize("kind,i,text", _cases(BROKEN))
def test_broken_files_fail_both(tmp_path, kind, i, text):
    path = _write(tmp_path, kind, text)
    assert validator_problems(kind, path), "the validator accepts it"
    assert schema_errors(kind, path), "the schema accepts it"


def test_what_only_the_validator_sees(tmp_path):
    """Documented limits of the schema: dates that do not exist, ends before starts."""
    path = _write(tmp_path, "development", "id: d\ndate: 2024-02-30\ntitle: T\nsummary: S\n")
    assert validator_problems("development", path) and not schema_errors("development", path)


@pytest.mark.parametrize("field,values", [
    ("marking", ["TLP:RED", "tlp:red", "TLP red", "TLP-AMBER+STRICT", "TLP: AMBER + STRICT",
                 "TLPGREEN", "TLP::RED", "TLP:BLUE", "TLPX", "tlp", "SECRET", "Official",
                 "T LP:RED", "TLP-:-CLEAR", "TLP:CLEAR!", "\u202eRAELC:PLT", "\u200bTLP:CLEAR",
                 "\u2060TLP:CLEAR", "\u00adTLP:CLEAR", "\u00b7TLP:RED", "SECRET\u200b"]),
    ("likelihood", ["likely", "Very  Likely", "almost certainly", "nearly certain", "probably",
                    "roughly even odds", "even chance", "remote", ""]),
    ("date", ["2024", "2024-1", "2024-01-31", "2024-13", "24", "2024-01-32", "2024/01"]),
])
def test_validator_and_schema_agree_value_by_value(tmp_path, field, values):
    for value in values:
        if field == "marking":
            text = f"title: T\ndate: 2024\nmarking: {json.dumps(value)}\n"
        elif field == "likelihood":
            text = f"title: T\ndate: 2024\nkey_judgments: [{{text: K, likelihood: " \
                   f"{json.dumps(value)}}}]\n"
        else:
            text = f"title: T\ndate: {json.dumps(value)}\n"
        path = _write(tmp_path, "brief", text)
        assert bool(validator_problems("brief", path)) == bool(schema_errors("brief", path)), \
            (field, value)
