"""The charts of a plan's dashboard, portal page and indicator page, from a ``PlanView``.

Only picks the figures (per-year evaluations come from the store's cache); the charts
themselves are built by ``presentation.charts``.
"""

from __future__ import annotations

from vigia.reporting import figures
from vigia.methodology.bands import Band, displayed
from vigia.presentation import charts, numbers
from vigia.presentation.outlook import PlanOutlook

from .context import PlanView

LEVEL_NAMES = {  # short enough for a chart's axis on a phone
    "OP": "Objetivos (OP)", "IOP": "Indicadores de OP", "LN": "Lineamientos", "SS": "Servicios",
    "ISS": "Indicadores de servicio", "OEI": "Objetivos (OEI)", "IND.OEI": "Indicadores de OEI",
    "AEI": "Acciones (AEI)", "IND.AEI": "Indicadores de AEI",
}


def _bars(rows, rules) -> list[charts.Bar]:
    return [charts.Bar(r.code, r.name, displayed(r.progress, rules), r.band) for r in rows]


def plan_charts(pv: PlanView, outlook: PlanOutlook | None) -> dict[str, charts.Chart]:
    """Objectives' avance, the índice per year (policy), band counts per level and the outlook."""
    ev, rules, year = pv.ev, pv.rules, pv.year
    kind = pv.ds.spec.kind
    out: dict[str, charts.Chart] = {}
    if not ev.objectives or not any(r.is_indicator for r in ev.rows):
        return out
    what = "objetivo prioritario" if kind == "policy" else "objetivo estratégico"
    out["objectives"] = charts.progress_bars(
        "grafico-objetivos", f"Avance por {what} {year}", _bars(ev.objectives, rules), rules, what)
    if kind == "pei":
        aei = [r for r in ev.rows if r.level == "AEI" and r.measured]
        out["actions"] = charts.progress_bars(
            "grafico-aei", f"Avance por acción estratégica institucional {year}", _bars(aei, rules), rules, "acción estratégica")
    if rules.index:
        points = []
        for y in [y for y in pv.years if y <= year]:
            e = figures.evaluation(pv.ds.code, y, pv.vintage, pv.period, pv.audience, pv.version)
            points.append((y, displayed(e.index, rules), e.row("INDEX").band if e.index is not None else Band.ND))
        out["index"] = charts.index_trend("grafico-indice", f"Índice de gestión por año ({points[0][0]}–{year})", points, rules)
    counts = [(level, [c[b] for b in (Band.RED, Band.YELLOW, Band.GREEN, Band.ND)]) for level, c in ev.band_counts.items()]
    out["bands"] = charts.band_counts("grafico-semaforo", f"Semáforo por nivel {year}", counts, LEVEL_NAMES)
    if outlook and outlook.objectives:
        out["outlook"] = charts.outlook_bars(
            "grafico-perspectiva", f"Perspectiva al {outlook.horizon} por objetivo",
            [(o.code, o.name, o.counts) for o in outlook.objectives], outlook.horizon)
    return out


def indicator_chart(pv: PlanView, spec, series, history: list[dict], trajectory) -> charts.Chart:
    """Target, obtained value and trajectory of one indicator."""
    points = [charts.YearPoint(h["year"], h["target"].value if h["target"] else None, h["actual"].value if h["actual"] else None,
                               h["band"], numbers.observation(h["actual"], spec.unit, spec.decimals),
                               numbers.observation(h["target"], spec.unit, spec.decimals)) for h in history]
    baseline = None
    if series and series.baseline.value is not None and spec.baseline_year:
        baseline = (spec.baseline_year, series.baseline.value)
    # Targets after the years shown, as the plan in force now sets them (never the last one carried forward).
    programmed = trajectory.targets if trajectory else {y: o.value for y, o in (series.targets.items() if series else ())}
    horizon_targets = {y: v for y, v in programmed.items() if y > max(pv.years) and v is not None}
    projection = trajectory.projections if trajectory else {}
    return charts.evolution(
        f"grafico-{spec.code.lower().replace('.', '-')}", f"{spec.code}: evolución y trayectoria", points, spec.unit, spec.decimals,
        baseline, projection, horizon_targets)
