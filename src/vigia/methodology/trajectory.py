"""Trajectory to the plan's horizon: will the targets be met at the current pace?

Like the Open SDG progress measure, the pace is the compound annual growth between the first
and the last obtained values (a straight line when a value is 0 or negative, where growth rates
are meaningless). The projection respects the direction and the natural bounds of the unit.

The projection is judged against the plan's own target for the horizon year. A plan without one
gets no verdict: its outlook is "sin meta a <horizonte>", never an earlier target carried forward.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .model import Bound, Direction, Indicator, Series


class Outlook(str, Enum):
    ACHIEVED = "meta lograda"
    ON_TRACK = "en camino"
    NEEDS_ACCELERATION = "requiere aceleración"
    STALLED = "estancado o retrocede"
    NO_TARGET = "sin meta"  # the plan sets no target for the horizon year: shown as "sin meta a 2030"


@dataclass(frozen=True)
class Trajectory:
    code: str
    method: str  # "tasa compuesta" or "lineal"
    rate: float  # growth per year: a fraction for compound, units per year for linear
    first_year: int
    last_year: int
    last_value: float
    final_year: int  # the horizon
    final_target: float | None  # the plan's target for the horizon year, None when it sets none
    outlook: Outlook
    projections: dict[int, float] = field(default_factory=dict)
    targets: dict[int, float] = field(default_factory=dict)  # every programmed target, to compare year by year

    @property
    def projected_final(self) -> float:
        return self.projections[self.final_year]

    @property
    def outlook_label(self) -> str:
        """The outlook as pages, documents and the command line word it."""
        return f"sin meta a {self.final_year}" if self.outlook is Outlook.NO_TARGET else self.outlook.value


def _lower_is_better(ind: Indicator) -> bool:
    return ind.direction is Direction.DESCENDING or (ind.direction is Direction.UNDEFINED and ind.bound is Bound.MAX)


def meets(value: float, target: float, ind: Indicator) -> bool:
    return value <= target if _lower_is_better(ind) else value >= target


def _bounds(ind: Indicator, values: list[float]) -> tuple[float, float]:
    """Natural bounds: nothing below 0 for counts and percentages; percentages ≤ 100 unless the
    series itself already exceeds 100 (overcrowding is measured above 100 %)."""
    if ind.unit in ("percentage", "number", "rate", "ratio", "amount"):
        upper = 100.0 if ind.unit == "percentage" and max(values) <= 100 else float("inf")
        return 0.0, upper
    return float("-inf"), float("inf")


def project(ind: Indicator, series: Series, horizon: int) -> Trajectory | None:
    """The trajectory of one indicator to ``horizon``, or None with fewer than two obtained values."""
    actual = sorted((y, o.value) for y, o in series.actuals.items() if o.value is not None)
    targets = {y: o.value for y, o in sorted(series.targets.items()) if o.value is not None}
    if len(actual) < 2:
        return None
    (y0, x0), (yl, xl) = actual[0], actual[-1]
    span = yl - y0
    compound = x0 > 0 and xl > 0
    rate = (xl / x0) ** (1 / span) - 1 if compound else (xl - x0) / span
    final_year = max(horizon, yl + 1)
    low, high = _bounds(ind, [x for _, x in actual] + list(targets.values()))
    projections = {}
    for year in range(yl + 1, final_year + 1):
        value = xl * (1 + rate) ** (year - yl) if compound else xl + rate * (year - yl)
        projections[year] = min(max(value, low), high)
    final_target = targets.get(final_year)
    moving_toward = (rate < 0) if _lower_is_better(ind) else (rate > 0)
    if final_target is None:
        outlook = Outlook.NO_TARGET
    elif meets(xl, final_target, ind):
        outlook = Outlook.ACHIEVED
    elif meets(projections[final_year], final_target, ind):
        outlook = Outlook.ON_TRACK
    elif moving_toward:
        outlook = Outlook.NEEDS_ACCELERATION
    else:
        outlook = Outlook.STALLED
    return Trajectory(ind.code, "tasa compuesta" if compound else "lineal", rate, y0, yl, xl, final_year, final_target,
                      outlook, projections, targets)
