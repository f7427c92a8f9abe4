"""The stays as the measures read them: compact columns, computed while the file is read.

Grouping and joining two million stays on text (pseudonyms, establishment codes) costs more than the
arithmetic of the measures. So the reader adds, in the same pass, `clave` (a 64-bit hash of the
pseudonym: one integer per person) and the establishment, sex and exit reason as enumerations
(integers that still read and compare as their text). The view `estancias` gives them under the
format's names: it is what the measures compute from and what a kept extract stores, so the stored
file holds no pseudonym either. Two pseudonyms with one hash (about one chance in 10⁸ for a national
extract) would merge two persons: `key` looks for a key shared by pseudonyms that a second hash
(`control`) tells apart and, if there is one, numbers the pseudonyms instead.
"""

from __future__ import annotations

import duckdb

from . import schema

RAW = "estancias_texto"  # the stays as read, with the format's text columns (what the rules check)
# The column of RAW each kept column of the view comes from (schema.KEPT_STAY_COLUMNS; the others keep their name).
SOURCES = {"persona": "clave", "establecimiento": "establecimiento_c", "sexo": "sexo_c", "motivo_egreso": "motivo_c"}
DERIVED = ("hash(persona) AS clave, hash(persona, 1) AS control, TRY_CAST(establecimiento AS establecimiento_t) AS establecimiento_c, "
           "TRY_CAST(sexo AS sexo_t) AS sexo_c, TRY_CAST(motivo_egreso AS motivo_t) AS motivo_c")


def declare(con: duckdb.DuckDBPyConnection, establishments: str) -> None:
    """The enumerations: the codes of the table `establishments` (as read), the sexes, the exit reasons."""
    con.execute(f"""CREATE TYPE establecimiento_t AS ENUM (
        SELECT DISTINCT trim(codigo) FROM {establishments} WHERE nullif(trim(codigo), '') IS NOT NULL ORDER BY 1)""")
    for name, values in (("sexo_t", schema.SEXES), ("motivo_t", schema.EXIT_REASONS)):
        con.execute(f"CREATE TYPE {name} AS ENUM ({', '.join(repr(v) for v in values)})")


def key(con: duckdb.DuckDBPyConnection) -> int:
    """Make `clave` one integer per person (rekeying on a hash collision), create the view
    `estancias` and return the number of persons."""
    persons, shared = con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE menor <> mayor)
        FROM (SELECT min(control) AS menor, max(control) AS mayor FROM {RAW} WHERE persona IS NOT NULL GROUP BY clave)""").fetchone()
    if shared:
        persons = con.execute(f"SELECT count(DISTINCT persona) FROM {RAW}").fetchone()[0]
        con.execute(f"""
            UPDATE {RAW} SET clave = n.clave
            FROM (SELECT persona, row_number() OVER (ORDER BY persona) AS clave FROM (SELECT DISTINCT persona FROM {RAW})) n
            WHERE {RAW}.persona = n.persona""")
    columns = ", ".join(f"{SOURCES.get(c, c)} AS {c}" for c in schema.KEPT_STAY_COLUMNS)
    con.execute(f"CREATE VIEW estancias AS SELECT {columns} FROM {RAW}")
    return persons
