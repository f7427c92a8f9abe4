"""`vigia load`: bring a bundled dataset into the database.

Idempotent: a second run of the same files writes nothing. A changed file updates exactly what
changed, and each changed field is recorded (old and new value) under a DatasetLoad.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from vigia.datasets import Dataset
from vigia.datasets.checks import figure_key

from . import models as m


@dataclass
class LoadResult:
    plan: str
    skipped: bool = False
    reason: str = ""  # why a load was skipped, when it was not for having no changes
    created: int = 0
    updated: int = 0
    deleted: int = 0
    changes: list[m.Change] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def checksum(ds: Dataset) -> str:
    """Of the files for a bundled folder (as earlier loads recorded it), else of the content."""
    if ds.path is None:
        return ds.fingerprint
    digest = hashlib.sha256()
    for name in ("plan.yaml", "indicators.yaml", "values.csv"):
        digest.update((ds.path / name).read_bytes())
    return digest.hexdigest()


def load_dataset(ds: Dataset, position: int = 0) -> LoadResult:
    """Bring ``ds`` into the database in one transaction; unchanged files are skipped."""
    if ds.path is not None and m.PlanVersion.objects.filter(plan__code=ds.code, number__gt=1).exists():
        return LoadResult(ds.code, skipped=True, reason="la oficina registró versiones de este plan; los datos incluidos no las reemplazan")
    digest = checksum(ds)
    last = m.DatasetLoad.objects.filter(plan__code=ds.code).order_by("-loaded_at", "-id").first()
    if last and last.checksum == digest:
        return LoadResult(ds.code, skipped=True)
    with transaction.atomic():
        return _Loader(ds, digest, first=last is None).run(position)


class _Loader:
    def __init__(self, ds: Dataset, digest: str, first: bool):
        self.ds, self.digest, self.first = ds, digest, first
        self.result = LoadResult(ds.code)

    def run(self, position: int) -> LoadResult:
        ds, spec = self.ds, self.ds.spec
        entities = {spec.entity: spec.entity_name or spec.entity}
        for i in ds.indicator_specs:
            if i.entity:
                entities.setdefault(i.entity, i.entity)
        existing = {e.code: e for e in m.Entity.objects.filter(code__in=entities)}
        m.Entity.objects.bulk_create([m.Entity(code=c, name=n) for c, n in entities.items() if c not in existing])
        entity_id = {e.code: e.id for e in m.Entity.objects.filter(code__in=entities)}

        plan_fields = {
            "kind": spec.kind, "name": spec.name, "ruleset": spec.ruleset, "entity_id": entity_id[spec.entity],
            "period_start": spec.period.start, "period_end": spec.period.end, "current_vintage": spec.current_vintage,
            "levels": [lv.model_dump(exclude_none=True) for lv in spec.levels], "texts": spec.texts, "position": position,
        }
        plan = m.Plan.objects.filter(code=spec.code).first()
        if plan is None:
            plan = m.Plan.objects.create(code=spec.code, **plan_fields)
            self.result.created += 1
        self.load = m.DatasetLoad.objects.create(plan=plan, checksum=self.digest)
        self._sync(m.Plan, {spec.code: plan}, {spec.code: plan_fields}, "plan")

        vintages = self._sync(
            m.Vintage, {v.code: v for v in plan.vintages.all()},
            {v.code: {"plan_id": plan.id, "code": v.code, "name": v.name, "seed": v.seed, "date": v.date,
                      "stated_formula": v.stated_formula or "", "position": k} for k, v in enumerate(spec.vintages)},
            "edición",
        )
        before = {e.code: e for e in plan.elements.all()}
        elements = self._sync(
            m.Element, dict(before),
            {e.code: {"plan_id": plan.id, "code": e.code, "level": e.level, "name": e.name, "position": k,
                      "attributes": e.attributes, "texts": e.texts} for k, e in enumerate(spec.elements)},
            "elemento",
        )
        parents = {e.code: {"parent_id": elements[e.parent].id if e.parent else None} for e in spec.elements}
        self._sync(m.Element, elements, parents, "elemento", silent=set(elements) - set(before))

        units = {}
        for i in ds.indicator_specs:
            if i.responsible_unit:
                key = (entity_id.get(i.entity), i.responsible_unit)
                units[key] = m.ResponsibleUnit.objects.get_or_create(entity_id=key[0], name=key[1])[0].id
        indicators = self._sync(
            m.Indicator, {i.code: i for i in plan.indicators.all()},
            {i.code: {
                "plan_id": plan.id, "code": i.code, "name": i.name, "element_id": elements[i.element].id,
                "entity_id": entity_id.get(i.entity), "responsible_unit_id": units.get((entity_id.get(i.entity), i.responsible_unit)),
                "data_source": i.data_source or "", "type": i.type or "", "direction": i.direction, "bound": i.bound or "",
                "accumulated": i.accumulated, "additive": i.additive, "unit": i.unit, "unit_label": i.unit_label or "",
                "baseline_year": i.baseline_year, "decimals": i.decimals, "valid_min": i.valid_min, "valid_max": i.valid_max,
                "numerator_label": i.numerator_label or "", "denominator_label": i.denominator_label or "",
                "registry_measure": i.registry_measure or "", "texts": i.texts, "position": k,
            } for k, i in enumerate(ds.indicator_specs)},
            "indicador",
        )
        links = [(e.code, t) for e in spec.elements for t in e.aligned_to] + [(i.code, t) for i in ds.indicator_specs for t in i.aligned_to]
        self._sync(
            m.Alignment, {(a.code, f"{a.target_plan}:{a.target_code}"): a for a in plan.alignments.all()},
            {(code, target): {"plan_id": plan.id, "code": code, "target_plan": target.split(":", 1)[0] if ":" in target else "",
                              "target_code": target.split(":", 1)[-1]} for code, target in links},
            "articulación",
        )
        values, figures = {}, {}
        for r in ds.records:
            if r.kind == "progress":
                figures[(r.vintage, r.indicator, r.year, r.period, r.source)] = {
                    "plan_id": plan.id, "vintage_id": vintages[r.vintage].id, "code": r.indicator, "year": r.year, "period": r.period,
                    "value": r.value, "status": r.status.value if r.status else "", "source": r.source, "note": r.note}
            else:
                values[r.key] = {
                    "indicator_id": indicators[r.indicator].id, "vintage_id": vintages[r.vintage].id, "year": r.year, "period": r.period,
                    "kind": r.kind, "value": r.value, "status": r.status.value if r.status else "", "source": r.source, "note": r.note}
        stored = m.Value.objects.filter(indicator__plan=plan).select_related("indicator", "vintage")
        self._sync(m.Value, {figure_key(v.indicator.code, v.vintage.code, v.year, v.period, v.kind, v.source): v for v in stored}, values, "valor")
        self._sync(m.PublishedFigure, {(f.vintage.code, f.code, f.year, f.period, f.source): f for f in plan.published_figures.select_related("vintage")}, figures, "cifra publicada")

        r = self.result
        self.load.created, self.load.updated, self.load.deleted = r.created, r.updated, r.deleted
        self.load.save()
        if r.changed:
            m.Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1)
        return r

    def _sync(self, model, existing: dict, desired: dict[object, dict], label: str, silent: set = frozenset()) -> dict:
        """Make the rows of ``model`` match ``desired`` (by natural key), recording each change.

        Keys in ``silent`` were created earlier in this load: completing them is not a change."""
        created = [model(**fields) for key, fields in desired.items() if key not in existing]
        changed, fields_touched, changes = [], set(), []
        for key, obj in existing.items():
            if key not in desired:
                continue
            diff = {f: v for f, v in desired[key].items() if getattr(obj, f) != v}
            for f, v in diff.items():
                if not self.first and key not in silent:
                    changes.append(m.Change(load=self.load, model=label, code=_code(key), field=f, old=_text(getattr(obj, f)), new=_text(v)))
                setattr(obj, f, v)
            if diff:
                changed.append(obj)
                fields_touched |= set(diff)
        counted = [obj for obj in changed if getattr(obj, "code", None) not in silent]
        gone = [obj for key, obj in existing.items() if key not in desired]
        if gone:
            changes += [m.Change(load=self.load, model=label, code=_code(k), field="*", old="(existía)", new="(eliminado del conjunto de datos)") for k, o in existing.items() if k not in desired]
            model.objects.filter(pk__in=[o.pk for o in gone]).delete()
        if created:
            model.objects.bulk_create(created)
            if not self.first:
                changes += [m.Change(load=self.load, model=label, code=_code(key), field="*", old="", new="(nuevo)") for key in desired if key not in existing]
        if changed:
            model.objects.bulk_update(changed, sorted(fields_touched))
        if changes:
            m.Change.objects.bulk_create(changes)
            self.result.changes += changes
        self.result.created += len(created)
        self.result.updated += len(counted)
        self.result.deleted += len(gone)
        merged = {k: v for k, v in existing.items() if k in desired}
        merged.update({getattr(obj, "code", None): obj for obj in created})  # code-keyed models use it to resolve ids
        return merged


def _code(key) -> str:
    return " ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)


def _text(value) -> str:
    return "" if value is None else str(value)
