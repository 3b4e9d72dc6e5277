"""`briefgen import table`: a desk's own CSV or XLSX list, column headers as content fields."""
import datetime as dt
from pathlib import Path

import pytest
import yaml

from tests.import_fixtures import run, snapshot, ws  # noqa: F401 (ws: a fixture)

HERE = Path(__file__).parent / "imports"


def test_csv_lists_of_sources_and_actors_come_in_and_validate(ws):
    result = run("import", "table", HERE / "desk-sources.csv", "--kind", "source", "-w", ws)
    assert result.exit_code == 0, result.output
    result = run("import", "table", HERE / "desk-actors.csv", "--kind", "actor", "-w", ws)
    assert result.exit_code == 0, result.output
    assert "actors: 2 added, 0 changed, 0 removed, 0 unchanged" in result.output
    path = ws / "content/actors/desk-actors.yaml"
    assert "--kind actor --name desk-actors\n" in path.read_text(encoding="utf-8")
    actors = {a["id"]: a for a in yaml.safe_load(path.read_text(encoding="utf-8"))}
    assert actors["rats-sco"]["aliases"] == ["RATS SCO", "РАТС ШОС"]  # ';' separates items
    assert actors["rats-sco"]["summary"] == "The SCO's counter-terrorism body, seated in " \
                                            "**Tashkent**."  # the desk's Markdown stays
    assert actors["boltaev"]["role"] == "Head, Centre for Afghanistan and South Asian Studies"
    assert "aliases" not in actors["boltaev"]  # an empty cell gives no field
    result = run("validate", "-w", ws)
    assert result.exit_code == 0 and "warning" not in result.output, result.output


def _workbook(path: Path, rows: list[list]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


DEV_HEADER = ["upstream_id", "date", "title", "summary", "actors", "tags", "significance",
              "location"]


def test_an_xlsx_sheet_of_developments_with_date_cells(ws, tmp_path):
    sheet = _workbook(tmp_path / "desk-log.xlsx", [
        DEV_HEADER,
        ["DESK-2024-017", dt.datetime(2024, 9, 4), "RATS SCO conference opens in Tashkent",
         "The 10th conference of the RATS SCO meets in *Tashkent*.", "northland",
         "security; counter-terrorism", "medium", "Tashkent"],
        [None] * 8,  # a blank row in the middle of the sheet
        ["DESK-2024-018", "2024-09", "CIS conference on extremism", "Held the same week.",
         None, "counter-terrorism", None, None],
    ])
    result = run("import", "table", sheet, "--kind", "development", "-w", ws)
    assert result.exit_code == 0, result.output
    devs = yaml.safe_load((ws / "content/developments/desk-log.yaml").read_text("utf-8"))
    assert [(d["id"], d["upstream_id"], d["date"]) for d in devs] == [
        ("desk-2024-017", "DESK-2024-017", "2024-09-04"),
        ("desk-2024-018", "DESK-2024-018", "2024-09")]
    assert devs[0]["tags"] == ["security", "counter-terrorism"]
    assert devs[0]["actors"] == ["northland"]  # the hand-written actor of `init`
    assert run("validate", "-w", ws).exit_code == 0


def test_a_bad_cell_in_a_sheet_is_named_by_row_and_nothing_is_written(ws, tmp_path):
    sheet = _workbook(tmp_path / "log.xlsx", [
        DEV_HEADER,
        ["D-1", "2024-09-04", "One", "Fine.", None, None, None, None],
        ["D-2", "2023-02-29", "Two", "No such day.", "nobody", None, "urgent", None],
    ])
    before = snapshot(ws)
    result = run("import", "table", sheet, "--kind", "development", "-w", ws)
    assert result.exit_code == 1
    out = result.output
    assert f"{sheet}:3: 'date': '2023-02-29' does not exist: February 2023 has 28 days" in out
    assert f"{sheet}:3: 'significance' must be one of low, medium, high, not 'urgent'" in out
    assert f"{sheet}:3: unknown actor 'nobody' in development 'd-2'" in out, out
    assert snapshot(ws) == before


@pytest.mark.parametrize("header, message", [
    ("id,name,kind,summary,contry", "the column 'contry' is not a field of an actor (did you "
                                    "mean 'country'?)"),
    ("id,name,kind,summary,relations", "the column 'relations' holds a list of mappings"),
    ("name,kind,summary", "there is no 'id' column (nor 'upstream_id' to derive ids from)"),
    ("id,name,kind,summary,id", "the column 'id' appears twice"),
])
def test_columns_that_are_not_fields_stop_the_import(ws, tmp_path, header, message):
    table = tmp_path / "t.csv"
    row = ["x", "X", "state", "S", "UZ"][:header.count(",") + 1]
    table.write_text(header + "\n" + ",".join(row) + "\n", encoding="utf-8")
    result = run("import", "table", table, "--kind", "actor", "-w", ws)
    assert result.exit_code == 1
    assert f"error: {table}:1: {message}" in result.output, result.output


def test_an_empty_id_names_its_line(ws, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("id,name,kind,summary\nx,X,state,S\n,Y,state,S\n", encoding="utf-8")
    result = run("import", "table", table, "--kind", "actor", "-w", ws)
    assert f"error: {table}:3: line 3 has neither an id nor an upstream_id" in result.output
