"""Request parsing shared by the internal pages and the portal: plan, year, vintage, period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from vigia.core import store
from vigia.datasets import Dataset
from vigia.methodology import Evaluation
from vigia.methodology.validation import shown
from vigia.presentation import matrix as presenters
from vigia.reporting import figures
from vigia.reporting.permissions import PUBLIC, Audience


@dataclass
class PlanView:
    ds: Dataset
    ev: Evaluation
    year: int
    years: list[int]
    vintage: str
    period: str
    version: int
    audience: Audience = PUBLIC
    portal: bool = False  # the portal's pages (their own addresses), always for the public audience

    @property
    def cache_key(self) -> tuple:
        return (self.ds.code, self.version, self.audience.key, self.portal)

    @property
    def rules(self):
        return self.ev.rules


def plan_view(code: str, query, audience: Audience = PUBLIC, year: int | None = None, portal: bool = False) -> PlanView:
    """The plan as ``audience`` may see it, and its evaluation for the year/edition/period the
    request asks (404 in Spanish if unknown)."""
    try:
        at = store.version(code)
    except store.PlanNotFound:
        raise Http404(f"No existe el plan «{code}».") from None
    ds = figures.dataset(code, audience, at)
    vintage = query.get("edicion") or ds.spec.current_vintage
    if vintage not in ds.vintages:
        raise Http404(f"El plan {code} no tiene la edición «{shown(vintage)}» (ediciones: {', '.join(ds.vintages)}).")
    period = query.get("periodo", "anual")
    if period not in ("anual", "S1"):
        raise Http404(f"Periodo no válido: «{shown(period)}» (use anual o S1).")
    years = presenters.data_years(ds, vintage)
    if year is None:
        raw = query.get("anio")
        if raw and not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
            raise Http404(f"No existe el año «{shown(raw)}» para este plan.")
        year = int(raw) if raw else (presenters.default_year(ds) if vintage == ds.spec.current_vintage else (years or [None])[-1])
    if not years:  # a plan with no values yet (e.g. a programme's logical framework): show its structure
        year = year or ds.spec.period.end or date.today().year
        years = [year]
    elif year not in years:
        raise Http404(f"No existe el año {year} para este plan: {code} tiene datos de {years[0]} a {years[-1]}.")
    ev = figures.evaluation(code, year, vintage, period, audience, at)
    ds = figures.dataset(code, audience, at, year, period)  # the version of the plan in force that year
    return PlanView(ds, ev, year, years, vintage, period, at, audience, portal)


def links(pv: PlanView, code: str | None = None) -> dict:
    """URLs of the plan's pages: the portal's stable per-year URLs, or the internal pages."""
    plan, year, published_only = pv.ds.code, pv.year, pv.portal
    if published_only:
        base = f"/transparencia/{plan}/{year}"
        out = {"dashboard_url": f"{base}/", "matrix_url": f"{base}/", "download_base": f"{base}/datos",
               "indicator_base": f"{base}/indicadores/", "public": True}
    else:
        out = {"dashboard_url": f"/planes/{plan}/?anio={year}", "matrix_url": f"/planes/{plan}/matriz/",
               "download_base": f"/planes/{plan}/matriz", "indicator_base": f"/planes/{plan}/indicadores/", "public": False}
    if code:
        query = f"?anio={year}" + (f"&edicion={pv.vintage}" if pv.vintage != pv.ds.spec.current_vintage else "")
        out["chart_url"] = f"{out['indicator_base']}{code}/grafico.svg{'' if published_only else query}"
    return out
