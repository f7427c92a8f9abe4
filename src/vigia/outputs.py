"""What Vigía writes (CSV, XLSX, JSON) must survive any stored text and any stored number.

* User text is written as text, never as a formula: CSV cells that a spreadsheet would read as
  one (starting with = + - @ or a tab) get a leading apostrophe, as OWASP recommends; XLSX cells
  holding text are typed as strings explicitly (openpyxl otherwise turns "=…" into a formula).
* Control characters that XML writers refuse (a NUL or vertical tab pasted from Word) are
  dropped, so a download never fails on what someone typed.
* JSON is always valid JSON: a non-finite number is written as null, never as Infinity or NaN.

Every CSV, XLSX and JSON writer (matrix and portal downloads, the Excel template, the audit log,
the reports' workbook, the API) goes through these functions.
"""

from __future__ import annotations

import json
import math
import re

from openpyxl.cell.cell import Cell

from vigia.methodology.validation import clean_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def text(value: str) -> str:
    """Text without the characters that XML (XLSX, DOCX, PDF) cannot hold."""
    return clean_text(value)


def _neutralised(value: str) -> str:
    value = text(value)
    if value.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def csv_cell(value):
    """One CSV cell: numbers stay numbers (a non-finite one is empty), text cannot be a formula."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _neutralised(value)
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return value


def csv_row(values) -> list:
    return [csv_cell(v) for v in values]


def xlsx_value(value):
    """A value openpyxl can store: clean text, finite numbers (None otherwise)."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def append(ws, values) -> None:
    """``ws.append`` with every text cell written as a string (never a formula). The cells are
    built before appending: finding the new row afterwards (``ws.max_row``) rescans the sheet."""
    cells = []
    for value in map(xlsx_value, values):
        cell = Cell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    ws.append(cells)


def set_text(cell, value: str) -> None:
    """Write text into one cell as a string."""
    cell.value = text(value)
    cell.data_type = "s"


def _finite(data):
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(v) for v in data]
    return data


def json_dumps(data, **kwargs) -> str:
    """``json.dumps`` that never writes NaN or Infinity (they become null)."""
    try:
        return json.dumps(data, allow_nan=False, **kwargs)
    except ValueError:
        return json.dumps(_finite(data), allow_nan=False, **kwargs)
