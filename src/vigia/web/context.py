"""Request parsing shared by the internal pages and the portal: plan, year, vintage, period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404

from vigia.core import store
from vigia.datasets import Dataset
from vigia.methodology import Evaluation
from vigia.presentation import matrix as presenters


@dataclass
class PlanView:
    ds: Dataset
    ev: Evaluation
    year: int
    years: list[int]
    vintage: str
    period: str
    version: int
    published_only: bool = False

    @property
    def cache_key(self) -> tuple:
        return (self.ds.code, self.version, self.published_only)

    @property
    def rules(self):
        return self.ev.rules


def plan_view(code: str, query, published_only: bool = False, year: int | None = None) -> PlanView:
    """The plan, and its evaluation for the year/edition/period the request asks (404 if unknown)."""
    try:
        at = store.version(code)
    except store.PlanNotFound:
        raise Http404(f"No existe el plan «{code}».") from None
    ds = store.dataset(code, published_only, at)
    vintage = query.get("edicion") or ds.spec.current_vintage
    if vintage not in ds.vintages:
        raise Http404(f"El plan {code} no tiene la edición «{vintage}».")
    period = query.get("periodo", "anual")
    if period not in ("anual", "S1"):
        raise Http404(f"Periodo no válido: «{period}» (use anual o S1).")
    years = presenters.data_years(ds, vintage)
    if year is None:
        raw = query.get("anio")
        year = int(raw) if raw and raw.isdigit() else (presenters.default_year(ds) if vintage == ds.spec.current_vintage else (years or [None])[-1])
    if not years:  # a plan with no values yet (e.g. a programme's logical framework): show its structure
        year = year or ds.spec.period.end or date.today().year
        years = [year]
    elif year not in years:
        raise Http404(f"El plan {code} no tiene datos para {year}.")
    ev = store.evaluation(code, year, vintage, period, published_only, at)
    return PlanView(ds, ev, year, years, vintage, period, at, published_only)


def links(pv: PlanView, code: str | None = None) -> dict:
    """URLs of the plan's pages: the portal's stable per-year URLs, or the internal pages."""
    plan, year, published_only = pv.ds.code, pv.year, pv.published_only
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
