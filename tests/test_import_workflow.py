"""Issue 18's "done when", as a new user would go: a new workspace, an ACLED export and a STIX
bundle imported, a brief built from them, a newer export re-imported, and a TLP:RED item that
stops a TLP:AMBER brief."""
import json
from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import main
from tests.readers import docx_text, pdf_pages

HERE = Path(__file__).parent / "imports"
BRIEF = """\
title: ISKP and Central Asian security
date: 2024-10-01
marking: TLP:AMBER
bluf: ISKP keeps recruiting among Central Asian migrants.
scope:
  actors: [stix-threat-actor-2a4c6e801b3d, stix-campaign-9f1d3b5a2c4e,
           acled-islamic-state-khorasan-province-iskp]
  since: 2024-01
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_imports_make_a_brief_then_resync_then_a_red_item_stops_it(tmp_path):
    ws = tmp_path / "desk"
    assert run("init", ws).exit_code == 0
    assert run("import", "acled", HERE / "acled-events.csv", "-w", ws).exit_code == 0
    assert run("import", "stix", HERE / "stix-bundle.json", "-w", ws).exit_code == 0
    (ws / "content/briefs/iskp.yaml").write_text(BRIEF, encoding="utf-8")
    result = run("build", "iskp", "-w", ws)
    assert result.exit_code == 0, result.output
    pdf = " ".join(" ".join(pdf_pages(ws / "output/iskp.pdf")).split())
    docx = " ".join(docx_text(ws / "output/iskp.docx").split())
    for text in (pdf, docx):
        # developments from both imports, upstream text printed as written
        assert "Battles: Armed clash in Dangam" in text
        assert "ISKP claimed responsibility on its *Amaq* channel." in text
        assert "Tashkent conferences weigh ISKP threat" in text
        # relations from the bundle, in the relation map and the profiles
        assert "Targets State Security Service of Uzbekistan since 1 January 2024" in text
        assert "Attributed to Islamic State Khorasan Province since 1 March 2024" in text
        assert "Armed Conflict Location & Event Data (ACLED)" in text
    assert "Figure 2: Relations between the actors in scope" in pdf
    assert "attributed to" in pdf  # an edge label of the relation map

    # a newer export: one event changed, one gone
    rows = (HERE / "acled-events.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    newer = tmp_path / "acled-newer.csv"
    changed = rows[1].replace("3 ISKP", "5 ISKP").replace(",3,,", ",5,,")
    newer.write_text("".join([rows[0], changed] + rows[3:]), encoding="utf-8")
    result = run("import", "acled", newer, "-w", ws)
    assert result.exit_code == 0, result.output
    assert "developments: 0 added, 1 changed, 1 removed, 3 unchanged" in result.output
    assert run("build", "iskp", "-w", ws, "-f", "pdf").exit_code == 0
    pdf = " ".join(" ".join(pdf_pages(ws / "output/iskp.pdf")).split())
    assert "5 ISKP fighters" in pdf and "Mazar-e-Sharif" not in pdf

    # the partner's report turns TLP:RED: the AMBER brief may not print it
    bundle = json.loads((HERE / "stix-bundle.json").read_text(encoding="utf-8"))
    for obj in bundle["objects"]:
        if obj["type"] == "report":
            obj["object_marking_refs"] = [
                "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"]  # TLP:RED
    red = tmp_path / "bundle-red.json"
    red.write_text(json.dumps(bundle, indent=2), encoding="utf-8")
    assert run("import", "stix", red, "-w", ws).exit_code == 0
    before = (ws / "output/iskp.pdf").read_bytes()
    result = run("build", "iskp", "-w", ws)
    assert result.exit_code == 1
    assert "content/briefs/iskp.yaml:3: brief 'iskp' is marked TLP:AMBER but would print a " \
           "development 'stix-report-c2e4a6b89d1f' marked TLP:RED" in result.output
    assert (ws / "output/iskp.pdf").read_bytes() == before  # the last good brief stays
    # out of scope, it does not count
    (ws / "content/briefs/iskp.yaml").write_text(
        BRIEF.replace("since: 2024-01", "since: 2024-01\n  until: 2024-08"), encoding="utf-8")
    assert run("build", "iskp", "-w", ws, "-f", "pdf").exit_code == 0
