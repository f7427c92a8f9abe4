"""Checks every reader of a plan applies, whatever the file format (the bundled YAML/CSV folders,
a plan workbook): cross-references the schema cannot see, and the rules of one value row.

They report *where* as a neutral location (which element, which field) and let each reader turn
it into a line of a file or a row and column of a sheet, so a rule is written once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from vigia.methodology.model import Status
from vigia.methodology.evaluation import INDEX_CODE
from vigia.methodology.validation import out_of_range

from .schema import IndicatorSpec, PlanSpec

KINDS = ("baseline", "target", "actual", "progress", "target_printed", "actual_printed", "actual_stated", "numerator", "denominator")
STATED_KINDS = ("actual_stated", "numerator", "denominator")  # figures a narrative states at its source (FORMAT.md)
BY_SOURCE = ("progress", *STATED_KINDS)  # two passages of a source may print the same figure differently
PERIODS = ("anual", "S1")
MEASURED = {"baseline", "target", "actual", "target_printed", "actual_printed"}  # figures in the indicator's unit


@dataclass(frozen=True)
class Problem:
    """One broken rule: ``where`` is ("elements", k), ("indicators", k) or (plan field,)."""

    where: tuple
    field: str | None
    message: str


def structure_problems(spec: PlanSpec, inds: tuple[IndicatorSpec, ...]) -> Iterator[Problem]:
    """Levels, parents, unique codes and vintages: every problem, in document order."""
    levels = {lv.code: lv for lv in spec.levels}
    if spec.current_vintage not in [v.code for v in spec.vintages]:
        yield Problem(("current_vintage",), "current_vintage", f"'{spec.current_vintage}' no está en vintages")
    for k, lv in enumerate(spec.levels):
        unknown = [p for p in lv.parents if p not in levels]
        if unknown:
            yield Problem(("levels", k), "parent", f"el nivel {lv.code} depende de un nivel que no existe: {', '.join(unknown)}")
    all_codes = {e.code for e in spec.elements}
    seen: dict[str, str | None] = {}
    for k, e in enumerate(spec.elements):
        where = ("elements", k)
        if e.code in seen:
            yield Problem(where, "code", f"código repetido: {e.code}")
            continue
        if e.level not in levels:
            yield Problem(where, "level", f"nivel desconocido '{e.level}' (niveles: {', '.join(levels)})")
            seen[e.code] = None  # its children are not judged against an unknown level
            continue
        expected = levels[e.level].parents
        if e.parent and e.parent not in seen:
            where_is = "está más abajo: debe ir antes que sus elementos" if e.parent in all_codes else "no existe en el plan"
            yield Problem(where, "parent", f"'{e.parent}' {where_is}")
        elif expected and not e.parent:
            yield Problem(where, "parent", f"un {e.level} depende de un {' o '.join(expected)}: falta parent")
        elif expected and seen[e.parent] is not None and seen[e.parent] not in expected:
            yield Problem(where, "parent", f"un {e.level} depende de un {' o '.join(expected)}, no de {seen[e.parent]}")
        elif not expected and e.parent:
            yield Problem(where, "parent", f"el nivel {e.level} es el superior: no lleva parent")
        seen[e.code] = e.level
    codes: set[str] = set()
    for k, i in enumerate(inds):
        if i.code in codes or i.code in seen:
            yield Problem(("indicators", k), "code", f"código repetido: {i.code}")
        elif i.element not in seen:
            yield Problem(("indicators", k), "element", f"'{i.element}' no es un elemento del plan")
        codes.add(i.code)


def figure_key(indicator: str, vintage: str, year: int, period: str, kind: str, source: str) -> tuple:
    """What tells one figure from another: a published avance or a figure a narrative states also by its source."""
    return (indicator, vintage, year, period, kind) + ((source,) if kind in BY_SOURCE else ())


class FieldError(ValueError):
    """A value row broke a rule in one field."""

    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(message)


class RecordRules:
    """The rules of a value row (see FORMAT.md, values.csv), with the plan's codes at hand.

    Fields arrive as text (as in the CSV); ``check`` returns the parsed row or raises FieldError.
    Repeated figures are found across calls: a reader feeds every row of its file to one instance."""

    def __init__(self, spec: PlanSpec, inds: tuple[IndicatorSpec, ...]):
        self.indicators: Mapping[str, IndicatorSpec] = {i.code: i for i in inds}
        self.elements = {e.code for e in spec.elements}
        self.vintages = {v.code for v in spec.vintages}
        self.keys: dict[tuple, int] = {}

    def check(self, f: Mapping[str, str], line: int) -> tuple:
        """(indicator, year, period, kind, value, status, vintage, source, note) of a valid row."""
        kind = f["kind"]
        if kind not in KINDS:
            raise FieldError("kind", f"tipo desconocido '{kind}' (use {', '.join(sorted(KINDS))})")
        allowed = self.indicators.keys() | (self.elements | {INDEX_CODE} if kind == "progress" else set())
        if f["indicator"] not in allowed:
            raise FieldError("indicator", f"'{f['indicator']}' no es un indicador del plan")
        try:
            year = int(f["year"])
        except ValueError:
            raise FieldError("year", f"'{f['year']}' no es un año") from None
        if not 1990 <= year <= 2100:
            raise FieldError("year", f"año fuera de rango: {year}")
        if f["period"] not in PERIODS:
            raise FieldError("period", f"periodo '{f['period']}' no válido (use anual o S1)")
        if f["vintage"] not in self.vintages:
            raise FieldError("vintage", f"'{f['vintage']}' no es una edición declarada del plan")
        if not f["source"].strip():
            raise FieldError("source", "toda cifra debe citar su fuente")
        status = f["status"].strip() or None
        if status not in (None, "ND", "SD"):
            raise FieldError("status", f"estado '{status}' no válido (use ND, SD o vacío)")
        value = None
        if f["value"].strip():
            if status:
                raise FieldError("value", f"una cifra con estado {status} no lleva valor: ND/SD nunca son números")
            try:
                value = float(f["value"])
            except ValueError:
                raise FieldError("value", f"'{f['value']}' no es un número (use punto decimal, sin separador de miles)") from None
            if not math.isfinite(value):
                raise FieldError("value", "el valor debe ser finito")
            ind = self.indicators.get(f["indicator"])
            problem = ind and kind in MEASURED and out_of_range(ind.unit, value, ind.valid_min, ind.valid_max)
            if problem:
                raise FieldError("value", f"{ind.code}: {problem}")
        elif not status:
            raise FieldError("status", "sin valor, indique el estado ND o SD")
        key = figure_key(f["indicator"], f["vintage"], year, f["period"], kind, f["source"])
        if key in self.keys:
            raise FieldError("indicator", f"cifra repetida: ya está en la línea {self.keys[key]}")
        self.keys[key] = line
        return f["indicator"], year, f["period"], kind, value, Status(status) if status else None, f["vintage"], f["source"], f["note"]
