"""Alerts (a)-(d) as the 2024 policy report words them, computed from the data.

(a) objective indicators that could not be measured; (b) service indicators not reported or
without an expected value; (c) services whose obtained value worsened against the previous
year; (d) the indicators with the lowest progress.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
    "c": "Servicios cuyo valor obtenido empeoró respecto al año anterior",
    "d": "Indicadores con el menor avance",
}


def _indicator_rows(ev: Evaluation, top: bool) -> list[Row]:
    tops = {e.code for e in ev.plan.top_elements}
    return [r for r in ev.rows if r.indicator and (r.indicator.element in tops) == top]


def _missing_reason(series: Series | None, year: int, row: Row) -> str:
    if series:
        for obs in (series.actual(year), series.target(year)):
            if obs.missing and obs.note:
                return obs.note
    return row.reason.text


def alerts(ev: Evaluation, series: Mapping[str, Series], lowest: int = 4) -> list[Alert]:
    """The alerts of ``ev``'s year; an alert with nothing to say is left out."""
    year, out = ev.year, []

    unmeasured = [
        AlertItem(r.code, r.name, {"estado": "ND"}, _missing_reason(series.get(r.code), year, r))
        for r in _indicator_rows(ev, top=True)
        if r.progress is None
    ]
    if unmeasured:
        names = "; ".join(f"{i.code} “{i.name}” ({i.detail})" for i in unmeasured)
        out.append(Alert("a", TITLES["a"], tuple(unmeasured), f"En {year} no se ha logrado medir: {names}."))

    services = _indicator_rows(ev, top=False)
    unreported = []
    for r in services:
        if r.actual is None or r.target is None:
            what = [w for w, v in (("sin valor obtenido", r.actual), ("sin logro esperado", r.target)) if v is None]
            unreported.append(AlertItem(r.code, r.name, {"esperado": r.target, "obtenido": r.actual}, " y ".join(what).capitalize() + ". " + _missing_reason(series.get(r.code), year, r)))
    if unreported:
        names = "; ".join(f"{i.code} “{i.name}”: {i.detail.strip()}" for i in unreported)
        out.append(Alert("b", TITLES["b"], tuple(unreported), f"En {year} no se han podido reportar o no tienen logro esperado: {names}."))

    worse = []
    for r in services:
        s = series.get(r.code)
        prev = s.actual(year - 1).value if s else None
        if r.actual is None or prev is None:
            continue
        lower_is_better = r.indicator.direction is Direction.DESCENDING
        if (r.actual > prev) if lower_is_better else (r.actual < prev):
            worse.append(AlertItem(r.code, r.name, {"anterior": prev, "actual": r.actual, "cambio": r.actual - prev}))
    if worse:
        names = "; ".join(f"{i.code} “{i.name}” ({_fmt(i.figures['anterior'])} en {year - 1} → {_fmt(i.figures['actual'])} en {year})" for i in worse)
        out.append(Alert("c", TITLES["c"], tuple(worse), f"Los siguientes servicios presentan menores resultados que en {year - 1}: {names}."))

    ranked = sorted(
        (r for r in ev.rows if r.indicator and r.progress is not None and r.progress < ev.rules.yellow),
        key=lambda r: r.progress,
    )[:lowest]
    if ranked:
        items = tuple(AlertItem(r.code, r.name, {"avance": displayed(r.progress, ev.rules)}) for r in ranked)
        names = ", ".join(f"{i.code} “{i.name}” ({i.figures['avance']:.{ev.rules.decimals}f}%)" for i in items)
        out.append(Alert("d", TITLES["d"], items, f"Se identifica un limitado Avance Tipo I en: {names}."))
    return out


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")
