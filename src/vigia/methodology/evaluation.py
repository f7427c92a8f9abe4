"""Evaluate a plan for one year: every element and indicator with its progress and band."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from . import aggregation, progress
from .bands import Band, band_of, count
from .model import Element, Indicator, Plan, Series
from .progress import Reason
from .rules import RuleSet

INDEX_CODE = "INDEX"


@dataclass(frozen=True)
class Row:
    code: str
    level: str
    name: str
    depth: int
    target: float | None = None
    actual: float | None = None
    progress: float | None = None
    band: Band = Band.ND
    reason: Reason = Reason.COMPUTED
    indicator: Indicator | None = None
    element: Element | None = None
    measured: bool = True  # False for an element with no indicator anywhere below it


    @property
    def is_indicator(self) -> bool:
        return self.indicator is not None


@dataclass(frozen=True)
class Evaluation:
    plan: Plan
    year: int
    period: str
    rules: RuleSet
    rows: list[Row]
    index: float | None = None
    band_counts: dict[str, dict[Band, int]] = field(default_factory=dict)

    def row(self, code: str) -> Row:
        return next(r for r in self.rows if r.code == code)

    @property
    def objectives(self) -> list[Row]:
        return [r for r in self.rows if r.depth == 0 and not r.is_indicator and r.code != INDEX_CODE]


def indicator_level(plan: Plan, indicator: Indicator) -> str:
    """The level label of an indicator: IOP, ISS… or IND.OEI when levels share a prefix."""
    element_level = next(e.level for e in plan.elements if e.code == indicator.element)
    prefix = plan.level(element_level).indicator_prefix or "IND"
    shared = sum(1 for lv in plan.levels if lv.indicator_prefix == prefix) > 1
    return f"{prefix}.{element_level}" if shared else prefix


def evaluate(
    plan: Plan, series: Mapping[str, Series], year: int, rules: RuleSet, period: str = "anual"
) -> Evaluation:
    """Progress of every indicator and element of ``plan`` in ``year``.

    ``series`` maps indicator codes to their values for ``period``. Additive indicators look at
    every earlier year, so all years up to ``year`` are passed to the array computation.
    """
    inds = plan.indicators
    years = sorted({y for s in series.values() for y in (*s.targets, *s.actuals)} | {year})
    years = [y for y in years if y <= year]
    col = years.index(year)

    def matrix(get) -> np.ndarray:
        return np.array(
            [[_num(get(series.get(i.code, Series()), y)) for y in years] for i in inds], dtype=float
        ).reshape(len(inds), len(years))

    target = matrix(lambda s, y: s.target(y))
    actual = matrix(lambda s, y: s.actual(y))
    baseline = np.array([_num(series.get(i.code, Series()).baseline) for i in inds], dtype=float)
    p, r = progress.compute(
        target,
        actual,
        np.array([progress.DIRECTION_CODE[i.direction] for i in inds], np.int8),
        rules,
        baseline=baseline,
        bound=np.array([progress.BOUND_CODE[i.bound] for i in inds], np.int8),
        additive=np.array([i.additive for i in inds], bool),
    )

    el_index = {e.code: k for k, e in enumerate(plan.elements)}
    el_progress = aggregation.aggregate(
        p[:, col : col + 1],
        np.array([el_index[i.element] for i in inds], np.int64),
        np.array([el_index.get(e.parent, -1) if e.parent else -1 for e in plan.elements], np.int64),
    )[:, 0]

    ind_rows = {
        i.code: Row(
            code=i.code,
            level=indicator_level(plan, i),
            name=i.name,
            depth=0,
            target=_opt(target[k, col]),
            actual=_opt(actual[k, col]),
            progress=_opt(p[k, col]),
            band=band_of(_opt(p[k, col]), rules),
            reason=Reason(int(r[k, col])),
            indicator=i,
        )
        for k, i in enumerate(inds)
    }
    rows: list[Row] = []
    measured = _measured(plan)

    def walk(element: Element, depth: int) -> None:
        value = _opt(el_progress[el_index[element.code]])
        rows.append(
            Row(element.code, element.level, element.name, depth, progress=value, band=band_of(value, rules),
                element=element, measured=element.code in measured)
        )
        for ind in plan.indicators_of(element.code):
            rows.append(_at_depth(ind_rows[ind.code], depth + 1))
        for child in plan.children(element.code):
            walk(child, depth + 1)

    for top in plan.top_elements:
        walk(top, 0)

    index_value = None
    if rules.index:
        tops = np.array([[el_progress[el_index[e.code]]] for e in plan.top_elements])
        index_value = _opt(aggregation.index(tops)[0]) if len(tops) else None
        rows.append(
            Row(INDEX_CODE, "INDEX", "Índice de gestión de la política nacional", 0, progress=index_value, band=band_of(index_value, rules))
        )

    levels: dict[str, list[Band]] = {}
    for row in rows:
        if row.code != INDEX_CODE and row.measured:
            levels.setdefault(row.level, []).append(row.band)
    return Evaluation(plan, year, period, rules, rows, index_value, {lv: count(b) for lv, b in levels.items()})


def _measured(plan: Plan) -> set[str]:
    """Codes of the elements that have an indicator themselves or somewhere below them."""
    parents = {e.code: e.parent for e in plan.elements}
    out: set[str] = set()
    for ind in plan.indicators:
        code = ind.element
        while code and code not in out:
            out.add(code)
            code = parents[code]
    return out


def _at_depth(row: Row, depth: int) -> Row:
    return Row(**{**row.__dict__, "depth": depth})


def _num(obs) -> float:
    return np.nan if obs.value is None else float(obs.value)


def _opt(x: float) -> float | None:
    return None if np.isnan(x) else float(x)
