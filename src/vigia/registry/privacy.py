"""Suppression of small cells in public output (Ley 29733, personal data).

A cell of a *public* table (portal, open data) is blanked when one of its person counts is between
1 and 4: the count itself for `poblacion` or `fugas`; numerator and denominator for `sin_sentencia`
and `reingreso_5a`; the population behind `sobrepoblacion` (numerator + denominator) and
`m2_por_interno` (denominator). A blanked row keeps measure, date, unit and sex, has value,
numerator and denominator empty and `suppressed` True. Zero is never blanked (it reveals no one).

Blanking one cell is not enough when the others give it away, so two secondary rules follow, until
nothing changes: when one sex of a unit is blanked, so is the other (total − shown sex would reveal
it); when a single establishment of an office (or a single office of the nation) is blanked for a
measure, date and sex, the next smallest one is blanked too (office − the others would reveal it).
Internal outputs (the administrator's CLI, proposed values for the workflow) are not suppressed.
"""

from __future__ import annotations

from collections import defaultdict

from .measures import BY_NAME, MeasureRow

THRESHOLD = 5


def persons(row: MeasureRow) -> list[float]:
    """The person counts a row rests on (none for capacity or counts of EPs)."""
    figures = {"value": row.value, "numerator": row.numerator, "denominator": row.denominator}
    out = []
    for name in BY_NAME[row.measure].persons:
        if name == "numerator+denominator":
            if row.numerator is not None and row.denominator is not None:
                out.append(row.numerator + row.denominator)
        elif figures[name] is not None:
            out.append(figures[name])
    return out


def _small(row: MeasureRow) -> bool:
    return any(0 < p < THRESHOLD for p in persons(row))


def suppress(rows: list[MeasureRow]) -> list[MeasureRow]:
    """`rows` ready for the public: small cells blanked, and the cells that would reveal them."""
    hidden = {i for i, r in enumerate(rows) if _small(r)}
    while True:
        more = _by_sex(rows, hidden) | _by_hierarchy(rows, hidden)
        if more <= hidden:
            break
        hidden |= more
    return [r._replace(value=None, numerator=None, denominator=None, suppressed=True) if i in hidden else r
            for i, r in enumerate(rows)]


def _by_sex(rows: list[MeasureRow], hidden: set[int]) -> set[int]:
    pairs = defaultdict(list)
    for i, r in enumerate(rows):
        if r.sex:
            pairs[(r.measure, r.date, r.scope, r.code)].append(i)
    return {j for pair in pairs.values() if len(set(pair) & hidden) == 1 for j in pair}


def _by_hierarchy(rows: list[MeasureRow], hidden: set[int]) -> set[int]:
    children, parents = defaultdict(list), {}
    for i, r in enumerate(rows):
        if r.parent:
            children[(r.measure, r.date, r.sex, r.parent)].append(i)
        if r.scope != "establishment":
            parents[(r.measure, r.date, r.sex, r.code)] = i
    more = set()
    for key, group in children.items():
        shown = [i for i in group if i not in hidden]
        if len(group) - len(shown) == 1 and shown and parents.get(key) not in hidden:
            more.add(min(shown, key=lambda i: min(persons(rows[i]), default=0)))
    return more
