"""An evaluation by level of the plan's hierarchy: each level's elements with their own
indicators, the sections of a dashboard for a plan of any shape."""

from __future__ import annotations

from dataclasses import dataclass

from vigia.methodology import Evaluation, Row


@dataclass(frozen=True)
class Section:
    level: str
    name: str
    rows: list[Row]  # each element of the level, followed by its own indicators


def sections(ev: Evaluation, levels) -> list[Section]:
    """One section per level with a measured element (top first), in the plan's own words: an
    element without indicators of its own shows the mean of the elements below it."""
    own: dict[str, list[Row]] = {}
    for r in ev.rows:
        if r.indicator:
            own.setdefault(r.indicator.element, []).append(r)
    out = []
    for lv in levels:
        rows = [row for r in ev.rows if r.element and r.element.level == lv.code and r.measured for row in (r, *own.get(r.code, []))]
        if rows:
            out.append(Section(lv.code, lv.name, rows))
    return out
