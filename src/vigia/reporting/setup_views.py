"""Campaign set-up on the web: choose the indicators with checkboxes (filtered by entity,
objective and level), type the period's targets beside them, and open the campaign — or change
the indicators and targets of an open one. Refused forms come back with everything typed."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from vigia.core import models as core
from vigia.core.inputs import Invalid
from vigia.methodology.validation import check_year

from . import campaigns as rules
from . import permissions as perms
from . import setup
from .models import Campaign
from .permissions import internal

FIELDS = ("plan", "name", "year", "period", "opens", "deadline", "entity", "no_target_reason")


def _typed_targets(post, plan) -> dict[str, str]:
    return {code: post.get(f"meta-{code}", "") for code in plan.indicators.values_list("code", flat=True) if post.get(f"meta-{code}")}


def form_data(post, plan) -> dict:
    """The set-up form as ``campaigns.open_campaign`` reads it."""
    data = {name: post.get(name, "") for name in FIELDS}
    data["indicators"] = post.getlist("indicators")
    data["targets"] = _typed_targets(post, plan)
    return data


@internal
@require_http_methods(["GET", "POST"])
def new(request):
    perms.require(perms.can_manage(request.user), "Solo la oficina de planeamiento abre campañas.")
    source = request.POST if request.method == "POST" else request.GET
    plans = list(core.Plan.objects.all())
    plan = next((p for p in plans if p.code == source.get("plan")), plans[0])
    year, problem = check_year(source.get("year") or timezone.localdate().year - 1)
    year = year or timezone.localdate().year - 1
    period = source.get("period") if source.get("period") in Campaign.Period.values else Campaign.Period.YEAR
    errors, status = [], 200
    if request.method == "POST":
        data = form_data(request.POST, plan)
        try:
            opened = rules.open_campaign(request.user, plan, data)
        except Invalid as exc:
            errors, status = exc.errors, 422
        else:
            text = f"Campaña abierta con {opened.indicators} indicadores"
            text += f"; {opened.targets} logros esperados fijados" if opened.targets else ""
            text += f"; sin logro esperado: {', '.join(opened.without_target)} (motivo registrado)." if opened.without_target else "."
            messages.success(request, text)
            return redirect("reporting:campaign", pk=opened.campaign.pk)
    chosen = set(request.POST.getlist("indicators")) if request.method == "POST" else None
    if chosen is None and source.get("entity"):
        chosen = set(plan.indicators.filter(entity__code=source.get("entity")).values_list("code", flat=True))
    rows = setup.choices(plan, year, period, typed=_typed_targets(request.POST, plan) if request.method == "POST" else None,
                         chosen=chosen if chosen is not None else set())
    return render(request, "reporting/setup.html", {
        "plans": plans, "plan": plan, "year": year, "period": period, "periods": Campaign.Period.choices, "rows": rows,
        "filters": setup.filters(rows), "entities": core.Entity.objects.filter(indicators__plan=plan).distinct(),
        "form": source, "errors": errors, "campaign": None, "today": timezone.localdate(),
    }, status=status)


@internal
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """Add or remove indicators of an open campaign and set their targets."""
    perms.require(perms.can_manage(request.user), "Solo la oficina de planeamiento cambia campañas.")
    c = get_object_or_404(Campaign.objects.select_related("plan", "entity"), pk=pk)
    errors, status, typed, chosen = [], 200, None, None
    if request.method == "POST":
        chosen = set(request.POST.getlist("indicators"))
        typed = _typed_targets(request.POST, c.plan)
        current = set(c.indicators.values_list("code", flat=True))
        try:
            if not chosen:
                raise Invalid(["Campo «indicadores»: una campaña necesita al menos un indicador."])
            with transaction.atomic():
                added, removed = rules.change_indicators(request.user, c, sorted(chosen - current), sorted(current - chosen))
                set_ = rules.set_targets(request.user, c, typed, request.POST.get("no_target_reason", ""))
        except Invalid as exc:
            errors, status = exc.errors, 422
        else:
            messages.success(request, f"Campaña actualizada: {added} indicadores agregados, {removed} quitados, {set_} logros esperados fijados.")
            return redirect("reporting:campaign", pk=pk)
    rows = setup.choices(c.plan, c.year, c.period, campaign=c, typed=typed, chosen=chosen)
    return render(request, "reporting/setup.html", {
        "plan": c.plan, "year": c.year, "period": c.period, "rows": rows, "filters": setup.filters(rows),
        "form": request.POST if request.method == "POST" else {"no_target_reason": c.no_target_reason}, "errors": errors,
        "campaign": c, "entities": core.Entity.objects.filter(indicators__plan=c.plan).distinct(),
    }, status=status)
