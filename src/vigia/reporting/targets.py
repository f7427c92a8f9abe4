"""Logros esperados (targets): set one on its page, or those of a campaign's period in its set-up.

Only the planning office sets them (``permissions.can_set_targets``); every value is held to the
same rules as the obtained values, and a target changed after a value of its year was approved
needs the resolution that changes it. Each change is kept in the value's history.
"""

from __future__ import annotations

from vigia.core import models as core
from vigia.core.inputs import Invalid
from vigia.core.versions import bump
from vigia.methodology.validation import check_target, check_target_change

from . import plan_editing
from .models import Submission

SOURCE = "Oficina de planeamiento"


def stored(plan: core.Plan, indicators, year: int, period: str) -> dict[int, core.Value]:
    """The current targets of ``indicators`` for the period, by indicator id."""
    return {v.indicator_id: v for v in core.Value.objects.filter(
        indicator__in=list(indicators), vintage__plan=plan, vintage__code=plan.current_vintage, year=year, period=period, kind="target")}


def parse(plan: core.Plan, indicators, year: int, period: str, raw: dict) -> dict[core.Indicator, float]:
    """The targets typed for ``indicators`` that differ from the stored ones; Invalid lists every
    bad one (an empty box changes nothing)."""
    current = stored(plan, indicators, year, period)
    approved = approved_years(indicators, year)
    out, errors = {}, []
    for ind in indicators:
        text = raw.get(ind.code)
        if text in (None, ""):
            continue
        if refusal := plan_editing.target_refusal(plan.id, ind.code, year, period):
            errors.append(refusal)
            continue
        check = check_target(ind.code, text, unit=ind.unit, valid_min=ind.valid_min, valid_max=ind.valid_max)
        errors += check.errors
        before = current.get(ind.id)
        if check.ok and (before is None or before.value != check.value):
            errors += check_target_change(ind.code, before is not None and ind.id in approved, "")
            out[ind] = check.value
    if errors:
        raise Invalid(errors)
    return out


def approved_years(indicators, year: int) -> set[int]:
    return set(Submission.objects.filter(indicator__in=list(indicators), campaign__year=year, approved_at__isnull=False)
               .values_list("indicator_id", flat=True))


def missing(plan: core.Plan, indicators, year: int, period: str, typed: dict) -> list[str]:
    """Codes of the indicators that would still have no target of the period."""
    current = stored(plan, indicators, year, period)
    return [i.code for i in indicators if i not in typed and (i.id not in current or current[i.id].value is None)]


def apply(user, plan: core.Plan, year: int, period: str, typed: dict, reason: str, resolution: str = "") -> None:
    """Write the typed targets (inside the caller's transaction) and recompute the plan's figures."""
    if not typed:
        return
    vintage = plan.vintages.get(code=plan.current_vintage)
    current = stored(plan, typed, year, period)
    for ind, value in typed.items():
        obj = current.get(ind.id) or core.Value(indicator=ind, vintage=vintage, year=year, period=period, kind="target")
        obj.value, obj.status = value, ""
        if resolution:
            obj.resolution = resolution
        obj.source = obj.source or SOURCE
        obj._history_user, obj._change_reason = user, f"Logro esperado fijado. {resolution or reason}".strip()
        obj.save()
    bump(plan.id)


def set_one(user, plan: core.Plan, ind: core.Indicator, year: int, raw, resolution: str) -> float:
    """The target page: one indicator's annual target, with the resolution once a value was approved."""
    current = stored(plan, [ind], year, "anual").get(ind.id)
    check = check_target(ind.code, raw, unit=ind.unit, valid_min=ind.valid_min, valid_max=ind.valid_max)
    errors = check.errors + check_target_change(ind.code, current is not None and ind.id in approved_years([ind], year), resolution)
    if refusal := plan_editing.target_refusal(plan.id, ind.code, year):
        errors.append(refusal)
    if errors:
        raise Invalid(errors)
    apply(user, plan, year, "anual", {ind: check.value}, "", resolution)
    return check.value
