"""An evaluation as the CLI's JSON/CSV and the API give it: full precision plus the published
rounding, English keys."""

from __future__ import annotations

from vigia.methodology.bands import displayed


def progress_row(ev, row, entity: str | None) -> dict:
    """One row of an evaluation."""
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
