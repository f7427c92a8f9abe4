"""The figures an audience may see: the stored values, overlaid with the reports not yet
published that the audience is allowed to see (each marked «Preliminar»).

Every page, matrix download, API answer, indicator page and preliminary document of the internal
side reads its figures here, with the audience of the user (``permissions.audience``); the portal
and the public API read the ``PUBLIC`` audience. Results are cached per plan data version and
audience key, so the operators of one entity share one cache entry.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from vigia.core import store
from vigia.datasets import Dataset, Record
from vigia.methodology import Evaluation, Status

from .models import Submission
from .permissions import PUBLIC, Audience

PRELIMINARY = "Preliminar"
_lock = threading.Lock()
_datasets: dict[tuple, tuple[int, Dataset]] = {}


def dataset(code: str, audience: Audience = PUBLIC, at: int | None = None, year: int | None = None,
            period: str = "anual") -> Dataset:
    """The plan ``code`` as ``audience`` may see it (store.PlanNotFound if there is none); with
    ``year``, as the version of the plan in force in that period defines it."""
    current = store.version(code) if at is None else at
    if audience.public:
        return store.dataset(code, True, current, year, period)
    key = (code, audience.key, year, period)
    with _lock:
        cached = _datasets.get(key)
        if cached and cached[0] == current:
            return cached[1]
    ds = _overlay(store.dataset(code, False, current, year, period), audience)
    with _lock:
        _datasets[key] = (current, ds)
    return ds


def _overlay(base: Dataset, audience: Audience) -> Dataset:
    """Reports not yet published that ``audience`` sees replace the stored obtained value."""
    vintage = base.spec.current_vintage
    working = {}
    reports = (Submission.objects.filter(campaign__plan__code=base.code).filter(audience.unpublished())
               .select_related("indicator", "campaign"))
    for s in reports:
        if s.value is None and not s.status:
            continue
        key = (s.indicator.code, s.campaign.year, s.campaign.period, "actual", vintage)
        note = f"{PRELIMINARY} ({s.get_state_display().lower()}): {s.campaign.name}"
        working[key] = Record(*key[:4], s.value, Status(s.status) if s.status else None, vintage, s.source or "reporte", note, 0)
    if not working:
        return base
    kept = [r for r in base.records if (r.indicator, r.year, r.period, r.kind, r.vintage) not in working]
    return Dataset(None, base.spec, base.indicator_specs, tuple(kept + list(working.values())))


def evaluation(code: str, year: int, vintage: str | None = None, period: str = "anual", audience: Audience = PUBLIC,
               at: int | None = None) -> Evaluation:
    current = store.version(code) if at is None else at
    if audience.public:
        return store.evaluation(code, year, vintage, period, True, current)
    return _evaluation(code, current, audience, year, vintage, period)


@lru_cache(maxsize=512)
def _evaluation(code: str, at: int, audience: Audience, year: int, vintage: str | None, period: str) -> Evaluation:
    return store.evaluate_dataset(dataset(code, audience, at, year, period), year, vintage, period)


def findings(code: str, audience: Audience = PUBLIC, at: int | None = None) -> list:
    current = store.version(code) if at is None else at
    if audience.public:
        return store.findings(code, True, current)
    return _findings(code, current, audience)


@lru_cache(maxsize=64)
def _findings(code: str, at: int, audience: Audience) -> list:
    return store.check_dataset(dataset(code, audience, at))


def preliminary(code: str, audience: Audience, at: int | None = None) -> set[tuple[str, int]]:
    """(indicator, year) pairs whose figure, for this audience, is a report not yet published."""
    if audience.public:
        return set()
    return {(r.indicator, r.year) for r in dataset(code, audience, at).records if r.note.startswith(PRELIMINARY)}


def forget() -> None:
    """Drop every cached figure (tests roll data back, so versions can repeat there)."""
    with _lock:
        _datasets.clear()
    _evaluation.cache_clear()
    _findings.cache_clear()
