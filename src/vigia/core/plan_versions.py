"""Versions of a stored plan: registering a modification, and which version governs a period.

The plan as stored is its newest version. Registering a new one freezes the stored plan into the
version it supersedes, then loads the new content; figures of the years the older version
governs are then computed as it defined them (``datasets.versions.as_defined_by``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from functools import lru_cache

from django.db import transaction
from django.db.models import F

from vigia.datasets import Dataset
from vigia.datasets import diff as differences
from vigia.datasets import versions as v

from . import models as m
from .loading import LoadResult, load_dataset


def listed(plan: m.Plan) -> list[m.PlanVersion]:
    """The plan's versions, oldest first; a plan never modified has one, its initial version."""
    found = list(plan.versions.select_related("created_by").order_by("number"))
    return found or [initial(plan)]


def initial(plan: m.Plan) -> m.PlanVersion:
    """Version 1 as the plan's texts describe its approval (unsaved until a modification needs it)."""
    return m.PlanVersion(plan=plan, number=1, legal_reference=str(plan.texts.get("approval") or "Versión inicial del plan"))


def governing(plan_id: int, year: int, period: str = "anual") -> m.PlanVersion | None:
    """The version in force at the period's cut-off, when it is not the newest (else None: the
    plan as stored governs)."""
    versions = list(m.PlanVersion.objects.filter(plan_id=plan_id).order_by("number").values_list("id", "number", "applies_from"))
    if len(versions) < 2:
        return None
    number = v.in_force([(n, start) for _, n, start in versions], year, period)
    if number == versions[-1][1]:
        return None
    return m.PlanVersion.objects.get(plan_id=plan_id, number=number)


@lru_cache(maxsize=32)
def frozen(version_id: int) -> Dataset:
    """A superseded version's own content (a frozen snapshot never changes)."""
    return v.thaw(m.PlanVersion.objects.values_list("snapshot", flat=True).get(pk=version_id))


def register(plan: m.Plan, stored: Dataset, new: Dataset, legal_reference: str, applies_from: dt.date, user=None,
             note: str = "") -> tuple[m.PlanVersion, LoadResult]:
    """Make ``new`` the plan's newest version, in force from ``applies_from``; ``stored`` is the plan
    as stored now (it becomes the superseded version's frozen copy). ValueError in Spanish when
    the version cannot be registered."""
    legal_reference = (legal_reference or "").strip()
    if not legal_reference:
        raise ValueError("Una nueva versión necesita la norma que la aprueba (resolución, decreto…).")
    if applies_from is None:
        raise ValueError("Indique desde qué fecha rige la nueva versión.")
    with transaction.atomic():
        m.Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one modification at a time
        versions = listed(plan)
        latest = versions[-1]
        if latest.applies_from and applies_from <= latest.applies_from:
            raise ValueError(f"La versión {latest.number} rige desde el {latest.applies_from:%d/%m/%Y}: la nueva debe regir "
                             "desde una fecha posterior.")
        latest.snapshot = v.freeze(stored)
        latest.save()
        result = load_dataset(new)
        m.Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1)  # the years each version governs changed
        version = m.PlanVersion.objects.create(
            plan=plan, number=latest.number + 1, legal_reference=legal_reference, applies_from=applies_from, note=note,
            created_by=user, changes=[asdict(c) for c in differences.diff(stored, new, differences.PROGRAMME)])
    return version, result


def content(version: m.PlanVersion, stored: Dataset) -> Dataset:
    """What ``version`` defines: its frozen copy, or the stored plan for the newest one."""
    return frozen(version.pk) if version.snapshot is not None and version.pk else stored
