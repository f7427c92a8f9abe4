"""Period locks: after publication a year (or semester) is closed, and every writer asks here first.

Web forms, the Excel template, the matrix import and the plan workbook call ``ensure_open`` (or
``ensure_unchanged`` for a whole plan) before they change a value, a target or an analysis; the API
and the admin only read figures. So a locked period cannot change by any path. Only an
administrador locks and unlocks, always with a reason, and the history keeps each step.
"""

from __future__ import annotations

from django.db import transaction

from vigia.core import models as core
from vigia.core import inputs
from vigia.core.inputs import Invalid
from vigia.datasets import Dataset
from vigia.datasets.versions import cutoff
from vigia.datasets.workbook.layout import FIGURE_LABELS
from vigia.methodology.validation import shown

from . import permissions as perms
from .models import PeriodLock

PERIOD_NAMES = {"anual": "", "S1": " (primer semestre)"}


class Locked(Invalid):
    """A write that would change a locked period: refused like any invalid input, in Spanish."""


def locked_periods(plan_id: int) -> set[tuple[int, str]]:
    return set(PeriodLock.objects.filter(plan_id=plan_id, locked=True).values_list("year", "period"))


def is_locked(plan_id: int, year: int, period: str = "anual", periods: set | None = None) -> bool:
    """Locking a year locks its first semester too."""
    periods = locked_periods(plan_id) if periods is None else periods
    return (year, period) in periods or (year, "anual") in periods


def label(year: int, period: str = "anual") -> str:
    return f"{year}{PERIOD_NAMES.get(period, ' ' + period)}"


def message(what: str, year: int, period: str = "anual") -> str:
    return (f"{what}: el periodo {label(year, period)} está bloqueado después de su publicación; "
            "un administrador debe desbloquearlo, con el motivo, antes de cambiarlo.")


def ensure_open(plan_id: int, year: int, period: str = "anual", what: str = "Este dato") -> None:
    """Locked unless the period of ``year`` is open to changes."""
    if is_locked(plan_id, year, period):
        raise Locked([message(what, year, period)])


def ensure_unchanged(plan_id: int, before: Dataset, after: Dataset, applies_from=None) -> None:
    """Locked when loading ``after`` over ``before`` would change a figure of a locked period, or
    when a new version would govern one (it applies from on or before the period's cut-off)."""
    periods = locked_periods(plan_id)
    if not periods:
        return
    errors = []
    governed = sorted(p for p in periods if applies_from is not None and applies_from <= cutoff(*p))
    if governed:
        year, period = governed[-1]
        errors.append(f"La nueva versión no puede regir desde el {applies_from:%d/%m/%Y}: el periodo {label(year, period)} está "
                      f"bloqueado. Use una fecha posterior al {cutoff(year, period):%d/%m/%Y} o pida que se desbloquee.")

    def figures(ds: Dataset) -> dict:
        return {r.key: (r.value, r.status) for r in ds.records if is_locked(plan_id, r.year, r.period, periods)}

    old, new = figures(before), figures(after)
    changed = sorted((k for k in old.keys() | new.keys() if old.get(k) != new.get(k)), key=lambda k: tuple(map(str, k)))
    errors += [message(f"{code}, {FIGURE_LABELS[kind].lower()} {year}", year, period) for code, _, year, period, kind, *_ in changed[:20]]
    if len(changed) > 20:
        errors.append(f"… y {len(changed) - 20} cifras más de periodos bloqueados.")
    if errors:
        raise Locked(errors)


def set_lock(user, plan: core.Plan, year: int, period: str, locked: bool, reason: str) -> PeriodLock:
    """Lock or unlock a period (administrador only, always with a reason), kept in the history;
    Invalid, in Spanish, for a missing reason or an unknown period."""
    perms.require(perms.can_manage(user), "Solo un administrador bloquea o desbloquea periodos.")
    if period not in PERIOD_NAMES:
        raise Invalid([f"Periodo no válido: «{shown(period)}» (use anual o S1)."])
    reason = inputs.text(PeriodLock, "reason", reason, label(year, period))
    if not reason:
        raise Invalid([f"Indique el motivo para {'bloquear' if locked else 'desbloquear'} {label(year, period)}."])
    with transaction.atomic():
        lock = PeriodLock.objects.select_for_update().filter(plan=plan, year=year, period=period).first()
        lock = lock or PeriodLock(plan=plan, year=year, period=period)
        lock.locked, lock.reason, lock.changed_by = locked, reason, user
        lock._history_user, lock._change_reason = user, f"{'Bloqueado' if locked else 'Desbloqueado'}: {reason}"
        lock.save()
    return lock
