"""Number and band formatting in the seeds' style (decimal point, % sign)."""

from __future__ import annotations

from vigia.methodology.bands import Band, displayed
from vigia.methodology.rules import RuleSet

BAND_STYLE = {Band.GREEN: "bold green", Band.YELLOW: "bold yellow", Band.RED: "bold red", Band.ND: "dim"}


def number(value: float | None, unit: str = "number") -> str:
    """A value as the reports print it: ND when missing, % for percentages."""
    if value is None:
        return "ND"
    if unit == "percentage":
        return f"{value:,.2f}%"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) >= 1 else f"{value:.3g}"


def progress(value: float | None, rules: RuleSet) -> str:
    shown = displayed(value, rules)
    return "ND" if shown is None else f"{shown:.{rules.decimals}f}"


def progress_row(ev, row, entity: str | None) -> dict:
    """One row of an evaluation as the CLI's JSON/CSV and the API give it."""
    ind = row.indicator
    return {
        "code": row.code, "level": row.level, "name": row.name, "depth": row.depth,
        "parent": ind.element if ind else (row.element.parent if row.element else None),
        "entity": entity if ind else None,
        "direction": ind.direction.value if ind else None,
        "unit": ind.unit if ind else None,
        "target": row.target, "actual": row.actual,
        "progress": displayed(row.progress, ev.rules), "progress_exact": row.progress,
        "band": row.band.value, "reason": row.reason.text if ind else "", "measured": row.measured,
    }


def progress_payload(ds, ev, vintage: str) -> dict:
    """A whole evaluation: every row, the objectives, the index and the band counts per level."""
    entities = {i.code: i.entity for i in ds.indicator_specs}
    return {
        "plan": ds.code, "name": ds.spec.name, "year": ev.year, "period": ev.period, "vintage": vintage,
        "ruleset": ev.rules.name, "rules": [{"code": r.code, "text": r.text} for r in ev.rules.rules],
        "rows": [progress_row(ev, r, entities.get(r.code)) for r in ev.rows],
        "objectives": [progress_row(ev, r, entities.get(r.code)) for r in ev.objectives],
        "index": displayed(ev.index, ev.rules), "index_exact": ev.index,
        "band_counts": {lv: {b.value: n for b, n in counts.items()} for lv, counts in ev.band_counts.items()},
    }
