"""What one cell of a plan workbook means: text, code, integer, number, figure, date.

Cells come from openpyxl (``.value``, ``.data_type``, ``.number_format``) or as bare values (tests).
Each parser returns the value or raises ValueError with a Spanish message about the cell alone;
the reader adds the sheet, row and column.
"""

from __future__ import annotations

import datetime as dt

from vigia.methodology.validation import parse_number

from .layout import STATUSES


def value(cell):
    return getattr(cell, "value", cell)


def is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"


def blank(cell) -> bool:
    v = value(cell)
    return v is None or (isinstance(v, str) and not v.strip())


def text(cell) -> str | None:
    """Free text exactly as written (None when empty); a number typed in a text cell is its digits."""
    v = value(cell)
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        raise ValueError("escriba texto, no VERDADERO/FALSO")
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        raise ValueError("escriba texto, no una fecha")
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def code(cell) -> str | None:
    """A code or a word from a list: surrounding spaces do not count."""
    t = text(cell)
    return t.strip() or None if t is not None else None


def codes(cell) -> list[str]:
    """A comma-separated list of codes."""
    t = code(cell)
    return [c.strip() for c in t.split(",") if c.strip()] if t else []


def integer(cell) -> int | None:
    v = value(cell)
    if blank(cell):
        return None
    if isinstance(v, bool) or isinstance(v, (dt.date, dt.datetime)):
        raise ValueError(f"«{v}» no es un número entero")
    try:
        number = v if isinstance(v, (int, float)) else float(str(v).strip())
    except ValueError:
        raise ValueError(f"«{v}» no es un número entero") from None
    if not float(number).is_integer():
        raise ValueError(f"«{v}» no es un número entero")
    return int(number)


def number(cell) -> float | None:
    """A number as people type it (37,5 · 37.5 · 6235). A cell formatted as a percentage holds a
    fraction (0.3785 shows as 37.85 %): it means 37.85, the unit percentages are kept in."""
    v = value(cell)
    if blank(cell):
        return None
    if isinstance(v, bool) or isinstance(v, (dt.date, dt.datetime, dt.time)):
        raise ValueError(f"«{v}» no es un número")
    parsed = parse_number(v)
    if isinstance(v, (int, float)) and "%" in (getattr(cell, "number_format", "") or ""):
        parsed = parsed * 100
    return parsed


def figure(cell) -> tuple[float | None, str | None]:
    """A figure of the matrix: (value, None), (None, "ND"/"SD"), or (None, None) when empty."""
    v = value(cell)
    if isinstance(v, str) and v.strip().upper() in STATUSES:
        return None, v.strip().upper()
    return number(cell), None


def date(cell) -> dt.date | None:
    v = value(cell)
    if blank(cell):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v).strip())
    except ValueError:
        raise ValueError(f"«{v}» no es una fecha (use AAAA-MM-DD)") from None
