"""Markings per item: a brief may not print an item marked more restrictively than itself,
unless its scope leaves the item out; STIX and MISP-style markings map onto TLP 2.0."""
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.content.models import TLP_LABELS
from briefgen.importers.stix import TLP_IDS
from tests.readers import pdf_pages

HERE = Path(__file__).parent / "imports"
BRIEF = """\
title: Tashkent security talks
date: 2024-10-01
marking: {marking}
scope:
  tags: [{tag}]
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def ws(tmp_path):
    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    (root / "content/developments/talks.yaml").write_text("""\
- id: talks-open
  date: 2024-09-04
  title: RATS SCO conference opens in Tashkent
  summary: Open reporting.
  tags: [talks]
  sources: [desk-cable]
- id: talks-side-meeting
  date: 2024-09-05
  title: Side meeting on border cooperation
  summary: From a partner's restricted reporting.
  tags: [restricted]
  marking: TLP:RED
""", encoding="utf-8")
    (root / "content/sources/desk-cable.yaml").write_text(
        "id: desk-cable\ntitle: Desk cable 24-117\nmarking: tlp amber\n", encoding="utf-8")
    return root


def brief(ws: Path, marking: str, tag: str) -> None:
    (ws / "content/briefs/talks.yaml").write_text(BRIEF.format(marking=marking, tag=tag),
                                                  encoding="utf-8")


def test_a_red_item_in_scope_of_an_amber_brief_stops_validate_and_build(ws):
    brief(ws, "TLP:AMBER", "restricted")
    for command in ("validate", "build"):
        result = run(command, "-w", ws)
        assert result.exit_code == 1, result.output
        assert "content/briefs/talks.yaml:3: brief 'talks' is marked TLP:AMBER but would print " \
               "a development 'talks-side-meeting' marked TLP:RED (" in result.output
        assert "content/developments/talks.yaml:12): TLP:RED is more restrictive than " \
               "TLP:AMBER; mark the brief at least as restrictively, or leave the item out of " \
               "its scope" in result.output
    assert not (ws / "output/talks.pdf").exists()


def test_an_item_out_of_scope_does_not_count_and_the_brief_builds(ws):
    brief(ws, "TLP:AMBER", "talks")  # the RED development is out of scope; the AMBER source in
    result = run("build", "talks", "-w", ws)
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_pages(ws / "output/talks.pdf"))
    assert "RATS SCO conference opens in Tashkent" in text
    assert "Side meeting" not in text


def test_a_source_counts_when_a_printed_item_cites_it(ws):
    brief(ws, "TLP:GREEN", "talks")
    result = run("validate", "-w", ws)
    assert result.exit_code == 1
    assert "would print a source 'desk-cable' marked TLP:AMBER" in result.output


def test_the_default_marking_and_the_organisations_own_levels(ws):
    brief(ws, "", "talks")  # the workspace's default, TLP:CLEAR, applies
    result = run("validate", "-w", ws)
    assert "is marked TLP:CLEAR (the workspace's default marking)" in result.output
    settings = ws / "briefgen.yaml"
    settings.write_text("markings: [OFFICIAL, OFFICIAL-SENSITIVE, SECRET]\n", encoding="utf-8")
    (ws / "content/sources/desk-cable.yaml").write_text(
        "id: desk-cable\ntitle: Desk cable 24-117\nmarking: OFFICIAL-SENSITIVE\n", "utf-8")
    brief(ws, "OFFICIAL", "talks")
    result = run("validate", "-w", ws)
    assert "OFFICIAL-SENSITIVE is more restrictive than OFFICIAL" in result.output
    brief(ws, "SECRET", "talks")
    assert run("validate", "-w", ws).exit_code == 0
    brief(ws, "TLP:RED", "talks")  # another scale: cannot tell
    result = run("validate", "-w", ws)
    assert "TLP and the organisation's levels cannot be compared" in result.output
    brief(ws, "EYES ONLY", "talks")
    result = run("validate", "-w", ws)
    assert "'EYES ONLY' is neither a TLP label nor one of the levels listed under 'markings'" \
        in result.output


def test_stix_markings_map_onto_tlp(ws, tmp_path):
    data = json.loads((HERE / "stix-bundle.json").read_text(encoding="utf-8"))
    red = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
    data["objects"].append({
        "type": "marking-definition", "spec_version": "2.1", "id": red,
        "created": "2022-10-01T00:00:00.000Z", "name": "TLP:RED",
        "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            "extension_type": "property-extension", "tlp_2_0": "red"}}})
    by_type = {o["type"]: o for o in data["objects"]}
    by_type["report"]["object_marking_refs"] = [red]  # TLP 2.0 definition in the bundle
    by_type["threat-actor"]["object_marking_refs"] = [list(TLP_IDS)[2]]  # TLP 1.0 AMBER, by id
    by_type["sighting"]["labels"] = ["tlp:green"]  # MISP-style tag
    by_type["campaign"]["labels"] = ["tlp:white"]  # TLP 1.0 WHITE is TLP 2.0 CLEAR
    path = tmp_path / "marked.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert run("import", "stix", path, "-w", ws).exit_code == 0
    found = {}
    for kind in ("actors", "developments"):
        for file in (ws / "content" / kind).glob("stix*.yaml"):
            found.update({i["id"]: i.get("marking") for i in yaml.safe_load(file.read_text())})
    assert found["stix-report-c2e4a6b89d1f"] == "TLP:RED"
    assert found["stix-threat-actor-2a4c6e801b3d"] == "TLP:AMBER"
    assert found["stix-sighting-e4a6c8d01f3b"] == "TLP:GREEN"
    assert found["stix-campaign-9f1d3b5a2c4e"] == "TLP:CLEAR"
    assert set(found.values()) <= set(TLP_LABELS) | {None}


def test_as_of_that_brings_a_red_item_in_is_checked_at_build(ws):
    """The brief file (as of 4 September) leaves the RED development of 5 September out and
    validates; built --as-of 30 September it would print it, and the build refuses."""
    (ws / "content/briefs/talks.yaml").write_text(
        BRIEF.format(marking="TLP:AMBER", tag="restricted") + "as_of: 2024-09-04\n",
        encoding="utf-8")
    assert run("validate", "-w", ws).exit_code == 0
    assert run("build", "talks", "-w", ws).exit_code == 0
    result = run("build", "talks", "-w", ws, "--as-of", "2024-09-30")
    assert result.exit_code == 1, result.output
    assert "would print a development 'talks-side-meeting' marked TLP:RED" in result.output
    assert not list((ws / "output").glob("talks@*"))
