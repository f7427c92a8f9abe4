"""Read a plan from the database as a `vigia.datasets.Dataset`, so the methodology, checks and
exports work the same on stored data as on the bundled files.

Only stored values (published, or all stored): the reports under review live in
``vigia.reporting`` and ``vigia.reporting.figures`` lays them over these for each audience.
Results are cached per plan and data version: every write bumps the version (``versions.bump``).
"""

from __future__ import annotations

import threading
from functools import lru_cache

from vigia.datasets import Dataset, Record, versions
from vigia.datasets.schema import IndicatorSpec, PlanSpec
from vigia.methodology import Evaluation, Status, checks, evaluate, ruleset

from . import models as m
from . import plan_versions

_lock = threading.Lock()
_datasets: dict[tuple[str, bool], tuple[int, Dataset]] = {}


class PlanNotFound(LookupError):
    pass


def version(code: str) -> int:
    found = m.Plan.objects.filter(code=code).values_list("version", flat=True).first()
    if found is None:
        raise PlanNotFound(code)
    return found


def dataset(code: str, published_only: bool = False, at: int | None = None, year: int | None = None,
            period: str = "anual") -> Dataset:
    """The plan ``code`` as stored now (cached until its data version changes); with ``year``, as
    the version of the plan in force in that period defines it (``plan_versions``).

    ``published_only`` keeps the values the public may see: the portal and the public API.
    ``at`` is the data version when the caller already read it (one query per request)."""
    current = version(code) if at is None else at
    if year is not None:
        return _in_force(code, current, published_only, year, period)
    key = (code, published_only)
    with _lock:
        cached = _datasets.get(key)
        if cached and cached[0] == current:
            return cached[1]
    ds = _build(code, published_only)
    with _lock:
        _datasets[key] = (current, ds)
    return ds


@lru_cache(maxsize=256)
def _in_force(code: str, at: int, published_only: bool, year: int, period: str) -> Dataset:
    governing = plan_versions.governing(m.Plan.objects.values_list("id", flat=True).get(code=code), year, period)
    return dataset(code, published_only, at) if governing is None else _defined_by(code, at, published_only, governing.pk)


@lru_cache(maxsize=64)
def _defined_by(code: str, at: int, published_only: bool, version_id: int) -> Dataset:
    """A superseded version's plan with the figures measured since (one per version, not per year)."""
    return versions.as_defined_by(plan_versions.frozen(version_id), dataset(code, published_only, at))


def evaluation(
    code: str, year: int, vintage: str | None = None, period: str = "anual", published_only: bool = False, at: int | None = None
) -> Evaluation:
    """The evaluation of ``year`` with the version of the plan in force then."""
    return _evaluation(code, version(code) if at is None else at, year, vintage, period, published_only)


@lru_cache(maxsize=512)
def _evaluation(code: str, at: int, year: int, vintage: str | None, period: str, published_only: bool) -> Evaluation:
    return evaluate_dataset(dataset(code, published_only, at, year, period), year, vintage, period)


def evaluate_dataset(ds: Dataset, year: int, vintage: str | None = None, period: str = "anual") -> Evaluation:
    """The plan's rules applied to ``ds`` (stored, or overlaid with reports by ``reporting.figures``)."""
    return evaluate(ds.plan, ds.series(vintage, period), year, ruleset(ds.spec.ruleset), period)


def findings(code: str, published_only: bool = False, at: int | None = None) -> list:
    """Consistency findings of the plan's documents (cached per data version)."""
    return _findings(code, version(code) if at is None else at, published_only)


@lru_cache(maxsize=64)
def _findings(code: str, at: int, published_only: bool) -> list:
    return check_dataset(dataset(code, published_only, at))


def check_dataset(ds: Dataset) -> list:
    return checks.check(ds.plan, ruleset(ds.spec.ruleset), ds.editions(), ds.spec.current_vintage)


def _build(code: str, published_only: bool) -> Dataset:
    plan = m.Plan.objects.select_related("entity").get(code=code)
    elements = list(plan.elements.select_related("parent").order_by("position"))
    alignments: dict[str, list[str]] = {}
    for a in plan.alignments.all():
        alignments.setdefault(a.code, []).append(f"{a.target_plan}:{a.target_code}" if a.target_plan else a.target_code)
    spec = PlanSpec.model_validate({
        "code": plan.code, "kind": plan.kind, "name": plan.name, "ruleset": plan.ruleset, "entity": plan.entity.code,
        "entity_name": plan.entity.name, "period": {"start": plan.period_start, "end": plan.period_end},
        "current_vintage": plan.current_vintage,
        "vintages": [{"code": v.code, "name": v.name, "seed": v.seed, "date": v.date, "stated_formula": v.stated_formula or None}
                     for v in plan.vintages.order_by("position")],
        "texts": plan.texts, "levels": plan.levels,
        "elements": [{"code": e.code, "level": e.level, "name": e.name, "parent": e.parent.code if e.parent else None,
                      "attributes": e.attributes, "texts": e.texts, "aligned_to": alignments.get(e.code, [])} for e in elements],
    })
    indicators = tuple(
        IndicatorSpec.model_validate({
            "code": i.code, "name": i.name, "element": i.element.code, "entity": i.entity.code if i.entity else None,
            "responsible_unit": i.responsible_unit.name if i.responsible_unit else None, "data_source": i.data_source or None,
            "type": i.type or None, "direction": i.direction, "bound": i.bound or None, "accumulated": i.accumulated,
            "additive": i.additive, "unit": i.unit, "unit_label": i.unit_label or None, "decimals": i.decimals, "baseline_year": i.baseline_year,
            "valid_min": i.valid_min, "valid_max": i.valid_max, "numerator_label": i.numerator_label or None,
            "denominator_label": i.denominator_label or None, "registry_measure": i.registry_measure or None,
            "aligned_to": alignments.get(i.code, []), "texts": i.texts,
        })
        for i in plan.indicators.select_related("element", "entity", "responsible_unit").order_by("position")
    )
    records = [
        Record(code, year, period, kind, value, Status(status) if status else None, vintage, source, note, 0)
        for code, year, period, kind, value, status, vintage, source, note in m.Value.objects.filter(
            indicator__plan=plan, **({"state": m.Value.State.PUBLISHED} if published_only else {})
        ).values_list("indicator__code", "year", "period", "kind", "value", "status", "vintage__code", "source", "note")
    ]
    records += [
        Record(code, year, period, "progress", value, Status(status) if status else None, vintage, source, note, 0)
        for code, year, period, value, status, vintage, source, note in plan.published_figures.values_list(
            "code", "year", "period", "value", "status", "vintage__code", "source", "note")
    ]
    return Dataset(None, spec, indicators, tuple(records))


def global_version() -> tuple:
    """Changes whenever any plan's data changes: the key of pages that list every plan."""
    return tuple(m.Plan.objects.order_by("code").values_list("code", "version"))


def forget() -> None:
    """Drop every cached dataset and figure (tests roll data back, so versions can repeat there)."""
    with _lock:
        _datasets.clear()
    for cached in (_in_force, _defined_by, _evaluation, _findings, plan_versions.frozen):
        cached.cache_clear()
