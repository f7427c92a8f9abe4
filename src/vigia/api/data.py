"""What the API reads, for one audience.

A :class:`Scope` names a router: the public one answers for the ``PUBLIC`` audience, the
authenticated one for the audience of the logged-in user (``reporting.permissions.audience``:
an operador sees its own entity's reports, a reviewer the reports sent to review, a decisor the
approved ones). Every figure goes through ``reporting.figures`` with that audience, the same
rule as the pages and downloads, so a draft value never leaks to another entity or the public.
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
from vigia.reporting import figures
from vigia.reporting.permissions import PUBLIC as PUBLIC_AUDIENCE
from vigia.reporting.permissions import Audience, audience

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


def viewer(request, scope: Scope) -> Audience:
    """Who is asking: the public, or the logged-in user's audience."""
    return PUBLIC_AUDIENCE if scope.published_only else audience(request.auth)


def dataset(plan: str, viewer: Audience, year: int | None = None, period: str = "anual") -> Dataset:
    """The plan as ``viewer`` may see it (with ``year``, as the version in force that year defines
    it); 404 in Spanish when it does not exist."""
    if not CODE.fullmatch(plan):
        raise HttpError(404, f"No existe el plan '{plan[:60]}'.")
    try:
        return figures.dataset(plan, viewer, None, year, period)
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


def evaluation(ds: Dataset, year: int, vintage_code: str, period_code: str, viewer: Audience) -> Evaluation:
    return figures.evaluation(ds.code, year, vintage_code, period_code, viewer)


def values(ds: Dataset, scope: Scope) -> QuerySet[m.Value]:
    """The stored values of the plan that ``scope`` may see, in the order of the matrix."""
    qs = m.Value.objects.filter(indicator__plan__code=ds.code)
    if scope.published_only:
        qs = qs.filter(state=m.Value.State.PUBLISHED)
    return qs.select_related("indicator", "vintage").order_by(
        "indicator__position", "vintage__position", "year", "period", "kind", "id"
    )


