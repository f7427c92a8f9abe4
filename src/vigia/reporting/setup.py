"""What the campaign set-up page lists: every indicator of a plan with its entity, objective and
level (the filters), its stored target for the campaign's period, and whether it is already in
another campaign of that period (a campaign may not repeat an indicator)."""

from __future__ import annotations

from dataclasses import dataclass

from vigia.core import store
from vigia.methodology.evaluation import indicator_level
from vigia.presentation import numbers
from vigia.presentation.matrix import objective_of

from . import targets
from .models import Campaign


@dataclass
class Choice:
    indicator: object
    objective: str
    level: str
    target: str  # the stored target, as the input shows it
    target_shown: str
    taken_by: str  # the name of another campaign of the period that has it
    chosen: bool


def choices(plan, year: int, period: str, campaign: Campaign | None = None, typed: dict | None = None,
            chosen: set[str] | None = None) -> list[Choice]:
    ds = store.dataset(plan.code)
    tops = objective_of(ds)
    levels = {i.code: indicator_level(ds.plan, i) for i in ds.plan.indicators}
    indicators = list(plan.indicators.select_related("entity").order_by("position"))
    current = targets.stored(plan, indicators, year, period)
    taken = {}
    for other in Campaign.objects.filter(plan=plan, year=year, period=period).exclude(pk=campaign.pk if campaign else None):
        for code in other.indicators.values_list("code", flat=True):
            taken[code] = other.name
    inside = set(campaign.indicators.values_list("code", flat=True)) if campaign else set()
    out = []
    for i in indicators:
        value = current[i.id].value if i.id in current else None
        stored_text = "" if value is None else f"{value:g}"
        out.append(Choice(i, tops.get(i.code, ""), levels.get(i.code, ""),
                          (typed or {}).get(i.code, stored_text), numbers.number(value, i.unit, i.decimals) if value is not None else "",
                          taken.get(i.code, ""), i.code in (chosen if chosen is not None else inside)))
    return out


def filters(rows: list[Choice]) -> dict[str, list[str]]:
    return {"entities": sorted({str(r.indicator.entity) for r in rows if r.indicator.entity}),
            "objectives": sorted({r.objective for r in rows if r.objective}),
            "levels": sorted({r.level for r in rows if r.level})}
