"""The data version of each plan, the key of every cached page, figure and document.

Every write bumps it: the workflow calls ``bump`` where it changes data, and ``track`` connects
the models' save and delete signals so any other writer (the admin, a shell, a later API) bumps
it as well. No cache can then disagree with the database or with another cache.
"""

from __future__ import annotations

import contextvars
import operator
from collections.abc import Callable
from contextlib import contextmanager
from functools import reduce

from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save

from . import models as m


_deferred: contextvars.ContextVar[list | None] = contextvars.ContextVar("vigia_bumps_deferred", default=None)


@contextmanager
def deferred():
    """Many writes, one bump: inside, bumps are collected and made once on the way out (use it
    inside the transaction of the writes: after an error nothing was written, nothing is bumped)."""
    pending: list[Q] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        bump_where(reduce(operator.or_, pending))


def bump(*plan_ids: int) -> None:
    """A data change in these plans: every cached page and figure of them is recomputed."""
    bump_where(Q(pk__in=plan_ids))


def bump_where(plans: Q) -> None:
    pending = _deferred.get()
    if pending is not None:
        pending.append(plans)
        return
    m.Plan.objects.filter(plans).update(version=F("version") + 1)


def track(model, plans: Callable[[object], Q]) -> None:
    """Bump the plans ``plans(instance)`` selects whenever a ``model`` row is saved or deleted.

    Raw saves (``loaddata``, a restore) are not edits: the restored versions stand."""

    def changed(sender, instance, raw=False, **kwargs):
        if not raw:
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
