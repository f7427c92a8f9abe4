"""Plain data types the methodology works on: a plan's structure and its values.

Kept free of Django and I/O so that the same rules serve the CLI, the web and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Direction(str, Enum):
    """Sentido esperado of an indicator."""

    ASCENDING = "ascending"
    DESCENDING = "descending"
    UNDEFINED = "undefined"  # No definido: judged against a máximo/mínimo permisible

    @property
    def label(self) -> str:
        return {"ascending": "Ascendente", "descending": "Descendente", "undefined": "No definido"}[self.value]


class Bound(str, Enum):
    """Which permissible bound a *No definido* indicator has."""

    MAX = "max"
    MIN = "min"


class Status(str, Enum):
    """Why a value is missing. A missing value is never a number."""

    ND = "ND"  # no disponible
    SD = "SD"  # sin dato


@dataclass(frozen=True)
class Observation:
    """One value of a series: a number, or a status with no number."""

    value: float | None
    status: Status | None = None
    note: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None


MISSING = Observation(None)  # not in the source: neither a number nor a status the source states


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    parent: str | None = None
    indicator_prefix: str | None = None


@dataclass(frozen=True)
class Element:
    code: str
    level: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    element: str
    direction: Direction
    bound: Bound | None = None
    additive: bool = False  # agregable: yearly values add up (compare running totals)
    unit: str = "percentage"
    baseline_year: int | None = None
    scale: float | None = None  # value = numerator / denominator × scale (None: 100 for a percentage)


@dataclass(frozen=True)
class Series:
    """Baseline, targets and actuals of one indicator for one period kind (annual or S1)."""

    baseline: Observation = MISSING
    targets: dict[int, Observation] = field(default_factory=dict)
    actuals: dict[int, Observation] = field(default_factory=dict)

    def target(self, year: int) -> Observation:
        return self.targets.get(year, MISSING)

    def actual(self, year: int) -> Observation:
        return self.actuals.get(year, MISSING)


@dataclass(frozen=True)
class Plan:
    """A plan's structure: levels top first, elements in document order, indicators."""

    code: str
    name: str
    kind: str
    ruleset: str
    levels: tuple[Level, ...]
    elements: tuple[Element, ...]
    indicators: tuple[Indicator, ...]

    def level(self, code: str) -> Level:
        return next(lv for lv in self.levels if lv.code == code)

    def children(self, code: str | None) -> list[Element]:
        return [e for e in self.elements if e.parent == code]

    def indicators_of(self, element: str) -> list[Indicator]:
        return [i for i in self.indicators if i.element == element]

    @property
    def top_elements(self) -> list[Element]:
        return self.children(None)
