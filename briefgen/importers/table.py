"""A desk's own spreadsheet (CSV or XLSX) -> actors, developments or sources: the column
headers are the content fields, list fields hold items separated by ';'. The cells are content
as written by hand: Markdown fields stay Markdown."""
from __future__ import annotations

from pathlib import Path

from ..content import spec
from ..content.fields import did_you_mean
from ..content.models import Actor, Development, Source
from ..errors import BriefgenError, ContentError, Problem
from .items import Imported, Item, slugify
from .tabular import Table, read_csv

MODELS = {"actor": Actor, "development": Development, "source": Source}
_LISTS = {spec.SLUGS, spec.STRINGS, spec.SOURCE_REFS}
# fields a cell cannot hold: a list of mappings
_NESTED = {spec.MAPPINGS, spec.MAPPING}


def read_table(path: Path) -> Table:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from .xlsx import read_sheet
        return read_sheet(path)
    return read_csv(path)


def import_table(path: Path, kind: str) -> Imported:
    model = MODELS[kind]
    table = read_table(path)
    table.rows = list(table.rows)  # a desk's list: small
    fields = {s.name: s for s in spec.specs(model)}
    _check_columns(table, fields, kind)
    out = Imported("table", table.shown)
    folder = f"{kind}s"
    for line, row in table.rows:
        data: dict = {}
        upstream = row.get("upstream_id", "").strip()
        given = row.get("id", "").strip()
        if not given and not upstream:
            out.problems.append(Problem(f"{table.unit} {line} has neither an id nor an "
                                        "upstream_id: fill one in", table.shown, line))
            continue
        data["id"] = given or slugify(upstream)
        for column in table.header:
            if column == "id":
                continue
            cell = row.get(column, "").strip()
            if not cell:
                continue
            if fields[column].kind in _LISTS:
                data[column] = [part.strip() for part in cell.split(";") if part.strip()]
            else:
                data[column] = cell
        out.items.append(Item(folder, data, line))
    return out


def _check_columns(table: Table, fields: dict, kind: str) -> None:
    problems = []
    for column in table.header:
        if column not in fields:
            problems.append(Problem(
                f"the column '{column}' is not a field of {MODELS[kind].noun}"
                f"{did_you_mean(column, fields)}: rename it to one of "
                + ", ".join(fields) + ", or delete it", table.shown, 1))
        elif fields[column].kind in _NESTED:
            problems.append(Problem(
                f"the column '{column}' holds a list of mappings, which a cell cannot: write "
                f"the {column} in the YAML files instead and delete the column", table.shown, 1))
    if "id" not in table.header and "upstream_id" not in table.header:
        problems.append(Problem("there is no 'id' column (nor 'upstream_id' to derive ids "
                                "from): add one", table.shown, 1))
    if problems:
        raise ContentError(problems)
    if not table.rows:
        raise BriefgenError("the table has no rows under its header: nothing to import",
                            table.shown, 1)
