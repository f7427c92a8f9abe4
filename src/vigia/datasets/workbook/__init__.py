"""A plan as an Excel workbook, both ways: the layout of CEPLAN's matrix for what planning offices
edit, plus the sheets that carry everything else, so exporting a plan and reading it back gives
the same plan. Pure: no Django, no database (loading into the database is ``core.loading``)."""

from __future__ import annotations

from .example import example
from .reader import DEFAULT_SOURCE, Reading, read
from .table import Problem, WorkbookError
from .writer import write

__all__ = ["DEFAULT_SOURCE", "Problem", "Reading", "WorkbookError", "example", "read", "sheets", "write"]


def sheets(wb) -> dict[str, list[tuple]]:
    """Every worksheet of an opened openpyxl workbook as rows of cells (header first)."""
    return {ws.title: [tuple(row) for row in ws.iter_rows()] for ws in wb.worksheets}
