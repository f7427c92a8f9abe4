"""«Registro penitenciario» pages: a plan's registry measures on maps, by month and by establishment,
internal (every figure) and on the portal (cells under 5 persons suppressed). The figures come from
the imported extract's aggregates (``vigia.registry``); the page model from ``presentation.registry``."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.views.decorators.http import require_GET

from vigia.methodology.model import Direction
from vigia.methodology.validation import shown
from vigia.presentation import registry as presenter
from vigia.registry import Registry, RegistryError
from vigia.registry.measures import BY_NAME
from vigia.reporting.permissions import PUBLIC, audience, internal, sees_registry_cells

from . import caching
from .context import PlanView, links, plan_view

MAP_URL = f"{settings.STATIC_URL}vigia/vendor/peru-geojson/peru_departamental_simple.geojson"


def open_registry() -> Registry | None:
    """The imported extract, or None when there is none yet."""
    try:
        return Registry.open(settings.DATA_DIR)
    except RegistryError:
        return None


def linked(pv: PlanView) -> dict[str, str]:
    """measure → the plan's indicator linked to it (ficha: registry_measure)."""
    out = {}
    for spec in pv.ds.indicator_specs:
        if spec.registry_measure:
            out.setdefault(spec.registry_measure, spec.code)
    return out


def target_for(pv: PlanView, code: str | None, year: int) -> presenter.Target | None:
    """The linked indicator's logro esperado for `year` (as this audience may see it), if any."""
    if not code:
        return None
    obs = pv.ds.series(pv.vintage, "anual").get(code)
    goal = obs.targets.get(year) if obs else None
    if goal is None or goal.value is None:
        return None
    spec = pv.ds.indicator_spec(code)
    return presenter.Target(code, year, goal.value, Direction(spec.direction), pv.rules)


def _date(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Http404(f"Fecha no válida: «{shown(raw)}» (use AAAA-MM-DD).") from None


def context(pv: PlanView, query, registry: Registry | None, measure: str | None = None, public: bool | None = None) -> dict:
    """The page's context for `query` (medida, fecha, unidad, orden, dir); `public` (default: on the
    portal) suppresses the cells under 5 persons."""
    public = pv.portal if public is None else public
    links_ = linked(pv)
    ctx = {"pv": pv, "plan": pv.ds.spec, "registry": registry, "linked": links_, **links(pv)}
    if registry is None:
        return ctx
    name = measure or query.get("medida") or next(iter(links_), "sobrepoblacion")
    if name not in BY_NAME:
        raise Http404(f"No existe la medida «{shown(name)}» (medidas: {', '.join(BY_NAME)}).")
    scope, _, code = (query.get("unidad") or "").partition(":")
    on = _date(query.get("fecha"))
    on = on if on in registry.standard_dates() else registry.info.cutoff
    target = target_for(pv, links_.get(name), on.year)
    view = presenter.build(registry, name, on, (scope, code) if code else None, public=public, target=target,
                           sort=query.get("orden", "codigo"), descending=query.get("dir") == "desc")
    for chart in (view.departments, view.offices):
        if chart:
            chart.geo = {**chart.geo, "url": MAP_URL}
    ctx.update({"view": view, "measures": presenter.MEASURES, "indicator_code": links_.get(name),
                "dates": list(reversed(view.dates)), "sorts": _sorts(view, query), "public": public})
    return ctx


def _sorts(view: presenter.View, query) -> dict[str, dict]:
    """Each sortable column's link (the other direction when it is the current one) and aria-sort."""
    base = {k: v for k, v in query.items() if k in ("medida", "fecha", "unidad")}
    out = {}
    for key in presenter.SORTS:
        current = key == view.sort
        descending = not view.descending if current else key in ("valor", "capacidad")
        params = {**base, "orden": key, "dir": "desc" if descending else "asc"}
        out[key] = {"query": "?" + "&".join(f"{k}={v}" for k, v in params.items()),
                    "aria": ("descending" if view.descending else "ascending") if current else None}
    return out


def _key(pv: PlanView, registry: Registry | None) -> tuple:
    return (*pv.cache_key, "registro", registry.info.sha256 if registry else None, registry.info.imported if registry else None)


@internal
@require_GET
def page(request, plan):
    pv = plan_view(plan, {}, audience(request.user))
    registry, public = open_registry(), not sees_registry_cells(request.user)
    return caching.page(request, f"Registro penitenciario · {pv.ds.spec.name}", (*_key(pv, registry), public), "vigia/registry.html",
                        lambda: context(pv, request.GET, registry, public=public))


@login_not_required
@require_GET
def portal_page(request, plan):
    pv = plan_view(plan, {}, PUBLIC, portal=True)
    registry = open_registry()
    return caching.page(request, f"Registro penitenciario · {pv.ds.spec.name}", _key(pv, registry), "vigia/registry.html",
                        lambda: context(pv, request.GET, registry))


def indicator_block(pv: PlanView, spec) -> dict:
    """What an indicator page linked to a measure shows of it: maps, series and the way to the page."""
    if not spec.registry_measure:
        return {}
    registry = open_registry()
    found = {"registry_measure": spec.registry_measure, "registry_label": BY_NAME[spec.registry_measure].label, "registry_view": None}
    if registry is None:
        return found
    ctx = context(pv, {}, registry, spec.registry_measure)
    return {**found, "registry_view": ctx["view"], "registry_url": _page_url(pv, spec.registry_measure)}


def _page_url(pv: PlanView, measure: str) -> str:
    return f"/transparencia/{pv.ds.code}/registro/?medida={measure}" if pv.portal else f"/planes/{pv.ds.code}/registro/?medida={measure}"
