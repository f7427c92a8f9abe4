"""Editing a plan on the web (the administrador): indicator fichas, the hierarchy and the targets.

Each edit is validated with the rules the workbook import applies (schema, structure, CEPLAN's
ficha checks, valid ranges), respects period locks and the versions that govern past years, is
saved all or nothing, and is kept in the history with who, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from pydantic import ValidationError

from vigia.core import inputs
from vigia.core import models as core
from vigia.core import plan_versions, store
from vigia.datasets.checks import structure_problems
from vigia.datasets.loader import describe
from vigia.datasets.schema import ElementSpec, IndicatorSpec
from vigia.datasets.workbook import layout as L
from vigia.methodology import ficha as rules
from vigia.methodology.model import Bound, Direction
from vigia.methodology.validation import NumberError, check_number, check_target_change, parse_number, shown

from . import locks
from .models import Submission
from .services import Invalid, bump

COMPUTED = ("direction", "bound", "additive", "accumulated")  # ficha fields the avance depends on
FICHA_TEXT = ("name", "data_source", "type", "unit_label", "numerator_label", "denominator_label")


@dataclass
class Saved:
    changed: int = 0
    warnings: list[str] = field(default_factory=list)


def _labels() -> dict[str, str]:
    return {key: label for label, key in L.FICHA_COLUMNS}


def _optional_number(raw, what: str, errors: list[str], integer: bool = False):
    try:
        value = parse_number(raw)
    except NumberError as exc:
        errors.append(f"{what}: {exc}.")
        return None
    if integer and value is not None:
        if not value.is_integer():
            errors.append(f"{what}: debe ser un número entero.")
            return None
        return int(value)
    return value


def _locked_years(plan: core.Plan, indicator: core.Indicator | None = None) -> list[int]:
    """Locked years in which the indicator (or any of the plan) has figures."""
    periods = locks.locked_periods(plan.id)
    if not periods:
        return []
    values = core.Value.objects.filter(indicator__plan=plan, **({"indicator": indicator} if indicator else {}))
    return sorted({y for y, p in values.values_list("year", "period") if locks.is_locked(plan.id, y, p, periods)})


def save_ficha(user, indicator: core.Indicator, data) -> Saved:
    """Change an indicator's ficha from a form (Spanish words as the workbook uses them)."""
    plan, code, errors = indicator.plan, indicator.code, []
    labels = _labels()

    def choice(key, options, what, required=True):
        raw = (data.get(key) or "").strip()
        if not raw:
            if required:
                errors.append(f"{code}, campo «{labels[key]}»: falta {what}.")
            return None
        try:
            return L.choice(raw, options, what)
        except ValueError as exc:
            errors.append(f"{code}, campo «{labels[key]}»: {exc}.")
            return None

    element = plan.elements.filter(code=(data.get("element") or "").strip()).first()
    if element is None:
        errors.append(f"{code}, campo «{labels['element']}»: «{shown(data.get('element'))}» no es un elemento del plan.")
    try:
        texts = inputs.texts(core.Indicator, data, FICHA_TEXT, where=code)
    except Invalid as exc:
        errors, texts = errors + exc.errors, {}
    spec = {key: texts.get(key) or None for key in FICHA_TEXT}
    spec.update({
        "code": code, "element": element.code if element else "-", "entity": (data.get("entity") or "").strip() or None,
        "responsible_unit": (data.get("responsible_unit") or "").strip() or None,
        "direction": choice("direction", L.DIRECTION_LABELS, "un sentido esperado"),
        "bound": choice("bound", L.BOUND_LABELS, "un límite permisible", False),
        "accumulated": bool(choice("accumulated", L.ACCUMULATED_LABELS, "«Acumulado» o «No acumulado»")),
        "additive": bool(choice("additive", L.YES_NO, "«Sí» o «No»", False)),
        "unit": choice("unit", L.UNIT_LABELS, "una unidad de medida"),
        "decimals": _optional_number(data.get("decimals"), f"{code}, campo «{labels['decimals']}»", errors, integer=True),
        "baseline_year": _optional_number(data.get("baseline_year"), f"{code}, campo «{labels['baseline_year']}»", errors, integer=True),
        "valid_min": _optional_number(data.get("valid_min"), f"{code}, campo «{labels['valid_min']}»", errors),
        "valid_max": _optional_number(data.get("valid_max"), f"{code}, campo «{labels['valid_max']}»", errors),
    })
    if errors:
        raise Invalid(errors)
    if spec["name"] is None:
        raise Invalid([f"{code}, campo «{labels['name']}»: falta el nombre."])
    issue = rules.bound_issue(code, Direction(spec["direction"]), Bound(spec["bound"]) if spec["bound"] else None)
    if issue:
        raise Invalid([issue.message])
    try:
        valid = IndicatorSpec.model_validate(spec)
    except ValidationError as exc:
        raise Invalid([f"{code}, campo «{labels.get(str(e['loc'][0]), e['loc'][0])}»: {describe(e)}." for e in exc.errors()]) from None
    figures = indicator.values.filter(vintage__code=plan.current_vintage, period="anual", value__isnull=False)
    targets = {v.year: v.value for v in figures if v.kind == "target"}
    actuals = {v.year: v.value for v in figures if v.kind == "actual"}
    issues = rules.check_indicator(code, valid.unit, Direction(valid.direction), Bound(valid.bound) if valid.bound else None,
                                   targets, actuals, valid.valid_min, valid.valid_max)
    errors = [i.message for i in issues if i.severity is rules.Severity.ERROR]
    computed_changed = [k for k in COMPUTED if (getattr(indicator, k) or None) != (getattr(valid, k) or None)]
    locked = _locked_years(plan, indicator)
    if computed_changed and locked:
        errors.append(f"{code}: cambiar {', '.join(labels[k].lower() for k in computed_changed)} cambiaría el avance de "
                      f"{', '.join(map(str, locked))}, bloqueado(s); registre una nueva versión del plan o pida que se desbloquee.")
    if errors:
        raise Invalid(errors)
    entity = core.Entity.objects.get_or_create(code=valid.entity, defaults={"name": valid.entity})[0] if valid.entity else None
    unit = core.ResponsibleUnit.objects.get_or_create(entity=entity, name=valid.responsible_unit)[0] if valid.responsible_unit else None
    with transaction.atomic():
        for key in FICHA_TEXT:
            setattr(indicator, key, getattr(valid, key) or "")
        indicator.element, indicator.entity, indicator.responsible_unit = element, entity, unit
        indicator.direction, indicator.bound = valid.direction, valid.bound or ""
        indicator.accumulated, indicator.additive, indicator.unit = valid.accumulated, valid.additive, valid.unit
        indicator.decimals, indicator.baseline_year = valid.decimals, valid.baseline_year
        indicator.valid_min, indicator.valid_max = valid.valid_min, valid.valid_max
        indicator._history_user, indicator._change_reason = user, "Ficha editada en la web"
        indicator.save()
        bump(plan.id)
    return Saved(1, [i.message for i in issues if i.severity is rules.Severity.WARNING])


# Hierarchy ------------------------------------------------------------------------------------


def _check_structure(plan: core.Plan, elements: list[ElementSpec]) -> None:
    ds = store.dataset(plan.code, published_only=True)
    spec = ds.spec.model_copy(update={"elements": elements})
    inds = tuple(i for i in ds.indicator_specs if i.element in {e.code for e in elements})
    problems = [f"{spec.elements[p.where[1]].code if p.where[0] == 'elements' else ''}: {p.message}."
                for p in structure_problems(spec, inds) if p.where[0] == "elements"]
    if problems:
        raise Invalid(problems)


def add_element(user, plan: core.Plan, code: str, level: str, name: str, parent: str | None) -> core.Element:
    """A new element of the hierarchy, placed after the last element under its parent."""
    code, parent = (code or "").strip(), (parent or "").strip() or None
    name = inputs.text(core.Element, "name", name, "Elemento nuevo")
    try:
        new = ElementSpec.model_validate({"code": code, "level": (level or "").strip(), "name": name, "parent": parent})
    except ValidationError as exc:
        raise Invalid([f"Elemento nuevo, campo «{e['loc'][0]}»: {describe(e)}." for e in exc.errors()]) from None
    if not new.name:
        raise Invalid(["Elemento nuevo: falta la denominación."])
    current = list(store.dataset(plan.code, published_only=True).spec.elements)
    below = {parent} if parent else set()
    at = len(current)
    if parent:
        for k, e in enumerate(current):
            if e.code in below or e.parent in below:
                below.add(e.code)
                at = k + 1
    _check_structure(plan, current[:at] + [new] + current[at:])
    with transaction.atomic():
        position = current[at - 1] if at else None
        after = plan.elements.get(code=position.code).position if position else -1
        plan.elements.filter(position__gt=after).update(position=F("position") + 1)
        element = core.Element(plan=plan, code=new.code, level=new.level, name=new.name, position=after + 1,
                               parent=plan.elements.get(code=parent) if parent else None)
        element._history_user, element._change_reason = user, "Elemento agregado en la web"
        element.save()
        bump(plan.id)
    return element


def update_element(user, element: core.Element, name: str, parent: str | None) -> None:
    """Rename an element or hang it from another parent (its level must allow it)."""
    plan, parent = element.plan, (parent or "").strip() or None
    name = inputs.text(core.Element, "name", name, element.code)
    if not name:
        raise Invalid([f"{element.code}: falta la denominación."])
    current = list(store.dataset(plan.code, published_only=True).spec.elements)
    changed = [e.model_copy(update={"name": name, "parent": parent}) if e.code == element.code else e for e in current]
    _check_structure(plan, changed)
    with transaction.atomic():
        element.name, element.parent = name, plan.elements.get(code=parent) if parent else None
        element._history_user, element._change_reason = user, "Elemento editado en la web"
        element.save()
        bump(plan.id)


def delete_element(user, element: core.Element) -> None:
    """Remove an element that has nothing under it (no elements, no indicators, no analyses)."""
    if element.children.exists() or element.indicators.exists():
        raise Invalid([f"{element.code} tiene elementos o indicadores debajo: muévalos o elimínelos primero."])
    from .models import ObjectiveAnalysis

    if ObjectiveAnalysis.objects.filter(element=element).exists():
        raise Invalid([f"{element.code} tiene análisis registrados en campañas: no se puede eliminar."])
    with transaction.atomic():
        element._history_user, element._change_reason = user, "Elemento eliminado en la web"
        plan_id = element.plan_id
        element.delete()
        bump(plan_id)


# Targets ----------------------------------------------------------------------------------------


def grid_years(plan: core.Plan) -> list[int]:
    """Columns of the targets grid: from the plan's first year with figures (or its start) to its horizon."""
    years = set(core.Value.objects.filter(indicator__plan=plan, kind__in=("baseline", "target", "actual")).values_list("year", flat=True))
    start = min([y for y in (plan.period_start, *years) if y] or [plan.period_end or 0])
    end = max([y for y in (plan.period_end, *years) if y] or [start])
    return list(range(start, end + 1)) if start else []


def target_refusal(plan_id: int, code: str, year: int, period: str = "anual", periods: set | None = None) -> str | None:
    """Why a logro esperado of ``year`` cannot change here: its period is locked, or an earlier
    version of the plan governs that year (a change to it is a new version)."""
    if locks.is_locked(plan_id, year, period, periods):
        return locks.message(f"{code}, logro esperado {year}", year, period)
    governing = plan_versions.governing(plan_id, year, period)
    if governing is not None:
        return (f"{code}, logro esperado {year}: ese año se rige por la versión {governing.number} del plan "
                f"({governing.legal_reference}); para cambiarlo registre una nueva versión.")
    return None


def save_targets(user, plan: core.Plan, cells: dict[tuple[str, int], str], resolution: str = "", period: str = "anual") -> Saved:
    """Set the logros esperados of a grid ({(indicator, year): typed text}); all or nothing.

    An empty cell removes the target; ND/SD are statuses. A target that already has an approved
    value changes only with the resolution that approves the change; a locked period or a year
    governed by an earlier version of the plan does not change here."""
    resolution = inputs.text(core.Value, "resolution", resolution)
    vintage = plan.vintages.get(code=plan.current_vintage)
    indicators = {i.code: i for i in plan.indicators.filter(code__in={c for c, _ in cells})}
    existing = {(v.indicator.code, v.year): v for v in core.Value.objects.filter(
        indicator__plan=plan, vintage=vintage, period=period, kind="target").select_related("indicator")}
    approved = set(Submission.objects.filter(campaign__plan=plan, campaign__period=period, approved_at__isnull=False)
                   .values_list("indicator__code", "campaign__year"))
    periods = locks.locked_periods(plan.id)
    errors, planned = [], []
    for (code, year), raw in sorted(cells.items()):
        ind = indicators.get(code)
        if ind is None:
            errors.append(f"«{code}» no es un indicador de {plan.code}.")
            continue
        text = (raw or "").strip()
        status, value = (text.upper(), None) if text.upper() in ("ND", "SD") else ("", None)
        if not status:
            check = check_number(code, f"logro esperado {year}", text, unit=ind.unit, valid_min=ind.valid_min, valid_max=ind.valid_max)
            if not check.ok:
                errors += check.errors
                continue
            value = check.value
        current = existing.get((code, year))
        if ((current.value, current.status) if current else (None, "")) == (value, status):
            continue
        if status:
            errors.append(f"{code}, logro esperado {year}: un logro esperado es un número, no {status}.")
            continue
        refusal = target_refusal(plan.id, code, year, period, periods)
        if refusal:
            errors.append(refusal)
            continue
        errors += check_target_change(f"{code} {year}", (code, year) in approved and current is not None, resolution)
        planned.append((ind, year, current, value, status))
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        for ind, year, current, value, status in planned:
            reason = f"Logro esperado {year} fijado en la web. {resolution}".strip()
            if value is None and not status:
                current._history_user, current._change_reason = user, reason.replace("fijado", "eliminado")
                current.delete()
                continue
            v = current or core.Value(indicator=ind, vintage=vintage, year=year, period=period, kind="target",
                                      source=f"Oficina de planeamiento{'; ' + resolution if resolution else ''}")
            v.value, v.status = value, status
            v.resolution = resolution or v.resolution
            v._history_user, v._change_reason = user, reason
            v.save()
        if planned:
            bump(plan.id)
    warnings = []
    for ind in {p[0] for p in planned}:
        targets = dict(core.Value.objects.filter(indicator=ind, vintage=vintage, period=period, kind="target").values_list("year", "value"))
        issue = rules.direction_issue(ind.code, Direction(ind.direction), targets)
        if issue:
            warnings.append(issue.message)
    return Saved(len(planned), warnings)
