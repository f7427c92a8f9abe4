"""The charts a document shows, as Figure blocks: an indicator's evolution and the avance per element."""

from __future__ import annotations

from vigia.methodology import Row

from . import charts
from .model import Figure
from .source import Source


def evolution_figure(src: Source, row: Row) -> Figure | None:
    """Expected vs obtained per year of one indicator (a compact comparison when only one year has values)."""
    s = src.series.get(row.code)
    if not s:
        return None
    held = [y for y in src.years if s.target(y).value is not None or s.actual(y).value is not None]
    if not held:
        return None
    years = [y for y in src.years if held[0] <= y <= src.year]
    spec = src.ds.indicator_spec(row.code)
    several = len(held) >= 2
    caption = (f"Evolución del indicador {row.code}: {row.name}" if several
               else f"Logro esperado y valor obtenido {src.period_title} del indicador {row.code}: {row.name}")
    svg = charts.evolution(
        f"{row.code}: {'evolución del logro esperado y el valor obtenido' if several else 'logro esperado y valor obtenido'}",
        years, [s.target(y).value for y in years], [s.actual(y).value for y in years],
        [src.row_in(y, row.code).band for y in years], baseline=s.baseline.value, baseline_year=spec.baseline_year,
        percentage=spec.unit == "percentage", decimals=spec.decimals, whole=_whole(spec, s, years))
    where = f"{held[0]} a {held[-1]}" if several else src.period_title
    return Figure(caption, svg, source=_source(src, spec), key=row.code, years=len(held),
                  alt=f"Logro esperado y valor obtenido del indicador {row.code}, {where}.")


def objectives_figure(src: Source, rows: list[Row], caption: str) -> Figure:
    svg = charts.objectives(caption, [r.code for r in rows], [r.progress for r in rows], [r.band for r in rows],
                            decimals=src.rules.decimals)
    listed = "; ".join(f"{r.code}: {'ND' if r.progress is None else round(r.progress, src.rules.decimals)}" for r in rows)
    return Figure(caption, svg, source=f"{src.vintage_spec.name}; avances según la nota metodológica.", alt=f"{caption}. {listed}.")


def _whole(spec, s, years: list[int]) -> bool:
    """A count (número) whose values are whole: its axis steps by whole numbers."""
    values = [v for y in years for v in (s.target(y).value, s.actual(y).value) if v is not None]
    return spec.unit == "number" and all(float(v).is_integer() for v in values)


def _source(src: Source, spec) -> str:
    who = spec.responsible_unit or spec.entity or ""
    return f"{who}; {src.vintage_spec.name}." if who else f"{src.vintage_spec.name}."
