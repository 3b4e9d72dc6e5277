"""Rows of a CSV file or of an XLSX sheet, each with where it starts, headers checked.

A CSV file must be UTF-8 (a byte-order mark is fine): the first byte that is not is reported
with its line, since a guessed encoding would put wrong letters into a brief unnoticed.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from dataclasses import dataclass
from typing import Iterable, Iterator
from pathlib import Path

from ..errors import BriefgenError, ContentError, Problem
from ..workspace_paths import display_path

# A cell may hold far more than csv's default 128 KiB; the content limits (content/fields.py)
# then say what is too long, at its row, instead of csv's "field larger than field limit".
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class Table:
    shown: str  # the file as shown in messages
    header: list[str]  # the column names, stripped
    rows: Iterable[tuple[int, dict[str, str]]]  # (line or row number, column -> cell text)
    unit: str = "line"  # what the numbers count: lines of a CSV file, rows of a sheet


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BriefgenError(f"cannot read the file: {exc.strerror or exc}; check the name",
                            display_path(path)) from None


def decode_utf8(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BriefgenError(
            f"byte 0x{data[exc.start]:02x} at column {column} is not UTF-8: save the file as "
            "UTF-8 (in a spreadsheet: CSV UTF-8) and import it again", shown, line) from None


def read_csv(path: Path, lowercase: bool = False) -> Table:
    """The file's header, checked, and its rows, read as they are asked for: a 100,000-row
    export is never held as rows all at once. A row that cannot be read raises then.
    ``lowercase``: column names in lowercase (older exports wrote EVENT_DATE)."""
    shown = display_path(path)
    text = decode_utf8(_read_bytes(path), shown)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise BriefgenError(f"not a readable CSV file ({exc}): check the quoting",
                            shown, reader.line_num) from None
    if header is None or not any(h.strip() for h in header):
        raise BriefgenError("the file is empty: the first line must name the columns", shown, 1)
    header = [h.strip().lower() if lowercase else h.strip() for h in header]
    _check_header(header, shown, 1)
    return Table(shown, header, _rows(reader, header, shown))


def _rows(reader, header: list[str], shown: str) -> Iterator[tuple[int, dict[str, str]]]:
    start = reader.line_num + 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                if len(record) > len(header):
                    raise BriefgenError(
                        f"{len(record)} cells where the first line names {len(header)} columns: "
                        "quote cells that hold commas (\"a, b\")", shown, start)
                yield start, dict(zip(header, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise BriefgenError(f"not a readable CSV file ({exc}): check the quoting",
                            shown, reader.line_num) from None


def _check_header(header: list[str], shown: str, line: int) -> None:
    seen = set()
    problems = []
    for n, name in enumerate(header, 1):
        if not name:
            problems.append(Problem(f"column {n} has no name: name it in the first line or "
                                    "delete it", shown, line))
        elif name in seen:
            problems.append(Problem(f"the column '{name}' appears twice: keep one", shown, line))
        seen.add(name)
    if problems:
        raise ContentError(problems)


def require_columns(table: Table, needed: tuple[str, ...], what: str) -> None:
    missing = [c for c in needed if c not in table.header]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        raise BriefgenError(
            f"the column{'s' if len(missing) > 1 else ''} {names} "
            f"{'are' if len(missing) > 1 else 'is'} missing: {what} needs "
            + ", ".join(needed) + f" (the first line has: {', '.join(table.header)})",
            table.shown, 1)


def cell_text(value: object) -> str:
    """A sheet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
