"""Avance (progress) of indicators, computed on whole arrays at once.

Arrays are indicators × years; NaN means no number (ND/SD). Working on arrays keeps a national
SINAPLAN (millions of values) within seconds; a single indicator is just a 1 × 1 array.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from .model import Bound, Direction
from .rules import Formula, RuleSet, ZeroTarget

ASC, DESC, UNDEF = 0, 1, 2
DIRECTION_CODE = {Direction.ASCENDING: ASC, Direction.DESCENDING: DESC, Direction.UNDEFINED: UNDEF}
NO_BOUND, MAX_BOUND, MIN_BOUND = 0, 1, 2
BOUND_CODE = {None: NO_BOUND, Bound.MAX: MAX_BOUND, Bound.MIN: MIN_BOUND}


class Reason(IntEnum):
    """Why a progress is what it is (or why it is ND)."""

    COMPUTED = 0
    MISSING_TARGET = 1
    MISSING_ACTUAL = 2
    NOT_PROGRAMMED = 3
    MISSING_BASELINE = 4
    TIPO_II_UNDEFINED = 5
    ZERO_TARGET_MET = 6
    ZERO_ACTUAL_BEST = 7
    CAPPED = 8

    @property
    def text(self) -> str:
        return _REASON_TEXT[self]


_REASON_TEXT = {
    Reason.COMPUTED: "",
    Reason.MISSING_TARGET: "sin logro esperado",
    Reason.MISSING_ACTUAL: "sin valor obtenido",
    Reason.NOT_PROGRAMMED: "no programado (logro esperado 0)",
    Reason.MISSING_BASELINE: "sin línea de base (Tipo II)",
    Reason.TIPO_II_UNDEFINED: "Tipo II no definido: esperado igual a la línea de base",
    Reason.ZERO_TARGET_MET: "logro esperado 0 alcanzado",
    Reason.ZERO_ACTUAL_BEST: "valor obtenido 0: el mejor posible",
    Reason.CAPPED: "limitado a 100",
}


def running_totals(values: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Cumulative sums along years from each row's start column; NaN once a year is missing."""
    cols = np.arange(values.shape[1])
    before = cols[None, :] < start[:, None]
    totals = np.cumsum(np.where(before, 0.0, values), axis=1)
    totals[before] = np.nan
    return totals


def compute(
    target: np.ndarray,
    actual: np.ndarray,
    direction: np.ndarray,
    rules: RuleSet,
    *,
    baseline: np.ndarray | None = None,
    bound: np.ndarray | None = None,
    additive: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Progress (%) and Reason for each indicator-year.

    ``target``/``actual`` are (n, years) floats with NaN for missing; ``direction``, ``bound``,
    ``additive`` and ``baseline`` are per indicator (n,).
    """
    target = np.asarray(target, dtype=float)
    actual = np.asarray(actual, dtype=float)
    n = target.shape[0]
    direction = np.asarray(direction, dtype=np.int8).reshape(n, 1)
    bound = np.zeros((n, 1), np.int8) if bound is None else np.asarray(bound, np.int8).reshape(n, 1)
    base = np.full((n, 1), np.nan) if baseline is None else np.asarray(baseline, float).reshape(n, 1)

    if additive is not None and np.any(additive):
        add = np.asarray(additive, bool)
        has_target = ~np.isnan(target[add])
        start = np.where(has_target.any(axis=1), has_target.argmax(axis=1), target.shape[1])
        target, actual = target.copy(), actual.copy()
        target[add] = running_totals(target[add], start)
        actual[add] = running_totals(actual[add], start)

    reason = np.full(target.shape, Reason.COMPUTED, dtype=np.int8)
    with np.errstate(divide="ignore", invalid="ignore"):
        if rules.formula is Formula.TIPO_II:
            progress = _tipo_ii(target, actual, base, direction, reason)
        else:
            progress = _tipo_i(target, actual, direction, bound, reason, rules)

    if rules.cap is not None:
        over = progress > rules.cap
        progress = np.where(over, rules.cap, progress)
        reason[over & (reason == Reason.COMPUTED)] = Reason.CAPPED

    missing_t, missing_a = np.isnan(target), np.isnan(actual)
    reason[missing_a] = Reason.MISSING_ACTUAL
    reason[missing_t] = Reason.MISSING_TARGET
    progress[missing_t | missing_a] = np.nan
    if rules.zero_target is ZeroTarget.NOT_PROGRAMMED:
        not_programmed = target == 0
        progress[not_programmed] = np.nan
        reason[not_programmed] = Reason.NOT_PROGRAMMED
    return progress, reason


def _tipo_i(target, actual, direction, bound, reason, rules) -> np.ndarray:
    asc_ratio = actual / target * 100.0
    desc_ratio = target / actual * 100.0
    lower_is_better = (direction == DESC) | ((direction == UNDEF) & (bound == MAX_BOUND))
    progress = np.where(lower_is_better, desc_ratio, asc_ratio)

    # No definido: within the permissible bound is on track.
    within = np.where(bound == MAX_BOUND, actual <= target, actual >= target)
    progress = np.where((direction == UNDEF) & within, 100.0, progress)

    zero_t = target == 0
    met_zero = zero_t & np.where(lower_is_better, actual <= 0, actual >= 0)
    progress = np.where(met_zero, 100.0, progress)
    reason[met_zero] = Reason.ZERO_TARGET_MET

    best = lower_is_better & (actual == 0) & (target > 0)
    progress = np.where(best, 100.0, progress)
    reason[best] = Reason.ZERO_ACTUAL_BEST
    return progress


def _tipo_ii(target, actual, base, direction, reason) -> np.ndarray:
    span = target - base
    progress = (actual - base) / span * 100.0  # descending mirrors both signs, same quotient
    undefined = span == 0
    progress = np.where(undefined, np.nan, progress)
    reason[np.broadcast_to(undefined, reason.shape)] = Reason.TIPO_II_UNDEFINED
    no_base = np.broadcast_to(np.isnan(base), reason.shape)
    reason[no_base] = Reason.MISSING_BASELINE
    return progress


def progress_of(
    target: float | None,
    actual: float | None,
    direction: Direction,
    rules: RuleSet,
    *,
    baseline: float | None = None,
    bound: Bound | None = None,
) -> tuple[float | None, Reason]:
    """Progress of one indicator-year; None when ND."""
    p, r = compute(
        np.array([[np.nan if target is None else target]]),
        np.array([[np.nan if actual is None else actual]]),
        np.array([DIRECTION_CODE[direction]]),
        rules,
        baseline=np.array([np.nan if baseline is None else baseline]),
        bound=np.array([BOUND_CODE[bound]]),
    )
    value = float(p[0, 0])
    return (None if np.isnan(value) else value), Reason(int(r[0, 0]))
