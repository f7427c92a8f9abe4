"""What the pages and downloads show, built from a stored plan and its evaluation.

Views stay thin: they pick the plan, year and filters; this module turns the methodology's
results into rows. Downloads use the same rows, so a file always matches the screen.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from vigia.datasets import Dataset
from vigia.methodology import Evaluation, Row
from vigia.methodology.bands import ORDER, Band, displayed
from vigia.methodology.model import MISSING, Observation

from . import numbers, periods

SORTS = {
    "codigo": ("Código (orden del documento)", None),
    "avance": ("Avance (menor primero)", lambda r: (r.progress is None, r.progress or 0)),
    "-avance": ("Avance (mayor primero)", lambda r: (r.progress is None, -(r.progress or 0))),
    "nombre": ("Nombre", lambda r: r.name.lower()),
    "entidad": ("Entidad", lambda r: (r.entity or "", r.code)),
}


@dataclass
class MatrixRow:
    code: str
    level: str
    name: str
    depth: int
    is_indicator: bool
    measured: bool = True
    objective: str = ""
    entity: str | None = None
    type: str | None = None
    direction: str = ""
    accumulated: str = ""
    unit: str = "number"
    decimals: int | None = None
    baseline_year: int | None = None
    baseline: Observation = MISSING
    targets: list[Observation] = field(default_factory=list)  # one per year: a number, ND/SD, or not in the source
    actuals: list[Observation] = field(default_factory=list)
    progress: float | None = None
    band: Band = Band.ND
    reason: str = ""


def folded(text: str) -> str:
    """Lower case without accents, so «carcel» finds «cárcel»."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def matches(words: str, code: str, name: str) -> bool:
    """Every word of a search appears in the indicator's code or name."""
    haystack = folded(f"{code} {name}")
    return all(w in haystack for w in folded(words).split())


@dataclass
class Filters:
    band: str = ""
    entity: str = ""
    type: str = ""
    objective: str = ""
    sort: str = "codigo"
    search: str = ""

    @classmethod
    def from_query(cls, q) -> Filters:
        f = cls(q.get("banda", ""), q.get("entidad", ""), q.get("tipo", ""), q.get("objetivo", ""), q.get("orden", "codigo"),
                q.get("buscar", "").strip()[:100])
        if f.sort not in SORTS:
            f.sort = "codigo"
        return f

    @property
    def active(self) -> bool:
        return bool(self.band or self.entity or self.type or self.objective or self.search)

    def accepts(self, row: MatrixRow) -> bool:
        return (
            (not self.band or row.band.value == self.band)
            and (not self.entity or row.entity == self.entity)
            and (not self.type or (row.type or "") == self.type)
            and (not self.objective or row.objective == self.objective)
            and (not self.search or matches(self.search, row.code, row.name))
        )


@lru_cache(maxsize=256)
def data_years(ds: Dataset, vintage: str | None = None) -> list[int]:
    """Years with targets or actuals in the edition (cached: datasets are immutable)."""
    vintage = vintage or ds.spec.current_vintage
    return sorted({r.year for r in ds.records if r.vintage == vintage and r.kind in ("target", "actual")})


def default_year(ds: Dataset) -> int | None:
    """The year pages and documents open on: the latest complete one (see ``periods``)."""
    return periods.default_year(ds)


def objective_of(ds: Dataset) -> dict[str, str]:
    """Top-level objective code of every element and indicator."""
    parent = {e.code: e.parent for e in ds.spec.elements}

    def top(code):
        while parent.get(code):
            code = parent[code]
        return code

    out = {e.code: top(e.code) for e in ds.spec.elements}
    out.update({i.code: out[i.element] for i in ds.indicator_specs})
    return out


def matrix(ds: Dataset, ev: Evaluation, years: list[int], filters: Filters, vintage: str | None = None) -> list[MatrixRow]:
    """The 003-style matrix: hierarchy with indicator rows, filtered and sorted."""
    series = ds.series(vintage, ev.period)
    tops = objective_of(ds)
    rows: list[MatrixRow] = []
    for r in ev.rows:
        if r.code == "INDEX":
            continue
        rows.append(_row(ds, ev, r, series, years, tops))
    indicators = [r for r in rows if r.is_indicator and filters.accepts(r)]
    sort_key = SORTS[filters.sort][1]
    if sort_key:
        return sorted(indicators, key=sort_key)
    if not filters.active:
        return rows
    keep = {r.code for r in indicators}
    parents = {e.code: e.parent for e in ds.spec.elements}
    for i in ds.indicator_specs:
        if i.code in keep:
            code = i.element
            while code:
                keep.add(code)
                code = parents[code]
    return [r for r in rows if r.code in keep]


def _row(ds: Dataset, ev: Evaluation, r: Row, series, years, tops) -> MatrixRow:
    row = MatrixRow(r.code, r.level, r.name, r.depth, r.is_indicator, r.measured, tops.get(r.code, ""),
                    progress=displayed(r.progress, ev.rules), band=r.band, reason=r.reason.text if r.is_indicator else "")
    if r.indicator:
        spec = ds.indicator_spec(r.code)
        s = series.get(r.code)
        row.entity, row.type, row.unit, row.decimals = spec.entity, spec.type, spec.unit, spec.decimals
        row.direction = r.indicator.direction.label
        row.accumulated = "Acumulado" if spec.accumulated else "No acumulado"
        row.baseline_year = spec.baseline_year
        row.baseline = s.baseline if s else MISSING
        row.targets = [s.target(y) if s else MISSING for y in years]
        row.actuals = [s.actual(y) if s else MISSING for y in years]
    return row


def band_counts(ev: Evaluation) -> list[tuple[str, list[int]]]:
    return [(level, [counts[b] for b in ORDER]) for level, counts in ev.band_counts.items()]


def options(ds: Dataset) -> dict[str, list]:
    return {
        "entities": sorted({i.entity for i in ds.indicator_specs if i.entity}),
        "types": sorted({i.type for i in ds.indicator_specs if i.type}),
        "objectives": [(e.code, e.name) for e in ds.spec.elements if e.parent is None],
        "bands": [(b.value, numbers.BAND_LEGEND[b]) for b in ORDER],
        "sorts": [(k, v[0]) for k, v in SORTS.items()],
    }


EXPORT_HEADER = ["Código", "Nivel", "Nombre", "Objetivo", "Entidad", "Tipo", "Sentido", "Acumulado", "Unidad", "Año línea de base",
                 "Línea de base"]
# The unit of a row's values: a download keeps numbers as numbers (no thousands comma, no % sign in
# the cell, so any program reads them) and says here what they measure.
UNIT_WORDS = {"percentage": "porcentaje (%)", "number": "número", "rate": "tasa", "ratio": "ratio", "index": "índice",
              "amount": "monto", "variation_rate": "tasa de variación (%)"}


def cell(obs: Observation):
    """A figure in a download: numbers stay numbers, ND/SD stay words, nothing in the source stays empty."""
    return obs.value if obs.value is not None else (obs.status.value if obs.status else None)


def export_table(rows: list[MatrixRow], years: list[int], year: int) -> tuple[list[str], list[list]]:
    """Header and rows of a download (see ``cell``); an ND avance stays empty with its band."""
    header = EXPORT_HEADER + [f"Logro esperado {y}" for y in years] + [f"Valor obtenido {y}" for y in years] + [f"Avance {year} (%)", "Semáforo"]
    body = []
    for r in rows:
        pad = [None] * len(years)
        body.append([
            r.code, r.level, r.name, r.objective, r.entity, r.type, r.direction, r.accumulated,
            UNIT_WORDS.get(r.unit, r.unit) if r.is_indicator else None, r.baseline_year,
            cell(r.baseline),
            *([cell(o) for o in r.targets] or pad), *([cell(o) for o in r.actuals] or pad), r.progress,
            r.band.value if r.measured else "",
        ])
    return header, body
