"""Versions of a plan as data: a frozen copy of a plan (JSON, exact), and the plan a superseded
version defines, completed with the figures measured since.

A version defines the structure, the fichas and the programmed figures (baselines and targets).
What is measured (obtained values, published avances) belongs to the indicator, not to a version:
a value reported after a modification counts for the years the earlier version governs.
"""

from __future__ import annotations

import datetime as dt

from vigia.methodology.model import Status

from .loader import Dataset, Record
from .schema import IndicatorSpec, PlanSpec

PROGRAMMED = ("baseline", "target", "target_printed")


def freeze(ds: Dataset) -> dict:
    """``ds`` as JSON-ready data; ``thaw`` gives it back exactly."""
    return {
        "spec": ds.spec.model_dump(mode="json"),
        "indicators": [i.model_dump(mode="json") for i in ds.indicator_specs],
        "records": [[r.indicator, r.year, r.period, r.kind, r.value, r.status.value if r.status else None, r.vintage, r.source, r.note]
                    for r in ds.records],
    }


def thaw(data: dict) -> Dataset:
    records = tuple(Record(code, year, period, kind, value, Status(status) if status else None, vintage, source, note, 0)
                    for code, year, period, kind, value, status, vintage, source, note in data["records"])
    return Dataset(None, PlanSpec.model_validate(data["spec"]),
                   tuple(IndicatorSpec.model_validate(i) for i in data["indicators"]), records)


def as_defined_by(frozen: Dataset, live: Dataset) -> Dataset:
    """The plan as the superseded version ``frozen`` defines it, with every measured figure of the
    plan as it stands (``live``); figures of what the newer version removed stay as frozen."""
    live_codes = {i.code for i in live.indicator_specs} | {e.code for e in live.spec.elements} | {"INDEX"}
    own_codes = {i.code for i in frozen.indicator_specs} | {e.code for e in frozen.spec.elements} | {"INDEX"}
    vintages = {v.code for v in live.spec.vintages}
    programmed = [r for r in frozen.records if r.kind in PROGRAMMED and r.vintage in vintages]
    measured = [r for r in live.records if r.kind not in PROGRAMMED and r.indicator in own_codes]
    measured += [r for r in frozen.records if r.kind not in PROGRAMMED and r.indicator not in live_codes and r.vintage in vintages]
    spec = frozen.spec.model_copy(update={"vintages": live.spec.vintages, "current_vintage": live.spec.current_vintage})
    return Dataset(None, spec, frozen.indicator_specs, tuple(programmed + measured))


def cutoff(year: int, period: str = "anual") -> dt.date:
    """The date a period's figures are judged at: the version in force then governs them."""
    return dt.date(year, 6, 30) if period == "S1" else dt.date(year, 12, 31)


def in_force(versions: list[tuple[int, dt.date | None]], year: int, period: str = "anual") -> int | None:
    """The number of the version in force at the period's cut-off among (number, applies_from)
    pairs; a version without a date applies from the start. None when there are no versions."""
    when = cutoff(year, period)
    eligible = [n for n, start in versions if start is None or start <= when]
    return max(eligible) if eligible else (min(n for n, _ in versions) if versions else None)
