"""Editing a plan on the web, beyond /admin/: indicator fichas, the hierarchy, and the targets of
every year to the horizon in one grid per objective (or per indicator). Administrador only."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from vigia.core import models as core
from vigia.datasets.workbook import layout as L

from . import plan_editing
from . import permissions as perms
from .permissions import internal
from .services import Invalid

EDIT = "Solo un administrador de la oficina de planeamiento edita los planes."


def _plan(request, plan: str) -> core.Plan:
    perms.require(perms.can_manage(request.user), EDIT)
    return get_object_or_404(core.Plan.objects.select_related("entity"), code=plan)


@internal
@require_http_methods(["GET", "POST"])
def ficha(request, plan, code):
    p = _plan(request, plan)
    ind = get_object_or_404(core.Indicator.objects.select_related("element", "entity", "responsible_unit"), plan=p, code=code)
    errors = []
    if request.method == "POST":
        try:
            saved = plan_editing.save_ficha(request.user, ind, request.POST)
            messages.success(request, f"Ficha de {code} guardada." + "".join(f" Aviso: {w}" for w in saved.warnings))
            return redirect("reporting:plan_ficha", plan=plan, code=code)
        except Invalid as exc:
            errors = exc.errors
    form = request.POST if errors else {
        "name": ind.name, "element": ind.element.code, "entity": ind.entity.code if ind.entity else "",
        "responsible_unit": ind.responsible_unit.name if ind.responsible_unit else "", "data_source": ind.data_source,
        "type": ind.type, "direction": L.DIRECTION_LABELS[ind.direction], "bound": L.BOUND_LABELS.get(ind.bound, ""),
        "accumulated": L.ACCUMULATED_LABELS[ind.accumulated], "additive": L.YES_NO[ind.additive], "unit": L.UNIT_LABELS[ind.unit],
        "unit_label": ind.unit_label, "decimals": ind.decimals, "baseline_year": ind.baseline_year, "valid_min": ind.valid_min,
        "valid_max": ind.valid_max, "numerator_label": ind.numerator_label, "denominator_label": ind.denominator_label}
    return render(request, "reporting/plans/ficha.html", {
        "plan": p, "ind": ind, "form": form, "errors": errors, "elements": p.elements.order_by("position"),
        "choices": {"direction": L.DIRECTION_LABELS.values(), "bound": L.BOUND_LABELS.values(), "accumulated": L.ACCUMULATED_LABELS.values(),
                    "additive": L.YES_NO.values(), "unit": L.UNIT_LABELS.values()},
        "history": ind.history.select_related("history_user")[:20]}, status=422 if errors else 200)


@internal
@require_http_methods(["GET", "POST"])
def structure(request, plan):
    p = _plan(request, plan)
    errors = []
    if request.method == "POST":
        action, post = request.POST.get("accion"), request.POST
        try:
            if action == "agregar":
                e = plan_editing.add_element(request.user, p, post.get("codigo"), post.get("nivel"), post.get("nombre"), post.get("depende_de"))
                messages.success(request, f"Elemento {e.code} agregado.")
            elif action in ("guardar", "eliminar"):
                element = get_object_or_404(core.Element, plan=p, code=post.get("codigo"))
                if action == "guardar":
                    plan_editing.update_element(request.user, element, post.get("nombre"), post.get("depende_de"))
                    messages.success(request, f"Elemento {element.code} guardado.")
                else:
                    plan_editing.delete_element(request.user, element)
                    messages.success(request, f"Elemento {element.code} eliminado.")
            else:
                raise Invalid(["Acción desconocida."])
            return redirect("reporting:plan_structure", plan=plan)
        except Invalid as exc:
            errors = exc.errors
    elements = list(p.elements.select_related("parent").order_by("position"))
    depth = {}
    for e in elements:
        depth[e.code] = min(depth[e.parent.code] + 1, 4) if e.parent else 0  # indentation classes go to 4
    return render(request, "reporting/plans/structure.html", {
        "plan": p, "rows": [(e, depth[e.code], e.indicators.count()) for e in elements], "levels": p.levels, "errors": errors,
        "form": request.POST if errors else {}}, status=422 if errors else 200)


@internal
@require_http_methods(["GET", "POST"])
def targets(request, plan):
    """Logros esperados of every year to the horizon, for the indicators of one objective (or one indicator)."""
    p = _plan(request, plan)
    period = request.GET.get("periodo", "anual") if request.GET.get("periodo") in ("anual", "S1") else "anual"
    scope = request.GET.get("elemento") or ""
    code = request.GET.get("indicador") or ""
    indicators = _scope(p, scope, code)
    years = plan_editing.grid_years(p)
    errors, typed = [], {}
    if request.method == "POST":
        typed = {(i.code, y): request.POST.get(f"meta-{i.code}-{y}", "") for i in indicators for y in years}
        try:
            saved = plan_editing.save_targets(request.user, p, typed, request.POST.get("resolucion", ""), period)
            messages.success(request, f"Se guardaron {saved.changed} logros esperados." + "".join(f" Aviso: {w}" for w in saved.warnings))
            return redirect(request.get_full_path())
        except Invalid as exc:
            errors = exc.errors
    current = {(v.indicator.code, v.year): v for v in core.Value.objects.filter(
        indicator__in=indicators, vintage__code=p.current_vintage, period=period, kind="target").select_related("indicator")}
    rows = [{"ind": i, "cells": [{"year": y, "name": f"meta-{i.code}-{y}",
                                  "value": typed.get((i.code, y)) if errors else _shown(current.get((i.code, y)))} for y in years]}
            for i in indicators]
    return render(request, "reporting/plans/targets.html", {
        "plan": p, "rows": rows, "years": years, "errors": errors, "period": period, "scope": scope, "code": code,
        "objectives": p.elements.filter(parent__isnull=True).order_by("position"), "resolution": request.POST.get("resolucion", "")},
        status=422 if errors else 200)


def _scope(plan: core.Plan, element: str, indicator: str) -> list[core.Indicator]:
    qs = plan.indicators.select_related("element").order_by("position")
    if indicator:
        return list(qs.filter(code=indicator))
    if not element:
        return list(qs)
    below, frontier = {element}, {element}
    while frontier:
        frontier = set(plan.elements.filter(parent__code__in=frontier).values_list("code", flat=True)) - below
        below |= frontier
    return list(qs.filter(element__code__in=below))


def _shown(value: core.Value | None) -> str:
    if value is None:
        return ""
    return value.status or (str(int(value.value)) if value.value.is_integer() else repr(value.value))
