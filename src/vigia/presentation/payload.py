"""An evaluation as the CLI's JSON/CSV and the API give it: full precision plus the published
rounding, English keys. A missing expected or obtained value says why: ND or SD when the source
states it, ``absent`` when the source gives no figure at all."""

from __future__ import annotations

from vigia.methodology.bands import displayed


def _status(value, obs) -> str | None:
    """None when there is a value; else ND/SD as the source states it, or "absent" (not in the source)."""
    if value is not None:
        return None
    if obs is not None and obs.status is not None:
        return obs.status.value
    return "absent"


def progress_row(ev, row, entity: str | None, series=None) -> dict:
    """One row of an evaluation (``series``: the indicator's values, to tell ND from a figure the source lacks)."""
    ind = row.indicator
    return {
        "code": row.code, "level": row.level, "name": row.name, "depth": row.depth,
        "parent": ind.element if ind else (row.element.parent if row.element else None),
        "entity": entity if ind else None,
        "direction": ind.direction.value if ind else None,
        "unit": ind.unit if ind else None,
        "target": row.target, "actual": row.actual,
        "target_status": _status(row.target, series.target(ev.year) if series else None) if ind else None,
        "actual_status": _status(row.actual, series.actual(ev.year) if series else None) if ind else None,
        "progress": displayed(row.progress, ev.rules), "progress_exact": row.progress,
        "band": row.band.value, "reason": row.reason.text if ind else "", "measured": row.measured,
    }


def progress_payload(ds, ev, vintage: str) -> dict:
    """A whole evaluation: every row, the objectives, the index and the band counts per level."""
    entities = {i.code: i.entity for i in ds.indicator_specs}
    series = ds.series(vintage or None, ev.period)
    return {
        "plan": ds.code, "name": ds.spec.name, "year": ev.year, "period": ev.period, "vintage": vintage,
        "ruleset": ev.rules.name, "rules": [{"code": r.code, "text": r.text} for r in ev.rules.rules],
        "rows": [progress_row(ev, r, entities.get(r.code), series.get(r.code)) for r in ev.rows],
        "objectives": [progress_row(ev, r, entities.get(r.code)) for r in ev.objectives],
        "index": displayed(ev.index, ev.rules), "index_exact": ev.index,
        "band_counts": {lv: {b.value: n for b, n in counts.items()} for lv, counts in ev.band_counts.items()},
    }
