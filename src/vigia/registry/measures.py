"""The registry measures: what each one is, and running their SQL definitions for a set of dates.

Each measure is one file in `sql/` that a planner can read: it gives, per date, establishment and
sex, a numerator (or a count) and a denominator. `agregacion.sql` then sums them up to the oficina
regional and the nation, so aggregates never average percentages. `vigencia.sql`, `calendario.sql`
and `ocupacion.sql` are the shared steps (the row of establecimientos in force on a date; the first
requested date on or after each day; the open stays on each date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import duckdb

SCOPES = ("nation", "office", "establishment")  # the order rows come in


@dataclass(frozen=True)
class Measure:
    """A measure's meaning. `persons` names the figures that count persons (for suppression)."""

    name: str
    label: str
    unit: str
    ratio: bool = False
    factor: float = 1.0
    by_sex: bool = False
    kind: str = "EP"  # the establishments that carry it
    national: bool = False  # computed for the nation only (distinct persons across establishments)
    persons: tuple[str, ...] = ()
    indicator: str = ""  # the plan indicator it computes, if any


MEASURES = (
    Measure("poblacion", "Población penitenciaria intramuros", "personas", by_sex=True, persons=("value",)),
    Measure("poblacion_medio_libre", "Población en medio libre", "personas", by_sex=True, kind="EML", persons=("value",)),
    Measure("capacidad", "Capacidad de albergue", "plazas"),
    Measure("sobrepoblacion", "Sobrepoblación", "%", ratio=True, factor=100.0, persons=("numerator+denominator",),
            indicator="IND.01.OEI.01"),
    Measure("hacinamiento", "EP con hacinamiento crítico (sobrepoblación > 20 %)", "EP"),
    Measure("sin_sentencia", "Población sin sentencia", "%", ratio=True, factor=100.0, by_sex=True,
            persons=("numerator", "denominator"), indicator="IOP.01.02"),
    Measure("m2_por_interno", "Metros cuadrados por interno", "m² por persona", ratio=True, persons=("denominator",),
            indicator="IOP.01.01"),
    Measure("fugas", "Fugas en el año", "fugas", persons=("value",), indicator="IND.03.OEI.01"),
    Measure("reingreso_5a", "Reingreso con sentencia de liberados en cinco años", "%", ratio=True, factor=100.0, by_sex=True,
            national=True, persons=("numerator", "denominator"), indicator="IND.02.OEI.01"),
)
BY_NAME = {m.name: m for m in MEASURES}


class MeasureRow(NamedTuple):
    """One figure: the output contract `measure,date,scope,code,sex,value,numerator,denominator`.

    `sex` is '' for both sexes; `numerator`/`denominator` are None for counts; `value` is None for a
    ratio whose denominator is 0. `parent` is the unit above (the office of an establishment, PE for
    an office, '' for the nation). `suppressed` is True in public output when the cell was blanked
    because it rests on fewer than 5 persons or would reveal one that does (see `privacy`).
    A named tuple: a year of month-ends is over a hundred thousand of them."""

    measure: str
    date: date
    scope: str
    code: str
    sex: str
    value: float | int | None
    numerator: float | int | None = None
    denominator: float | int | None = None
    parent: str = ""
    suppressed: bool = False


@cache
def sql(name: str) -> str:
    """The SQL definition `sql/<name>.sql` shipped with the package."""
    return resources.files(__package__).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


def compute(con: duckdb.DuckDBPyConnection, dates: list[date], names: list[str] | None = None) -> None:
    """Compute the measures `names` (default all) on `dates`, every scope and sex, into the temporary
    table `resultado` (the columns of MeasureRow, in its order) from the person-level rows.

    `con` sees the tables establecimientos, estancias and extracto (for the extract's first day)."""
    wanted = [BY_NAME[n] for n in names] if names else list(MEASURES)
    con.execute("CREATE OR REPLACE TEMP TABLE fechas AS SELECT unnest($d::DATE[]) AS fecha", {"d": sorted(set(dates))})
    con.execute("CREATE OR REPLACE TEMP TABLE medidas AS SELECT * FROM (VALUES " +
                ", ".join(f"('{m.name}', {MEASURES.index(m)}, {m.ratio}, {m.factor}, {m.by_sex})" for m in wanted) +
                ") t(medida, orden, razon, factor, por_sexo)")
    for step in ("vigencia", "calendario", "ocupacion"):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {step} AS {sql(step)}")
    for table, national in (("cifras", False), ("cifras_nacionales", True)):
        key = "" if national else "codigo VARCHAR, "
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} (medida VARCHAR, fecha DATE, {key}sexo VARCHAR, numerador DOUBLE, denominador DOUBLE)")
        for m in wanted:
            if m.national == national:
                con.execute(f"INSERT INTO {table} SELECT '{m.name}', * FROM ({sql(m.name)})")
    con.execute(f"CREATE OR REPLACE TEMP TABLE resultado AS {sql('agregacion')}")


def rows(records: list[tuple]) -> list[MeasureRow]:
    """MeasureRows from (measure, date, scope, code, sex, value, numerator, denominator, parent) tuples;
    counts as integers, ratios at full precision."""
    counts = {m.name for m in MEASURES if not m.ratio}
    return [MeasureRow(*r[:5], int(r[5]), *r[6:]) if r[0] in counts and r[5] is not None else MeasureRow(*r)
            for r in records]
