"""The rules every row of an extract must keep, as SQL conditions with their Spanish wording.

Each rule names the file and field it checks; a row that breaks it becomes an `Issue` with its line.
All rules are counted in one scan per source table, and only the broken ones are listed (first lines
first), so checking a clean extract costs a few scans, not one query per rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from . import schema
from .extract import MAX_ISSUES, Issue

FIRST_DATE = date(1900, 1, 1)


def _quote(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Rule:
    """Rows of `source` (a table or view with `linea`) where `broken` holds break the rule of the
    extract's `table`; `says` is the message, a SQL text expression."""

    table: str
    source: str
    field: str
    broken: str
    says: str


def establishment_rules() -> list[Rule]:
    t = (schema.ESTABLISHMENTS, "establecimientos_leidos")
    number = r"regexp_full_match({0}, '\d+(\.\d+)?')"
    return [
        Rule(*t, "codigo", "codigo IS NULL", "'falta el código del establecimiento'"),
        Rule(*t, "nombre", "nombre IS NULL", "'falta el nombre'"),
        Rule(*t, "tipo", f"tipo IS NULL OR tipo NOT IN ({_quote(schema.KINDS)})", "'debe ser EP o EML (dice «' || coalesce(tipo, '') || '»)'"),
        Rule(*t, "oficina_regional", f"oficina_regional IS NULL OR oficina_regional NOT IN ({_quote(schema.OFFICES)})",
             f"'«' || coalesce(oficina_regional, '') || '» no es una de las 8 oficinas regionales ({', '.join(schema.OFFICES)})'"),
        Rule(*t, "ubigeo_departamento", f"ubigeo_departamento IS NULL OR ubigeo_departamento NOT IN ({_quote(schema.DEPARTMENTS)})",
             "'«' || coalesce(ubigeo_departamento, '') || '» no es un código de departamento del ubigeo (01 a 25, con el cero)'"),
        Rule(*t, "capacidad", r"capacidad IS NOT NULL AND NOT regexp_full_match(capacidad, '\d+')",
             "'debe ser un número entero de plazas, sin separador de miles'"),
        Rule(*t, "capacidad", "capacidad IS NULL AND tipo = 'EP'", "'un EP debe tener capacidad de albergue'"),
        Rule(*t, "area_m2", f"area_m2 IS NOT NULL AND (NOT {number.format('area_m2')} OR TRY_CAST(area_m2 AS DOUBLE) = 0)",
             "'debe ser un número positivo de metros cuadrados, con punto decimal'"),
        Rule(*t, "desde", "desde IS NULL", "'falta la fecha desde la que rige la fila'"),
        Rule(*t, "desde", r"desde IS NOT NULL AND (NOT regexp_full_match(desde, '\d{4}-\d{2}-\d{2}') OR TRY_CAST(desde AS DATE) IS NULL)",
             "'no es una fecha AAAA-MM-DD'"),
        Rule(*t, "desde", "otra_linea_mismo_desde IS NOT NULL",
             "'el establecimiento ya tiene una fila con el mismo «desde» (línea ' || otra_linea_mismo_desde || ')'"),
        Rule(*t, "tipo", "otra_linea_distinta IS NOT NULL",
             "'tipo, oficina_regional y ubigeo_departamento de un establecimiento no cambian: difieren de la línea ' || otra_linea_distinta"),
    ]


def stay_rules(limit: date, explicit_cutoff: bool) -> list[Rule]:
    """The stays' rules; sex and exit reason are checked by their casts to the enumerations (compact.py)."""
    t = (schema.STAYS, "estancias_texto_lineas")
    with_unit = (schema.STAYS, "estancias_con_desde")
    crossed = (schema.STAYS, "estancias_cruzadas")
    until = f"la fecha de corte ({_date(limit)})" if explicit_cutoff else f"hoy ({_date(limit)})"
    dates = [Rule(*t, c, f"{c} < DATE '{FIRST_DATE}' OR {c} > DATE '{limit}'",
                  f"'fecha fuera del rango admitido: del {_date(FIRST_DATE)} a {until}'")
             for c in ("fecha_nacimiento", "ingreso", "egreso", "fecha_sentencia")]
    return [
        Rule(*t, "persona", "persona IS NULL", "'falta el identificador seudónimo de la persona'"),
        # A DNI has eight digits: refuse it, the registry must hand over pseudonyms only (Ley 29733).
        Rule(*t, "persona", r"strlen(persona) = 8 AND regexp_full_match(persona, '\d{8}')",
             "'parece un DNI (8 dígitos): el extracto debe traer un identificador seudónimo, nunca el DNI'"),
        Rule(*t, "establecimiento", "establecimiento IS NULL", "'falta el código del establecimiento'"),
        Rule(*with_unit, "establecimiento", "establecimiento IS NOT NULL AND primer_desde IS NULL",
             "'el establecimiento «' || establecimiento || '» no está en establecimientos'"),
        Rule(*t, "sexo", "sexo_c IS NULL", "'debe ser M o F (dice «' || coalesce(sexo, '') || '»)'"),
        Rule(*t, "ingreso", "ingreso IS NULL", "'falta la fecha de ingreso'"),
        Rule(*t, "egreso", "egreso < ingreso", "'el egreso es anterior al ingreso'"),
        Rule(*t, "motivo_egreso", "motivo_egreso IS NOT NULL AND motivo_c IS NULL",
             f"'debe ser {', '.join(schema.EXIT_REASONS[:-1])} u {schema.EXIT_REASONS[-1]} (dice «' || motivo_egreso || '»)'"),
        Rule(*t, "motivo_egreso", "egreso IS NULL AND motivo_egreso IS NOT NULL", "'hay motivo de egreso pero no fecha de egreso'"),
        Rule(*t, "motivo_egreso", "egreso IS NOT NULL AND motivo_egreso IS NULL", "'falta el motivo del egreso'"),
        Rule(*t, "fecha_nacimiento", "fecha_nacimiento > ingreso", "'la fecha de nacimiento es posterior al ingreso'"),
        *dates,
        Rule(*with_unit, "ingreso", "ingreso < primer_desde",
             "'el ingreso es anterior al primer «desde» del establecimiento (' || strftime(primer_desde, '%d/%m/%Y') || ')'"),
        Rule(*crossed, "ingreso", "linea_superpuesta IS NOT NULL",
             "'la persona tiene otra estancia abierta ese día (línea ' || linea_superpuesta || '): nadie está en dos lugares a la vez'"),
        Rule(*crossed, "sexo", "linea_otro_sexo IS NOT NULL", "'la misma persona figura con otro sexo en la línea ' || linea_otro_sexo"),
    ]


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Add what the cross-row rules look at: duplicates, first `desde`, overlapping stays, sex changes."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE establecimientos_leidos AS
        SELECT linea, nullif(trim(codigo), '') AS codigo, nullif(trim(nombre), '') AS nombre, nullif(trim(tipo), '') AS tipo,
               nullif(trim(oficina_regional), '') AS oficina_regional, nullif(trim(ubigeo_departamento), '') AS ubigeo_departamento,
               nullif(trim(capacidad), '') AS capacidad, nullif(trim(area_m2), '') AS area_m2, nullif(trim(desde), '') AS desde
        FROM establecimientos_texto_lineas""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE establecimientos_leidos AS
        SELECT *,
               CASE WHEN desde IS NOT NULL AND linea > min(linea) OVER mismo_desde THEN min(linea) OVER mismo_desde END
                   AS otra_linea_mismo_desde,
               CASE WHEN (tipo, oficina_regional, ubigeo_departamento)
                         IS DISTINCT FROM arg_min((tipo, oficina_regional, ubigeo_departamento), linea) OVER mismo
                    THEN min(linea) OVER mismo END AS otra_linea_distinta
        FROM establecimientos_leidos
        WINDOW mismo AS (PARTITION BY codigo), mismo_desde AS (PARTITION BY codigo, desde)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE primer_desde AS
        SELECT codigo, min(TRY_CAST(desde AS DATE)) AS primer_desde FROM establecimientos_leidos
        WHERE codigo IS NOT NULL GROUP BY codigo""")
    # Stays of one person in order: each must begin no earlier than the one before it ends (a transfer
    # ends one stay and begins the next on the same day), and keep the person's sex. Counted first, in
    # one sort of the stays by person key (an integer per person, see compact.py); the offending rows
    # and the lines they clash with are looked for only when there are any. Sexes are compared as read
    # into `sexo_c`: one that is neither M nor F is its own rule's error, not a change of sex.
    counted = con.execute("""
        SELECT count(*) FROM (
            SELECT clave, ingreso, sexo_c, lag(clave) OVER w AS clave_anterior,
                   lag(coalesce(egreso, DATE '9999-12-31')) OVER w AS fin_anterior, lag(sexo_c) OVER w AS sexo_anterior
            FROM estancias_texto WHERE persona IS NOT NULL AND ingreso IS NOT NULL
            WINDOW w AS (ORDER BY clave, ingreso, egreso NULLS LAST)
        ) WHERE clave_anterior = clave AND (fin_anterior > ingreso OR sexo_anterior <> sexo_c)""").fetchone()[0]
    con.execute("CREATE OR REPLACE TEMP TABLE estancias_cruzadas (linea BIGINT, linea_superpuesta BIGINT, linea_otro_sexo BIGINT)")
    if counted:
        con.execute("""
            INSERT INTO estancias_cruzadas
            SELECT linea, CASE WHEN fin_anterior > ingreso THEN linea_anterior END,
                   CASE WHEN sexo_anterior <> sexo_c THEN linea_anterior END
            FROM (
                SELECT linea, lag(linea) OVER w AS linea_anterior, ingreso, sexo_c,
                       lag(coalesce(egreso, DATE '9999-12-31')) OVER w AS fin_anterior, lag(sexo_c) OVER w AS sexo_anterior
                FROM estancias_texto_lineas WHERE persona IS NOT NULL AND ingreso IS NOT NULL
                WINDOW w AS (PARTITION BY persona ORDER BY ingreso, egreso NULLS LAST, linea)
            ) WHERE fin_anterior > ingreso OR sexo_anterior <> sexo_c""")
    con.execute("""
        CREATE OR REPLACE TEMP VIEW estancias_con_desde AS
        SELECT e.linea, e.establecimiento, e.ingreso, p.primer_desde
        FROM estancias_texto_lineas e LEFT JOIN primer_desde p ON p.codigo = e.establecimiento""")


def check(con: duckdb.DuckDBPyConnection, files: dict[str, str], rules: list[Rule]) -> tuple[list[Issue], int]:
    """Count every rule in one scan per source, then list the broken ones: (first issues, total).

    `files` maps each table of the extract to its file name, for the messages."""
    counts = []
    for source in dict.fromkeys(r.source for r in rules):
        mine = [r for r in rules if r.source == source]
        row = con.execute(f"SELECT {', '.join(f'count(*) FILTER (WHERE {r.broken})' for r in mine)} FROM {source}").fetchone()
        counts += [(r, n) for r, n in zip(mine, row) if n]
    issues = []
    for r, _ in counts:
        found = con.execute(f"SELECT linea, {r.says} FROM {r.source} WHERE {r.broken} ORDER BY linea LIMIT {MAX_ISSUES}").fetchall()
        issues += [Issue(files[r.table], says, line=line, field=r.field) for line, says in found]
    issues.sort(key=lambda i: (i.file != files[schema.ESTABLISHMENTS], i.line or 0))
    return issues[:MAX_ISSUES], sum(n for _, n in counts)
