"""The data version of each plan, the key of every cached page, figure and document.

Every write bumps it: the workflow calls ``bump`` where it changes data, and ``track`` connects
the models' save and delete signals so any other writer (the admin, a shell, a later API) bumps
it as well. No cache can then disagree with the database or with another cache.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from contextlib import contextmanager

from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save

from . import models as m


_deferred = contextvars.ContextVar("vigia_bump_deferred", default=False)


@contextmanager
def deferred():
    """Inside, saves do not bump the data version one by one: the caller (a delivery of many
    reports) bumps once for all of them before the transaction ends."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def bump(*plan_ids: int) -> None:
    """A data change in these plans: every cached page and figure of them is recomputed."""
    m.Plan.objects.filter(pk__in=plan_ids).update(version=F("version") + 1)


def bump_where(plans: Q) -> None:
    m.Plan.objects.filter(plans).update(version=F("version") + 1)


def track(model, plans: Callable[[object], Q]) -> None:
    """Bump the plans ``plans(instance)`` selects whenever a ``model`` row is saved or deleted.

    Raw saves (``loaddata``, a restore) are not edits: the restored versions stand."""

    def changed(sender, instance, raw=False, **kwargs):
        if not raw and not _deferred.get():
            bump_where(plans(instance))

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"vigia-version-{model._meta.label}-save")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"vigia-version-{model._meta.label}-delete")


def track_core() -> None:
    every = Q()
    track(m.Plan, lambda p: Q(pk=p.pk))
    for model in (m.Vintage, m.Element, m.Indicator, m.Alignment, m.PublishedFigure):
        track(model, lambda row: Q(pk=row.plan_id))
    track(m.Value, lambda v: Q(indicators=v.indicator_id))
    track(m.Entity, lambda e: every)  # names shown by every plan that refers to them
    track(m.ResponsibleUnit, lambda u: every)
