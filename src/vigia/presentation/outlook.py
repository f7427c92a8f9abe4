"""Progress to the plan's horizon, as Open SDG's progress status: every indicator and objective in
one trajectory class, with the rule in plain words, counts and a filterable list.

The class comes from ``methodology.trajectory`` (compound growth of the obtained values), judged
against the plan's target for the horizon year. A plan with no target for that year gets no
verdict: the indicator is «sin meta a 2030», never compared with an earlier target.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from vigia.datasets import Dataset
from vigia.methodology.trajectory import Outlook, project

from . import numbers
from .matrix import objective_of

NO_DATA = "sin datos suficientes"
NO_TARGET = Outlook.NO_TARGET.value  # shown as "sin meta a <horizonte>"
# Filter value in the address → the class, in the order the counts and the chart show them.
CLASSES = {
    "lograda": Outlook.ACHIEVED.value,
    "en-camino": Outlook.ON_TRACK.value,
    "aceleracion": Outlook.NEEDS_ACCELERATION.value,
    "estancado": Outlook.STALLED.value,
    "sin-meta": NO_TARGET,
    "sin-datos": NO_DATA,
}
SLUGS = {label: slug for slug, label in CLASSES.items()}


def rules(horizon: int) -> dict[str, str]:
    """What each class means, for readers who never saw a compound growth rate."""
    return {
        Outlook.ACHIEVED.value: "El último valor obtenido ya alcanza la meta final.",
        Outlook.ON_TRACK.value: f"Si sigue al ritmo observado desde su primer valor, alcanzará la meta en {horizon}.",
        Outlook.NEEDS_ACCELERATION.value: f"Avanza hacia la meta, pero a ese ritmo no la alcanzará en {horizon}.",
        Outlook.STALLED.value: "No avanza o se aleja de la meta.",
        NO_TARGET: f"El plan no fija su logro esperado para {horizon}: se muestra adónde lleva el ritmo actual, sin veredicto.",
        NO_DATA: "Tiene menos de dos valores obtenidos: no se puede proyectar.",
    }


OBJECTIVE_RULE = ("Un objetivo toma la clase que tiene la mayoría de sus indicadores con proyección; "
                  "si hay empate, la menos favorable.")


@dataclass(frozen=True)
class OutlookRow:
    code: str
    name: str
    objective: str
    label: str  # one of CLASSES' values
    last: str = ""  # "34.00% (2024)"
    projected: str = ""  # value projected for the horizon
    target: str = ""  # the target compared with
    note: str = ""
    horizon: int | None = None

    @property
    def slug(self) -> str:
        return SLUGS[self.label]

    @property
    def shown(self) -> str:
        """The class as pages write it: «sin meta a 2030» names the horizon."""
        return f"{self.label} a {self.horizon}" if self.label == NO_TARGET and self.horizon else self.label


@dataclass(frozen=True)
class ObjectiveOutlook:
    code: str
    name: str
    label: str
    counts: dict[str, int]


@dataclass(frozen=True)
class PlanOutlook:
    horizon: int
    rows: tuple[OutlookRow, ...]
    objectives: tuple[ObjectiveOutlook, ...]
    rules: dict[str, str]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.label for r in self.rows)
        return {label: found.get(label, 0) for label in CLASSES.values()}

    def filtered(self, slug: str = "", objective: str = "") -> list[OutlookRow]:
        wanted = CLASSES.get(slug)
        return [r for r in self.rows if (not wanted or r.label == wanted) and (not objective or r.objective == objective)]


def _row(spec, indicator, series, horizon: int, objective: str) -> OutlookRow:
    base = {"code": spec.code, "name": spec.name, "objective": objective}
    t = project(indicator, series, horizon) if series else None
    if t is None:
        return OutlookRow(**base, label=NO_DATA)

    decimals = spec.decimals if spec.decimals is not None or spec.unit not in ("number", "amount") else 0

    def fmt(value: float) -> str:
        return numbers.number(value, spec.unit, decimals)

    return OutlookRow(**base, label=t.outlook.value, last=f"{fmt(t.last_value)} ({t.last_year})",
                      projected=f"{fmt(t.projected_final)} ({t.final_year})",
                      target="—" if t.final_target is None else fmt(t.final_target), horizon=horizon)


def _objective_label(counts: Counter) -> str:
    assessed = {label: n for label, n in counts.items() if label not in (NO_DATA, NO_TARGET) and n}
    if not assessed:
        return NO_TARGET if counts.get(NO_TARGET) else NO_DATA
    best = max(assessed.values())
    order = list(CLASSES.values())
    return max((label for label, n in assessed.items() if n == best), key=order.index)  # ties: the less favourable


@lru_cache(maxsize=64)
def plan_outlook(ds: Dataset, vintage: str | None = None, horizon: int | None = None) -> PlanOutlook:
    """The outlook of every indicator of ``ds`` and of its top-level objectives."""
    horizon = horizon or ds.spec.period.end or 2030
    series = ds.series(vintage)
    tops = objective_of(ds)
    indicators = {i.code: i for i in ds.plan.indicators}
    rows = tuple(_row(spec, indicators[spec.code], series.get(spec.code), horizon, tops.get(spec.code, ""))
                 for spec in ds.indicator_specs)
    objectives = []
    for element in ds.spec.elements:
        if element.parent is not None:
            continue
        counts = Counter(r.label for r in rows if r.objective == element.code)
        if counts:
            objectives.append(ObjectiveOutlook(element.code, element.name, _objective_label(counts),
                                               {label: counts.get(label, 0) for label in CLASSES.values()}))
    return PlanOutlook(horizon, rows, tuple(objectives), rules(horizon))
