"""Public transparency portal (no login): published figures only, open data, stable URLs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from vigia.core import store
from vigia.presentation import periods
from vigia.presentation.matrix import matches, objective_of
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
    """The plan's latest complete year; a plan without published figures shows its structure."""
    pv = _view(plan, None, {})
    if periods.year_statuses(pv.ds, pv.vintage):
        return redirect("portal:plan", plan=plan, year=pv.year)
    return caching.page(request, pv.ds.spec.name, pv.cache_key, "vigia/portal/empty.html", lambda: dashboard_context(pv))


@login_not_required
@require_GET
def plan(request, plan, year):
    pv = _view(plan, year, request.GET)
    if not periods.year_statuses(pv.ds, pv.vintage):
        raise Http404(f"{pv.ds.spec.name} aún no tiene datos publicados.")
    template = "vigia/_matrix_table.html" if request.htmx and request.htmx.target == "matriz" else "vigia/portal/plan.html"
    return caching.page(request, f"{pv.ds.spec.name} {year}", pv.cache_key, template,
                        lambda: {**dashboard_context(pv, request.GET), **matrix_context(request, pv)})


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


def search_results(words: str) -> list[dict]:
    """Indicators of every plan whose code, name or objective has all the words, linked to their latest year."""
    found = []
    for code in store.m.Plan.objects.values_list("code", flat=True):
        pv = _view(code, None, {})
        has_data = bool(periods.year_statuses(pv.ds, pv.vintage))
        tops = objective_of(pv.ds)
        names = {e.code: e.name for e in pv.ds.spec.elements}
        for spec in pv.ds.indicator_specs:
            if matches(words, spec.code, f"{spec.name} {names.get(tops.get(spec.code, ''), '')}"):
                row = pv.ev.row(spec.code) if has_data else None
                found.append({"plan": pv.ds.spec, "spec": spec, "year": pv.year if has_data else None, "row": row, "rules": pv.rules})
    return found


@login_not_required
@require_GET
def search(request):
    words = request.GET.get("buscar", "").strip()[:100]
    return caching.page(request, f"Buscar «{words}»" if words else "Buscar indicadores", ("portal", store.global_version()),
                        "vigia/portal/search.html", lambda: {"words": words, "results": search_results(words) if words else []})
