"""Alerts (a)-(d) as the 2024 policy report words them, computed from the data.

(a) objective indicators that could not be measured; (b) service indicators not reported or
without an expected value; (c) services in sustained decline: the obtained value worsened against
the previous year without having improved the year before (a fall that does not merely undo a
rise), the avance is below green, and the service is not already among (d); (d) the indicators
with the lowest progress. On the 2024 data (c) names what 003 names: alfabetización
(ISS.04.05.01.01) and CETPRO (ISS.04.05.03.01).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .bands import displayed
from .evaluation import Evaluation, Row
from .model import Direction, Series


@dataclass(frozen=True)
class AlertItem:
    code: str
    name: str
    figures: dict = field(default_factory=dict)
    detail: str = ""


@dataclass(frozen=True)
class Alert:
    kind: str  # a, b, c, d
    title: str
    items: tuple[AlertItem, ...]
    text: str


TITLES = {
    "a": "Indicadores de objetivos que no se han podido medir",
    "b": "Indicadores de servicios no reportados o sin logro esperado",
    "c": "Servicios cuyo valor obtenido disminuye de manera sostenida",
    "d": "Indicadores con el menor avance",
}


# The criteria work on whole arrays, so one national scan and one report share them.


def unmeasured(progress: np.ndarray, is_top: np.ndarray) -> np.ndarray:
    """(a) objective indicators without progress."""
    return is_top & np.isnan(progress)


def unreported(target: np.ndarray, actual: np.ndarray, is_top: np.ndarray) -> np.ndarray:
    """(b) service indicators without an obtained or an expected value."""
    return ~is_top & (np.isnan(target) | np.isnan(actual))


def worsened(actual: np.ndarray, previous: np.ndarray, lower_is_better: np.ndarray, is_top: np.ndarray) -> np.ndarray:
    """(c) service indicators whose obtained value moved away from the target since last year."""
    with np.errstate(invalid="ignore"):
        return ~is_top & np.where(lower_is_better, actual > previous, actual < previous)


def sustained(actual: np.ndarray, previous: np.ndarray, before: np.ndarray, lower_is_better: np.ndarray,
              is_top: np.ndarray) -> np.ndarray:
    """(c) services that worsened against last year and had not improved the year before (or had no value then)."""
    with np.errstate(invalid="ignore"):
        improved_before = np.where(lower_is_better, previous < before, previous > before)
    return worsened(actual, previous, lower_is_better, is_top) & ~improved_before


def lowest(progress: np.ndarray, group: np.ndarray, n: int, below: float) -> np.ndarray:
    """(d) indexes of the ``n`` lowest progress values under ``below`` in each group, lowest first."""
    candidates = np.flatnonzero(~np.isnan(progress) & (progress < below))
    order = candidates[np.lexsort((progress[candidates], group[candidates]))]
    g = group[order]
    starts = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return order[rank < n]


def _missing_reason(series: Series | None, year: int, row: Row) -> str:
    if series:
        for obs in (series.actual(year), series.target(year)):
            if obs.missing and obs.note:
                return obs.note
    return row.reason.text


def alerts(ev: Evaluation, series: Mapping[str, Series], n: int = 4) -> list[Alert]:
    """The alerts of ``ev``'s year; an alert with nothing to say is left out."""
    year, out = ev.year, []

    rows = [r for r in ev.rows if r.indicator]
    tops = {e.code for e in ev.plan.top_elements}
    is_top = np.array([r.indicator.element in tops for r in rows], bool)
    progress = _array(r.progress for r in rows)
    target, actual = _array(r.target for r in rows), _array(r.actual for r in rows)
    previous = _array(_value(series.get(r.code), year - 1) for r in rows)
    before = _array(_value(series.get(r.code), year - 2) for r in rows)
    lower = np.array([r.indicator.direction is Direction.DESCENDING for r in rows], bool)

    picked = [rows[k] for k in np.flatnonzero(unmeasured(progress, is_top))]
    if picked:
        items = tuple(AlertItem(r.code, r.name, {"estado": "ND"}, _missing_reason(series.get(r.code), year, r)) for r in picked)
        names = "; ".join(f"{i.code} “{i.name}” ({i.detail})" for i in items)
        out.append(Alert("a", TITLES["a"], items, f"En {year} no se ha logrado medir: {names}."))

    picked = [rows[k] for k in np.flatnonzero(unreported(target, actual, is_top))]
    if picked:
        items = []
        for r in picked:
            what = [w for w, v in (("sin valor obtenido", r.actual), ("sin logro esperado", r.target)) if v is None]
            detail = " y ".join(what).capitalize() + ". " + _missing_reason(series.get(r.code), year, r)
            items.append(AlertItem(r.code, r.name, {"esperado": r.target, "obtenido": r.actual}, detail))
        names = "; ".join(f"{i.code} “{i.name}”: {i.detail.strip()}" for i in items)
        out.append(Alert("b", TITLES["b"], tuple(items), f"En {year} no se han podido reportar o no tienen logro esperado: {names}."))

    limited = lowest(progress, np.zeros(len(rows), np.int64), n, ev.rules.yellow)
    with np.errstate(invalid="ignore"):
        below_green = progress < ev.rules.green
    in_d = np.isin(np.arange(len(rows)), limited)
    picked = np.flatnonzero(sustained(actual, previous, before, lower, is_top) & below_green & ~in_d)
    if len(picked):
        items = tuple(
            AlertItem(rows[k].code, rows[k].name, {"anterior": previous[k], "actual": actual[k], "cambio": actual[k] - previous[k]})
            for k in picked
        )
        names = "; ".join(f"{i.code} “{i.name}” ({_fmt(i.figures['anterior'])} en {year - 1} → {_fmt(i.figures['actual'])} en {year})" for i in items)
        out.append(Alert("c", TITLES["c"], items, f"Los siguientes servicios presentan menores resultados que en {year - 1}: {names}."))

    if len(limited):
        items = tuple(AlertItem(rows[k].code, rows[k].name, {"avance": displayed(rows[k].progress, ev.rules)}) for k in limited)
        names = ", ".join(f"{i.code} “{i.name}” ({i.figures['avance']:.{ev.rules.decimals}f}%)" for i in items)
        out.append(Alert("d", TITLES["d"], items, f"Se identifica un limitado Avance Tipo I en: {names}."))
    return out


def _array(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _value(series: Series | None, year: int) -> float | None:
    return series.actual(year).value if series else None


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")
