"""The first sheet of an XLSX workbook as a Table, read with openpyxl (an optional dependency:
``pip install 'briefgen[xlsx]'``), imported only when a workbook is read."""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import BriefgenError
from ..workspace_paths import display_path
from .tabular import Table, _check_header, cell_text


def read_sheet(path: Path) -> Table:
    shown = display_path(path)
    try:
        import openpyxl
    except ImportError:
        raise BriefgenError("reading .xlsx files needs openpyxl: pip install 'briefgen[xlsx]' "
                            "(or save the sheet as CSV UTF-8)", shown) from None
    try:
        # read-only: rows stream from the file instead of a whole workbook's cell objects
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BriefgenError(f"not a readable XLSX workbook ({exc}): save it again from the "
                            "spreadsheet as .xlsx, or as CSV UTF-8", shown) from None
    try:
        sheet = book.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        header_row = next(rows_iter, None)
        if header_row is None or not any(cell_text(c).strip() for c in header_row):
            raise BriefgenError("the first sheet is empty: its first row must name the "
                                "columns", shown, 1)
        header = [cell_text(c).strip() for c in header_row]
        while header and not header[-1]:  # empty columns to the right of the table
            header.pop()
        _check_header(header, shown, 1)
        rows = []
        for number, values in enumerate(rows_iter, 2):
            cells = [cell_text(c) for c in values]
            if not any(c.strip() for c in cells):
                continue
            extra = [c for c in cells[len(header):] if c.strip()]
            if extra:
                raise BriefgenError(f"a cell beyond the last named column holds "
                                    f"'{extra[0][:40]}': name its column in row 1 or clear it",
                                    shown, number)
            rows.append((number, dict(zip(header, cells))))
    finally:
        book.close()
    return Table(shown, header, rows, unit="row")
