"""What the API reads, for one audience.

A :class:`Scope` says which values an audience may see. The public router passes
``published_only=True`` and the authenticated router ``False``; every read goes through the
functions below with that one parameter, both for the values listed as such and for the figures
computed from them (``store.dataset`` / ``store.evaluation`` take the same flag), so a draft value
can never leak into a public avance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from ninja.errors import HttpError

from vigia.core import models as m
from vigia.core import store
from vigia.datasets import Dataset
from vigia.methodology import Evaluation

# The codes of plans, elements and indicators (vigia.datasets.schema.Code): anything else cannot
# exist, and is answered without asking the database (PostgreSQL refuses NUL characters).
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
PERIODS = ("anual", "S1")  # as in values.csv (vigia.datasets.loader.PERIODS)


@dataclass(frozen=True)
class Scope:
    """An audience of the API: its name (URL names, operation ids) and what it may see."""

    name: str
    published_only: bool
    tag: str
    title: str


PUBLIC = Scope("publico", True, "Datos publicados", "datos publicados, sin autenticación")
INTERNAL = Scope("interno", False, "Datos internos", "todos los datos, con sesión iniciada")


def dataset(plan: str, scope: Scope) -> Dataset:
    """The plan as ``scope`` may see it; 404 in Spanish when it does not exist."""
    if not CODE.fullmatch(plan):
        raise HttpError(404, f"No existe el plan '{plan}'.")
    try:
        return store.dataset(plan, published_only=scope.published_only)
    except store.PlanNotFound:
        raise HttpError(404, f"No existe el plan '{plan}'.") from None


def vintage(ds: Dataset, code: str | None) -> str:
    """The edition asked for (the current one by default); 400 when the plan has no such edition."""
    if code is None:
        return ds.spec.current_vintage
    if code not in ds.vintages:
        raise HttpError(400, f"La edición '{code}' no existe en el plan '{ds.code}'. Ediciones: {', '.join(ds.vintages)}.")
    return code


def period(code: str | None) -> str | None:
    if code is not None and code not in PERIODS:
        raise HttpError(400, f"El periodo '{code}' no es válido: use {' o '.join(PERIODS)}.")
    return code


def evaluation(ds: Dataset, year: int, vintage_code: str, period_code: str, scope: Scope) -> Evaluation:
    return store.evaluation(ds.code, year, vintage_code, period_code, published_only=scope.published_only)


def values(ds: Dataset, scope: Scope) -> QuerySet[m.Value]:
    """The stored values of the plan that ``scope`` may see, in the order of the matrix."""
    qs = m.Value.objects.filter(indicator__plan__code=ds.code)
    if scope.published_only:
        qs = qs.filter(state=m.Value.State.PUBLISHED)
    return qs.select_related("indicator", "vintage").order_by(
        "indicator__position", "vintage__position", "year", "period", "kind", "id"
    )


