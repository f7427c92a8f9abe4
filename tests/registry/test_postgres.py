"""A registry kept in PostgreSQL: its two tables exported with COPY (as the README shows) import and
give the same figures. Runs against the throw-away cluster of scripts/with-postgres."""

import os

import pytest

from vigia.registry import Registry, import_extract
from vigia.registry.schema import COLUMNS, ESTABLISHMENTS, STAYS

from .conftest import D1, D2, D3, FIXTURE

URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL.startswith("postgres"), reason="needs PostgreSQL (scripts/with-postgres)")

DDL = {
    ESTABLISHMENTS: "codigo text, nombre text, tipo text, oficina_regional text, ubigeo_departamento text, "
                    "capacidad integer, area_m2 numeric, desde date",
    STAYS: "persona text, establecimiento text, sexo text, fecha_nacimiento date, ingreso date, egreso date, "
           "motivo_egreso text, fecha_sentencia date, delito text",
}


def test_copy_from_postgresql_imports_the_same_figures(tmp_path, figures):
    import psycopg

    with psycopg.connect(URL, autocommit=True) as con:
        con.execute("DROP SCHEMA IF EXISTS registro_prueba CASCADE")
        con.execute("CREATE SCHEMA registro_prueba")
        for table in (ESTABLISHMENTS, STAYS):
            con.execute(f"CREATE TABLE registro_prueba.{table} ({DDL[table]})")
            with con.cursor().copy(f"COPY registro_prueba.{table} FROM STDIN WITH (FORMAT csv, HEADER)") as copy:
                copy.write((FIXTURE / f"{table}.csv").read_bytes())
        out = tmp_path / "extracto"
        out.mkdir()
        for table in (ESTABLISHMENTS, STAYS):
            # what `psql -c "\copy (SELECT …) TO 'extracto/….csv' WITH (FORMAT csv, HEADER)"` writes
            with (out / f"{table}.csv").open("wb") as f, con.cursor().copy(
                    f"COPY (SELECT {', '.join(COLUMNS[table])} FROM registro_prueba.{table}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                for chunk in copy:
                    f.write(chunk)
        con.execute("DROP SCHEMA registro_prueba CASCADE")
    import_extract(out, tmp_path / "datos")
    rows = Registry(tmp_path / "datos").measures([D1, D2, D3])
    assert {(r.measure, r.date, r.scope, r.code, r.sex): r for r in rows} == figures
