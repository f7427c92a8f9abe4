"""Public transparency portal (no login): published figures only, open data, stable URLs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from vigia.core import store
from vigia.methodology.bands import displayed

from . import presenters
from .context import plan_view
from .views import chart_svg, index_band, dashboard_context, indicator_context, matrix_context, matrix_file

PUBLIC = True  # every view here reads published data only


def _view(plan: str, year: int | None, query):
    return plan_view(plan, query, published_only=PUBLIC, year=year)


@login_not_required
@require_GET
def home(request):
    plans = []
    for plan in store.m.Plan.objects.select_related("entity").all():
        pv = _view(plan.code, None, {})
        plans.append({"plan": plan, "year": pv.year, "years": [y for y in pv.years if y <= pv.year], "index": displayed(pv.ev.index, pv.rules), "index_band": index_band(pv.ev), "pv": pv})
    return render(request, "vigia/portal/home.html", {"plans": plans})


@login_not_required
@require_GET
def plan_latest(request, plan):
    return redirect("portal:plan", plan=plan, year=_view(plan, None, {}).year)


@login_not_required
@require_GET
def plan(request, plan, year):
    pv = _view(plan, year, request.GET)
    ctx = dashboard_context(pv, published_only=PUBLIC)
    ctx.update(matrix_context(request, pv, published_only=PUBLIC))
    template = "vigia/_matrix_table.html" if request.htmx else "vigia/portal/plan.html"
    return render(request, template, ctx)


@login_not_required
@require_GET
def indicator(request, plan, year, code):
    pv = _view(plan, year, request.GET)
    return render(request, "vigia/indicator.html", indicator_context(pv, code, published_only=PUBLIC))


@login_not_required
@require_GET
def chart(request, plan, year, code):
    return chart_svg(_view(plan, year, request.GET), code, published_only=PUBLIC)


@login_not_required
@require_GET
def download(request, plan, year, fmt):
    return matrix_file(request, _view(plan, year, request.GET), fmt, published_only=PUBLIC)
