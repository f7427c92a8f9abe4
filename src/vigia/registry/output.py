"""The registry figures' output contract, shared by `vigia registry measures` and the API: the columns
`measure,date,scope,code,sex,value,numerator,denominator` (English keys), plus `suppressed` in public
output. Empty for no value, integers without decimals, other numbers at full precision."""

from __future__ import annotations

import csv
from datetime import date
from typing import TextIO

from .measures import MeasureRow

COLUMNS = ("measure", "date", "scope", "code", "sex", "value", "numerator", "denominator")


def columns(public: bool) -> tuple[str, ...]:
    return COLUMNS + (("suppressed",) if public else ())


def cell(value) -> str:
    """A CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def json_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def record(row: MeasureRow, public: bool) -> dict:
    """One row as a JSON object with the contract's keys."""
    return {c: json_value(getattr(row, c)) for c in columns(public)}


def write_csv(rows: list[MeasureRow], out: TextIO, public: bool) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(public))
    for r in rows:
        writer.writerow([cell(getattr(r, c)) for c in columns(public)])
