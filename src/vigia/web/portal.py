"""Public transparency portal (no login): published figures only, open data, stable URLs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from vigia.core import store
from vigia.reporting.permissions import PUBLIC

from . import caching
from .context import plan_view
from .views import chart_svg, dashboard_context, indicator_context, matrix_context, matrix_file, plan_cards


def _view(plan: str, year: int | None, query):
    return plan_view(plan, query, PUBLIC, year=year, portal=True)


@login_not_required
@require_GET
def home(request):
    return caching.page(request, "Transparencia", ("portal", store.global_version()), "vigia/portal/home.html",
                        lambda: {"plans": plan_cards(PUBLIC, portal=True)})


@login_not_required
@require_GET
def plan_latest(request, plan):
    return redirect("portal:plan", plan=plan, year=_view(plan, None, {}).year)


@login_not_required
@require_GET
def plan(request, plan, year):
    pv = _view(plan, year, request.GET)
    template = "vigia/_matrix_table.html" if request.htmx else "vigia/portal/plan.html"
    return caching.page(request, f"{pv.ds.spec.name} {year}", pv.cache_key, template,
                        lambda: {**dashboard_context(pv), **matrix_context(request, pv)})


@login_not_required
@require_GET
def indicator(request, plan, year, code):
    pv = _view(plan, year, request.GET)
    return caching.page(request, f"{code} {year}", pv.cache_key, "vigia/indicator.html", lambda: indicator_context(pv, code))


@login_not_required
@require_GET
def chart(request, plan, year, code):
    return chart_svg(_view(plan, year, request.GET), code)


@login_not_required
@require_GET
def download(request, plan, year, fmt):
    return matrix_file(request, _view(plan, year, request.GET), fmt)
