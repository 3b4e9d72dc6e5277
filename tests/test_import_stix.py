"""`briefgen import stix`: a STIX 2.1 bundle into actors, relations, developments and sources."""
import json
from pathlib import Path

import pytest
import yaml

from tests.import_fixtures import run, snapshot, ws  # noqa: F401 (ws: a fixture)
from briefgen.workspace_paths import display_path

BUNDLE = Path(__file__).parent / "imports" / "stix-bundle.json"
ISKP = "stix-threat-actor-2a4c6e801b3d"
SSS = "stix-identity-5e8a1c3d7f2b"
CAMPAIGN = "stix-campaign-9f1d3b5a2c4e"


def load(ws: Path, kind: str) -> dict:
    found = {}
    for path in sorted((ws / "content" / kind).glob("stix*.yaml")):
        found.update({i["id"]: i for i in yaml.safe_load(path.read_text(encoding="utf-8"))})
    return found


def test_a_bundle_becomes_actors_relations_developments_and_sources(ws):
    result = run("import", "stix", BUNDLE, "-w", ws)
    assert result.exit_code == 0, result.output
    assert "actors: 4 added" in result.output and "developments: 3 added" in result.output
    # what has no place in briefgen is said, not dropped silently
    assert "1 malware object not imported" in result.output
    assert "(uses) not imported: it relates malware objects" in result.output
    actors = load(ws, "actors")
    iskp = actors[ISKP]
    assert iskp["upstream_id"] == "threat-actor--2a4c6e80-1b3d-4f5a-8c7e-9d0b1a2c3e41"
    assert (iskp["name"], iskp["kind"], iskp["aliases"]) == \
        ("Islamic State Khorasan Province", "armed-group", ["ISKP", "ISIS-K"])
    assert iskp["relations"] == [{"actor": SSS, "type": "targets", "since": "2024-01-01",
                                  "note": "Threats against officers who led the April arrests. "
                                          "Until 31 August 2024."}]
    assert actors[CAMPAIGN]["relations"][0] == {"actor": ISKP, "type": "attributed to",
                                                "since": "2024-03-01"}
    assert actors[SSS]["kind"] == "organisation" and actors[SSS]["role"] == "counter-terrorism"
    # text in brackets prints as itself
    assert actors[CAMPAIGN]["summary"].startswith("Messaging in Uzbek and Tajik on \\[encrypted\\]")
    devs = load(ws, "developments")
    report = devs["stix-report-c2e4a6b89d1f"]
    assert (report["date"], report["actors"], report["tags"]) == \
        ("2024-09-05", [ISKP, SSS], ["counter-terrorism"])
    campaign = devs[CAMPAIGN]
    assert (campaign["date"], campaign["end"]) == ("2024-03-01", "2024-05-15")
    sighting = devs["stix-sighting-e4a6c8d01f3b"]
    assert sighting["summary"] == "Sighted 3 times." and sighting["actors"] == [CAMPAIGN, SSS]
    sources = load(ws, "sources")
    creator = sources["stix-identity-0b6f3c1e5d1a"]
    assert creator["publisher"] == "Regional Security Desk"
    kun = [s for s in sources.values() if s.get("publisher") == "Kun.uz"][0]
    assert kun["url"] == "https://kun.uz/en/news/2024/09/05/example"
    assert kun["id"] in report["sources"] and creator["id"] in report["sources"]
    result = run("validate", "-w", ws)
    assert result.exit_code == 0 and "warning" not in result.output, result.output


def _bundle(tmp_path: Path, change) -> Path:
    data = json.loads(BUNDLE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _drop_actor(data):
    data["objects"] = [o for o in data["objects"] if not o["id"].startswith("threat-actor--")]


def _stix20(data):  # as STIX 2.0 bundles have it: before the objects
    objects = data.pop("objects")
    data.update(spec_version="2.0", objects=objects)


def _object_20(data):
    data["objects"][1]["spec_version"] = "2.0"


def _bad_date(data):
    data["objects"][8]["published"] = "2023-02-29T00:00:00Z"


@pytest.mark.parametrize("change, message", [
    (_drop_actor, "relationship--4b6d8f0a-1c3e-4a5b-9d7f-2e4a6c8b0d44: 'target_ref' refers to "
                  "threat-actor--2a4c6e80-1b3d-4f5a-8c7e-9d0b1a2c3e41, which is not in the bundle"),
    (_stix20, ":4: a STIX 2.0 bundle: briefgen reads STIX 2.1"),
    (_object_20, ":17: threat-actor--2a4c6e80-1b3d-4f5a-8c7e-9d0b1a2c3e41 is not a STIX 2.1 "
                 "object"),
    (_bad_date, "'2023-02-29' does not exist: February 2023 has 28 days"),
])
def test_a_broken_bundle_says_where_and_writes_nothing(ws, tmp_path, change, message):
    bad = _bundle(tmp_path, change)
    before = snapshot(ws)
    result = run("import", "stix", bad, "-w", ws)
    assert result.exit_code == 1, result.output
    assert message in result.output and f"error: {bad}:" in result.output, result.output
    assert "Traceback" not in result.output
    assert snapshot(ws) == before


@pytest.mark.parametrize("text, message", [
    ('{"type": "bundle", "objects": [}', ":1: not valid JSON"),
    ('{"type": "report"}', ":1: not a STIX bundle"),
])
def test_a_file_that_is_not_a_bundle(ws, tmp_path, text, message):
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    result = run("import", "stix", bad, "-w", ws)
    assert result.exit_code == 1 and f"error: {bad}{message}" in result.output, result.output


def test_ids_are_stable_across_a_newer_bundle(ws, tmp_path):
    assert run("import", "stix", BUNDLE, "-w", ws).exit_code == 0
    newer = _bundle(tmp_path, lambda d: d["objects"][1].update(
        aliases=["ISKP", "ISIS-K", "Wilayat Khorasan"]))
    result = run("import", "stix", newer, "-w", ws)
    assert "actors: 0 added, 1 changed, 0 removed, 3 unchanged" in result.output, result.output
    assert load(ws, "actors")[ISKP]["aliases"][-1] == "Wilayat Khorasan"
    assert display_path(ws / "content/actors/stix.yaml") in result.output
