"""Values of an indicator per organisational unit, rolled up a hierarchy (establishment → oficina
regional or department → nation).

A ratio is rolled up by summing numerators and denominators and dividing once: averaging the
percentages of the units would weigh a 40-person establishment like a 4,000-person one. A count is
summed. A unit whose children give no denominator has no value (never 0).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class UnitValue:
    """One unit's figure: `value` = numerator / denominator × factor for a ratio, the count otherwise."""

    unit: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


def ratio(numerator: float | None, denominator: float | None, factor: float = 1.0) -> float | None:
    """numerator / denominator × factor; None when either is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator * factor


def roll_up(values: Iterable[UnitValue], parent_of: Mapping[str, str], is_ratio: bool, factor: float = 1.0) -> dict[str, UnitValue]:
    """The value of every ancestor of `values`' units (and the units themselves), by `parent_of`
    (unit → parent; a unit without an entry is a root). Ratios sum numerators and denominators."""
    sums: dict[str, list[float]] = {}
    for v in values:
        unit, seen = v.unit, set()
        while unit is not None and unit not in seen:
            seen.add(unit)
            acc = sums.setdefault(unit, [0.0, 0.0, 0])
            if is_ratio:
                if v.numerator is not None and v.denominator is not None:
                    acc[0] += v.numerator
                    acc[1] += v.denominator
                    acc[2] += 1
            elif v.value is not None:
                acc[0] += v.value
                acc[2] += 1
            unit = parent_of.get(unit)
    out = {}
    for unit, (num, den, n) in sums.items():
        if is_ratio:
            out[unit] = UnitValue(unit, ratio(num, den, factor), num if n else None, den if n else None)
        else:
            out[unit] = UnitValue(unit, num if n else None)
    return out
