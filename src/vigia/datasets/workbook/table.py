"""One sheet of a plan workbook read by its header, and the problems reading finds, each with its
sheet, row and column."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from ..loader import describe
from . import cells
from . import layout as L


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if not self.sheet:
            return self.message
        where = f"Hoja «{self.sheet}»" + (f", fila {self.row}" if self.row else "") + (f", columna «{self.column}»" if self.column else "")
        return f"{where}: {self.message}"


class WorkbookError(ValueError):
    """The workbook cannot be read as a plan; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:50])
        more = f"\n… y {len(problems) - 50} problemas más." if len(problems) > 50 else ""
        super().__init__(shown + more)


class Bad(Exception):
    """A cell already reported as a problem: its row is skipped."""


class Table:
    """One sheet read by its header: rows as {key: cell}, empty rows skipped, formulas refused."""

    def __init__(self, rows, name: str, columns: list[tuple[str, str]], problem: Callable[..., None], optional: set[str] = frozenset()):
        self.name, self.problem = name, problem
        rows = list(rows)
        header = [None if cells.is_formula(c) else code_or_none(c) for c in rows[0]] if rows else []
        self.rows = rows[1:]
        self.header = {L.fold(h): k for k, h in enumerate(header) if h}
        self.labels = {key: label for label, key in columns}
        self.index = {key: self.header[L.fold(label)] for label, key in columns if L.fold(label) in self.header}
        missing = [label for label, key in columns if key not in self.index and key not in optional]
        if missing:
            problem(name, 1, None, f"faltan las columnas {', '.join(f'«{m}»' for m in missing)} (use el libro que descarga Vigía)")
        self.headers = header

    def __iter__(self):
        for r, row in enumerate(self.rows, start=2):
            if all(cells.blank(c) for c in row):
                continue
            formulas = [self.headers[k] or f"columna {k + 1}" for k, c in enumerate(row) if cells.is_formula(c)]
            if formulas:
                self.problem(self.name, r, formulas[0], "contiene una fórmula; escriba el valor")
                continue
            yield r, row

    def cell(self, row, key: str):
        k = self.index.get(key)
        return row[k] if k is not None and k < len(row) else None

    def get(self, row, r: int, key: str, parse, *args):
        """``parse(cell)`` of column ``key``; a problem (and Bad) when the cell is wrong."""
        try:
            return parse(self.cell(row, key), *args)
        except ValueError as exc:
            self.problem(self.name, r, self.labels.get(key, key), str(exc))
            raise Bad from None

    def validate(self, model: type[BaseModel], data: dict, r: int, columns: Mapping[str, str] | None = None):
        """``model`` built from ``data``; each schema error becomes a problem at its column."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                key = str(err["loc"][0]) if err["loc"] else None
                self.problem(self.name, r, (columns or self.labels).get(key, key), describe(err))
            raise Bad from None


def required(what: str):
    def parse(cell):
        t = cells.text(cell)
        if t is None or not t.strip():
            raise ValueError(f"falta {what}")
        return t
    return parse


def required_code(what: str):
    def parse(cell):
        c = cells.code(cell)
        if not c:
            raise ValueError(f"falta {what}")
        return c
    return parse


def choice(labels: dict, what: str, required: bool = True):
    def parse(cell):
        raw = cells.code(cell)
        if raw is None:
            if required:
                raise ValueError(f"falta {what}")
            return None
        return L.choice(raw, labels, what)
    return parse


def code_or_none(cell) -> str | None:
    try:
        return cells.code(cell)
    except ValueError:
        return None
