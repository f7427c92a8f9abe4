"""Plan administration on the web: set up a plan from its workbook, register a modification as a
new version (upload, preview of what changes, confirm), see the versions and what changed
between two, lock and unlock published periods. Every action is checked here, server-side."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from vigia.core import inputs
from vigia.core import models as core
from vigia.core.inputs import Invalid
from vigia.core import plan_versions, store
from vigia.datasets import diff as differences
from vigia.datasets import workbook
from vigia.datasets.workbook import WorkbookError
from vigia.methodology.validation import shown
from vigia.web.exports import XLSX_TYPE

from . import locks, pending, plan_workbook
from . import permissions as perms
from .models import PeriodLock
from .permissions import internal
from .services import bump

MANAGE = "Solo un administrador de la oficina de planeamiento gestiona los planes."


@internal
def plans(request):
    """Every plan with its versions and locks, and the form to set up a new one."""
    rows = [(p, plan_versions.listed(p)[-1]) for p in core.Plan.objects.select_related("entity")]
    return render(request, "reporting/plans/list.html", {"plans": rows, "can_manage": perms.can_manage(request.user)})


@internal
def example(request):
    """A plan workbook to start from: the layout, the instructions and example rows to replace."""
    return _xlsx(workbook.write(workbook.example()), "plan-nuevo.xlsx")


@internal
def export(request, plan):
    """The plan's workbook (published figures), to edit and load back as a new version."""
    get_object_or_404(core.Plan, code=plan)
    return _xlsx(workbook.write(store.dataset(plan, published_only=True)), f"{plan}.xlsx")


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@internal
@require_POST
def upload(request, plan=None):
    """First step of an import: read and validate the workbook, then show what would change."""
    perms.require(perms.can_manage(request.user), MANAGE)
    f = request.FILES.get("archivo")
    meta = {"plan": plan, "code": (request.POST.get("codigo") or "").strip() or None,
            "applies_from": request.POST.get("vigente_desde") or "", "name": shown(getattr(f, "name", "plan.xlsx"))}
    try:
        meta.update(inputs.texts(core.PlanVersion, {"legal_reference": request.POST.get("norma"), "note": request.POST.get("descripcion")},
                                 ("legal_reference", "note")))
    except Invalid as exc:
        return _refused(request, plan, meta, [], exc.errors)
    back = redirect("reporting:plan", plan=plan) if plan else redirect("reporting:plans")
    if f is None:
        messages.error(request, "Elija el libro del plan (.xlsx).")
        return back
    problems = []
    if plan and not (meta["legal_reference"] and _date(meta["applies_from"])):
        problems.append("Una nueva versión necesita la norma que la aprueba y la fecha desde la que rige (AAAA-MM-DD).")
    try:
        found = _preview(f, meta)
    except WorkbookError as exc:
        return _refused(request, plan, meta, exc.problems, problems)
    if problems:
        return _refused(request, plan, meta, [], problems)
    token = pending.keep(request, f, meta)
    return render(request, "reporting/plans/preview.html", {
        "found": found, "meta": meta, "token": token, "plan": found.existing, "summary": differences.summary(found.changes),
        "changes": found.changes[:500], "more": max(0, len(found.changes) - 500), "warnings": found.warnings})


def _preview(f, meta: dict) -> plan_workbook.Import:
    source = f"{meta['legal_reference']} (libro del plan)" if meta["legal_reference"] else workbook.DEFAULT_SOURCE
    reading = plan_workbook.read(f, code=meta["plan"] or meta["code"], source=source)
    return plan_workbook.preview(reading, meta["plan"])


def _refused(request, plan, meta, problems, extra=()):
    return render(request, "reporting/plans/refused.html", {
        "plan": core.Plan.objects.filter(code=plan).first() if plan else None, "meta": meta, "problems": problems, "extra": extra},
        status=422)


@internal
@require_POST
def confirm(request):
    """Second step: load the kept workbook (validated again) as a new plan or a new version."""
    perms.require(perms.can_manage(request.user), MANAGE)
    token = request.POST.get("token", "")
    kept = pending.take(request, token)
    if kept is None:
        messages.error(request, "La vista previa venció o no es de esta sesión: suba el libro otra vez.")
        return redirect("reporting:plans")
    f, meta = kept
    try:
        found = _preview(f, meta)
        if meta["plan"]:
            version, _ = plan_workbook.new_version(found.reading, meta["plan"], meta["legal_reference"], _date(meta["applies_from"]),
                                                   request.user, meta["note"])
            messages.success(request, f"Versión {version.number} de {meta['plan']} registrada: rige desde el {version.applies_from:%d/%m/%Y}.")
        else:
            plan_workbook.create(found.reading, meta["legal_reference"], _date(meta["applies_from"]), request.user)
            messages.success(request, f"Plan {found.dataset.code} creado: {found.dataset.spec.name}.")
    except WorkbookError as exc:
        return _refused(request, meta["plan"], meta, exc.problems)
    finally:
        pending.drop(request, token)
    return redirect("reporting:plan", plan=meta["plan"] or found.dataset.code)


@internal
def plan(request, plan):
    """A plan's page of administration: versions, locked periods, workbook, editing."""
    p = get_object_or_404(core.Plan.objects.select_related("entity"), code=plan)
    versions = plan_versions.listed(p)
    years = sorted(set(core.Value.objects.filter(indicator__plan=p, kind__in=("target", "actual")).values_list("year", flat=True)))
    states = {(lk.year, lk.period): lk for lk in PeriodLock.objects.filter(plan=p).select_related("changed_by")}
    periods = sorted({(y, "anual") for y in years} | {(y, "S1") for y in years if core.Value.objects.filter(
        indicator__plan=p, year=y, period="S1").exists()} | set(states), reverse=True)
    return render(request, "reporting/plans/manage.html", {
        "plan": p, "versions": versions, "can_manage": perms.can_manage(request.user),
        "periods": [{"year": y, "period": per, "label": locks.label(y, per), "lock": states.get((y, per))} for y, per in periods],
        "lock_history": PeriodLock.history.filter(plan_id=p.id).select_related("history_user")[:50],
        "objectives": p.elements.filter(parent__isnull=True).order_by("position")})


@internal
def versions(request, plan):
    """What changed between two versions of the plan (structure, fichas, baselines and targets)."""
    p = get_object_or_404(core.Plan, code=plan)
    listed = plan_versions.listed(p)
    numbers = [v.number for v in listed]
    try:
        a, b = int(request.GET.get("de", numbers[-2] if len(numbers) > 1 else numbers[0])), int(request.GET.get("a", numbers[-1]))
    except ValueError:
        a, b = numbers[0], numbers[-1]
    if a not in numbers or b not in numbers:
        a, b = numbers[0], numbers[-1]
    stored = store.dataset(plan, published_only=True)
    old, new = (plan_versions.content(listed[numbers.index(n)], stored) for n in (a, b))
    changes = differences.diff(old, new, differences.PROGRAMME)
    return render(request, "reporting/plans/diff.html", {
        "plan": p, "versions": listed, "a": a, "b": b, "changes": changes, "summary": differences.summary(changes)})


@internal
@require_POST
def lock(request, plan):
    """Lock a published period, or unlock it (administrador, with the reason)."""
    p = get_object_or_404(core.Plan, code=plan)
    period, raw = request.POST.get("periodo", "anual"), request.POST.get("anio", "")
    if not raw.isdigit():
        messages.error(request, "Indique un año válido.")
        return redirect("reporting:plan", plan=plan)
    locked = request.POST.get("accion") == "bloquear"
    try:
        locks.set_lock(request.user, p, int(raw), period, locked, request.POST.get("motivo", ""))
    except Invalid as exc:
        messages.error(request, " ".join(exc.errors))
        return redirect("reporting:plan", plan=plan)
    bump(p.id)
    messages.success(request, f"{locks.label(int(raw), period)}: {'bloqueado' if locked else 'desbloqueado'}.")
    return redirect("reporting:plan", plan=plan)
