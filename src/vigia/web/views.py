"""Internal pages (login required): plans, dashboards, matrix, indicator pages and charts.

Each view picks the plan, year and filters, then hands a builder of its context to
``caching.page``: the builder runs only when the data or the address changed.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from vigia.core import store
from vigia.reporting import figures
from vigia.reporting.permissions import Audience, audience, internal
from vigia.documents import charts
from vigia.methodology import alerts as alert_rules
from vigia.methodology.bands import Band, displayed
from vigia.methodology.trajectory import project
from vigia.presentation import alerts as alert_text
from vigia.presentation import findings as plain_findings
from vigia.presentation import matrix as presenters
from vigia.presentation import outlook as outlooks
from vigia.presentation import periods
from vigia.presentation.levels import sections
from vigia.presentation.operations import CODES_NOTE, operations

from . import caching, exports, plan_charts
from . import registry as registry_pages
from .context import PlanView, links, plan_view


@require_GET
def home(request):
    return redirect("web:plans" if request.user.is_authenticated else "portal:home")


def index_band(ev):
    return ev.row("INDEX").band if ev.rules.index else None


def plan_cards(viewer: Audience, portal: bool = False) -> list[dict]:
    cards = []
    for plan in store.m.Plan.objects.select_related("entity").all():
        pv = plan_view(plan.code, {}, viewer, portal=portal)
        has_data = bool(periods.year_statuses(pv.ds, pv.vintage))
        cards.append({"plan": plan, "pv": pv, "has_data": has_data,
                      "index": displayed(pv.ev.index, pv.rules) if has_data else None, "index_band": index_band(pv.ev),
                      "years": year_links(pv) if has_data else []})
    return cards


def year_links(pv: PlanView) -> list[dict]:
    """The years a reader can open: those with obtained figures; a year still being reported says so."""
    running = periods.in_progress(pv.ds, pv.vintage)
    return [{"year": s.year, "current": s.year == pv.year, "progress": running[s.year].progress_label if s.year in running else ""}
            for s in periods.year_statuses(pv.ds, pv.vintage)]


@internal
@require_GET
def plans(request):
    viewer = audience(request.user)
    return caching.page(request, "Planes", (store.global_version(), viewer.key), "vigia/plans.html", lambda: {"cards": plan_cards(viewer)})


def dashboard_context(pv: PlanView, query=None) -> dict:
    ds, ev = pv.ds, pv.ev
    found = alert_rules.alerts(ev, ds.series(pv.vintage, pv.period)) if ds.spec.kind == "policy" else []
    outlook = outlook_of(pv) if ds.spec.kind != "pp" else None
    chosen = {"class": (query or {}).get("perspectiva", ""), "objective": (query or {}).get("perspectiva_objetivo", "")}
    ctx = {
        "pv": pv, "ds": ds, "ev": ev, "rules": ev.rules, "plan": ds.spec,
        "objectives": ev.objectives, "index": displayed(ev.index, ev.rules), "index_band": index_band(ev),
        "band_counts": presenters.band_counts(ev), "alerts": alert_text.shown(found, ds, pv.year, ev.rules),
        "indicator_rows": [r for r in ev.rows if r.is_indicator],
        "preliminary": _preliminary(pv),
        "charts": plan_charts.plan_charts(pv, outlook), "outlook": outlook,
        "outlook_rows": outlook.filtered(chosen["class"], chosen["objective"]) if outlook else [],
        "outlook_filter": chosen, "outlook_classes": outlooks.CLASSES, "outlook_objective_rule": outlooks.OBJECTIVE_RULE,
        "year_links": year_links(pv), "running": periods.in_progress(ds, pv.vintage).get(pv.year),
        "has_registry": any(i.registry_measure for i in ds.indicator_specs),
        **links(pv),
    }
    if ds.spec.kind == "pei":
        ctx["operations"] = operations(ds)
        ctx["codes_note"] = CODES_NOTE
        ctx["decimals"] = {i.code: i.decimals for i in ds.indicator_specs}
        ctx["oei_rows"] = [r for r in ev.rows if r.level in ("OEI", "IND.OEI")]
        ctx["aei_rows"] = [r for r in ev.rows if r.level in ("AEI", "IND.AEI")]
        ctx["critical"] = [r for r in ev.rows if r.level == "AEI" and r.band is Band.RED]
    if ds.spec.kind == "pp":
        ctx["elements"] = ds.spec.elements
        ctx["indicators_by_element"] = {}
        for i in ds.indicator_specs:
            ctx["indicators_by_element"].setdefault(i.element, []).append(i)
    return ctx


TEMPLATES = {"policy": "vigia/dashboard_policy.html", "pei": "vigia/dashboard_pei.html", "pp": "vigia/pp.html"}
GENERIC = "vigia/dashboard_plan.html"
SHAPES = {"pei": {"OEI", "AEI"}, "policy": {"OP"}, "pp": {"RE", "PROD"}}  # levels each dedicated dashboard is drawn around


def dashboard_template(spec) -> str:
    """The dedicated dashboard of the plan's kind when the plan has its shape, else the generic one."""
    levels = {lv.code for lv in spec.levels}
    return TEMPLATES[spec.kind] if SHAPES.get(spec.kind, {None}) <= levels else GENERIC


def generic_context(pv: PlanView) -> dict:
    """What the generic dashboard adds: a section per level of the plan's own hierarchy."""
    levels = pv.ds.spec.levels
    return {"sections": sections(pv.ev, levels), "top_level": levels[0].name,
            "kind_label": store.m.Plan.Kind(pv.ds.spec.kind).label}


@internal
@require_GET
def dashboard(request, plan):
    pv = plan_view(plan, request.GET, audience(request.user))
    template = dashboard_template(pv.ds.spec)
    build = (lambda: {**dashboard_context(pv, request.GET), **generic_context(pv)}) if template == GENERIC else (
        lambda: dashboard_context(pv, request.GET))
    return caching.page(request, f"{pv.ds.spec.name} {pv.year}", pv.cache_key, template, build)


def _preliminary(pv: PlanView) -> list[str]:
    """Codes whose figure of the year shown is, for this audience, a report not yet published."""
    return sorted(c for c, y in figures.preliminary(pv.ds.code, pv.audience, pv.version) if y == pv.year)


def matrix_context(request, pv: PlanView) -> dict:
    preliminary = _preliminary(pv)
    filters = presenters.Filters.from_query(request.GET)
    years = [y for y in pv.years if y <= pv.year]
    rows = presenters.matrix(pv.ds, pv.ev, years, filters, pv.vintage)
    query = request.GET.copy()
    if pv.portal:
        query.pop("anio", None)  # the year is in the portal's path
    return {"pv": pv, "plan": pv.ds.spec, "rows": rows, "years": years, "filters": filters,
            "options": presenters.options(pv.ds), "rules": pv.rules, "query": query.urlencode(),
            "shown": sum(r.is_indicator for r in rows), "rest_span": 5 + 2 * len(years), "preliminary": preliminary,
            "year_links": year_links(pv), **links(pv)}


@internal
@require_GET
def matrix(request, plan):
    pv = plan_view(plan, request.GET, audience(request.user))
    template = "vigia/_matrix_table.html" if request.htmx else "vigia/matrix.html"
    return caching.page(request, f"Matriz de seguimiento {pv.year} · {pv.ds.spec.name}", pv.cache_key, template,
                        lambda: matrix_context(request, pv))


def matrix_file(request, pv: PlanView, fmt: str):
    if fmt not in ("csv", "xlsx", "json"):
        raise Http404("Formato no disponible (use csv, xlsx o json).")
    return caching.download(request, pv.cache_key, lambda: _matrix_file(request, pv, fmt))


def _matrix_file(request, pv: PlanView, fmt: str):
    ctx = matrix_context(request, pv)
    header, body = presenters.export_table(ctx["rows"], ctx["years"], pv.year)
    name = f"{pv.ds.code}-matriz-{pv.year}"
    if fmt == "csv":
        return exports.csv_response(header, body, f"{name}.csv")
    if fmt == "xlsx":
        return exports.matrix_xlsx_response(f"Matriz {pv.year}", header, body, ctx["rows"], f"{name}.xlsx")
    return exports.json_response([dict(zip(header, row)) for row in body], f"{name}.json")


@internal
@require_GET
def matrix_download(request, plan, fmt):
    return matrix_file(request, plan_view(plan, request.GET, audience(request.user)), fmt)


def indicator_context(pv: PlanView, code: str) -> dict:
    ds, ev = pv.ds, pv.ev
    spec = _spec(pv, code)
    series = ds.series(pv.vintage, pv.period).get(code)
    row = ev.row(code)
    preliminary = figures.preliminary(ds.code, pv.audience, pv.version)
    history = []
    for y in pv.years:
        r = _row_in(ds.code, y, code, pv.vintage, pv.period, pv.audience, pv.version)
        if r is None:
            continue  # the version of the plan in force that year does not have the indicator
        actual = series.actual(y) if series else None
        history.append({"year": y, "target": series.target(y) if series else None, "actual": actual,
                        "progress": displayed(r.progress, ev.rules), "band": r.band, "reason": r.reason.text,
                        "label": figure_label(actual, (code, y) in preliminary)})
    parents = {e.code: e for e in ds.spec.elements}
    path, up = [], spec.element
    while up:
        path.insert(0, parents[up])
        up = parents[up].parent
    found = alert_rules.alerts(ev, ds.series(pv.vintage, pv.period)) if ds.spec.kind == "policy" else []
    found_alerts = [(a, item) for a in alert_text.shown(found, ds, pv.year, ev.rules) for item in a.items if item.code == code]
    findings = [(f, plain_findings.plain(f, ds)) for f in figures.findings(ds.code, pv.audience, pv.version)
                if code in f.code.split(", ")]
    latest = outlook_of(pv)  # the outlook to the horizon against the targets in force now
    trajectory = _trajectory(pv, code)
    published = [r for r in ds.records if r.indicator == code and r.kind == "progress"]
    return {"pv": pv, "ds": ds, "plan": ds.spec, "spec": spec, "row": row, "history": history, "path": path, "series": series,
            "alerts": found_alerts, "findings": findings, "trajectory": trajectory, "rules": ev.rules, "published": published,
            "chart": plan_charts.indicator_chart(pv, spec, series, history, trajectory),
            "outlook": next((r for r in latest.rows if r.code == code), None),
            "outlook_rules": outlooks.rules(ds.spec.period.end or pv.year), "year_links": year_links(pv),
            "audit": [] if pv.audience.public else audit_trail(ds.code, code, pv.audience), **links(pv, code),
            **registry_pages.indicator_block(pv, spec)}


def outlook_of(pv: PlanView):
    """The outlook to the horizon against the targets of the plan as it stands now (its newest
    version), whatever year the page shows."""
    return outlooks.plan_outlook(figures.dataset(pv.ds.code, pv.audience, pv.version), pv.vintage)


def _trajectory(pv: PlanView, code: str):
    """``code``'s projection to the horizon, judged like ``outlook_of`` against the targets in force now."""
    latest = figures.dataset(pv.ds.code, pv.audience, pv.version)
    series = latest.series().get(code)
    ind = next((i for i in latest.plan.indicators if i.code == code), None)
    return project(ind, series, latest.spec.period.end or pv.year) if series and ind else None


def figure_label(actual, preliminary: bool) -> str:
    """The status of an obtained figure as the portal labels it: preliminar / validado / revisado."""
    if actual is None or actual.missing and not actual.status:
        return ""
    if preliminary:
        return "preliminar"
    if "Revisado el" in actual.note:
        return "revisado el " + actual.note.split("Revisado el", 1)[1].strip().rstrip(".")
    return "validado"


def audit_trail(plan: str, code: str, viewer: Audience) -> list[dict]:
    """Every recorded change of the indicator: its ficha, its values and targets and the reports
    ``viewer`` may see (its own entity's, or for reviewers those sent to review: a draft stays
    with its entity)."""
    from vigia.reporting.models import State, Submission, Transition

    rows = [{"at": h.history_date, "who": h.history_user, "what": f"{h.get_kind_display()} {h.year}",
             "detail": f"{h.status or h.value} {h.history_change_reason or ''}".strip(), "kind": h.get_history_type_display()}
            for h in store.m.Value.history.filter(indicator__plan__code=plan, indicator__code=code).select_related("history_user")]
    rows += [{"at": h.history_date, "who": h.history_user, "what": "ficha", "detail": h.history_change_reason or "",
              "kind": h.get_history_type_display()}
             for h in store.m.Indicator.history.filter(plan__code=plan, code=code).select_related("history_user")]
    reports = Submission.objects.filter(indicator__plan__code=plan, indicator__code=code)
    indicator = store.m.Indicator.objects.filter(plan__code=plan, code=code).first()  # None: only an earlier version has it
    if indicator is None or not viewer.owns(indicator):
        reports = reports.filter(viewer.unpublished() | Q(state=State.PUBLISHED)) if viewer.reviewer else reports.none()
    rows += [{"at": t.at, "who": t.user, "what": f"reporte {t.submission.campaign.year}",
              "detail": f"{t.get_source_display()} → {t.get_target_display()}. {t.comment}".strip(), "kind": "transición"}
             for t in Transition.objects.filter(submission__in=reports).select_related("user", "submission__campaign")]
    rows += [{"at": h.history_date, "who": h.history_user, "what": f"reporte {h.campaign.year}",
              "detail": f"valor {h.status or h.value}; {h.history_change_reason or ''}".strip(), "kind": h.get_history_type_display()}
             for h in Submission.history.filter(id__in=reports.values("id")).select_related("history_user", "campaign")]
    return sorted(rows, key=lambda r: r["at"], reverse=True)


def _spec(pv: PlanView, code: str):
    try:
        return pv.ds.indicator_spec(code)
    except StopIteration:
        raise Http404(f"El plan {pv.ds.code} no tiene el indicador «{code}».") from None


@internal
@require_GET
def indicator(request, plan, code):
    pv = plan_view(plan, request.GET, audience(request.user))
    return caching.page(request, f"{code} {pv.year}", pv.cache_key, "vigia/indicator.html", lambda: indicator_context(pv, code))


def chart_svg(pv: PlanView, code: str) -> HttpResponse:
    _spec(pv, code)
    svg = _chart(pv.ds.code, pv.version, code, pv.vintage, pv.period, pv.year, pv.audience)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "max-age=300"
    return response


def _row_in(plan: str, year: int, code: str, vintage: str, period: str, viewer: Audience, at: int):
    """``code``'s row in the evaluation of ``year`` (None when the version in force then lacks it)."""
    return next((r for r in figures.evaluation(plan, year, vintage, period, viewer, at).rows if r.code == code), None)


@lru_cache(maxsize=256)
def _chart(plan: str, _version: int, code: str, vintage: str, period: str, year: int, viewer: Audience) -> bytes:
    """The evolution chart, cached per data version and audience, with the version of the plan in force in ``year``."""
    ds = figures.dataset(plan, viewer, _version, year, period)
    spec = ds.indicator_spec(code)
    series = ds.series(vintage, period).get(code)
    years = [y for y in presenters.data_years(ds, vintage) if y <= year]
    bands = [r.band if (r := _row_in(plan, y, code, vintage, period, viewer, _version)) else Band.ND for y in years]
    return charts.evolution(
        f"{code}: evolución del logro esperado y el valor obtenido",
        years,
        [series.target(y).value if series else None for y in years],
        [series.actual(y).value if series else None for y in years],
        bands,
        baseline=series.baseline.value if series else None,
        baseline_year=spec.baseline_year,
        percentage=spec.unit == "percentage",
    )


@internal
@require_GET
def indicator_chart(request, plan, code):
    return chart_svg(plan_view(plan, request.GET, audience(request.user)), code)
