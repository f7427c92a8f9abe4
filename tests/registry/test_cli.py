"""`vigia registry …` as an administrator runs it: Spanish messages, exact CSV contract, exit codes."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from vigia.cli import app

from .conftest import FIXTURE, copy_fixture

runner = CliRunner()
HEADER = "measure,date,scope,code,sex,value,numerator,denominator"


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIA_DATA_DIR", str(tmp_path / "datos"))
    return tmp_path / "datos"


def run(*args, code=0):
    result = runner.invoke(app, ["registry", *args])
    assert result.exit_code == code, result.output
    return result.output


def test_status_before_any_import_says_how(data):
    out = run("status", code=2)
    assert "todavía no se importó ningún extracto" in out and "vigia registry import" in out
    assert "Traceback" not in out


def test_import_status_and_measures_csv(data):
    out = run("import", str(FIXTURE))
    assert "42 estancias de 31 personas en 9 establecimientos, del 15/01/2019 al 31/12/2024" in out
    status = run("status")
    assert "Periodo: del 15/01/2019 al 31/12/2024" in status and "conservadas" in status
    text = run("measures", "--date", "2024-12-31", "--format", "csv")
    assert text.splitlines()[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["measure"] for r in rows} == {"poblacion", "poblacion_medio_libre", "capacidad", "sobrepoblacion", "hacinamiento",
                                            "sin_sentencia", "m2_por_interno", "fugas", "reingreso_5a"}
    nation = {(r["measure"], r["sex"]): r for r in rows if r["scope"] == "nation"}
    assert nation[("poblacion", "")] == {"measure": "poblacion", "date": "2024-12-31", "scope": "nation", "code": "PE", "sex": "",
                                         "value": "19", "numerator": "", "denominator": ""}
    assert (nation[("sobrepoblacion", "")]["value"], nation[("sobrepoblacion", "")]["numerator"]) == (repr(-1100 / 30), "-11")
    assert nation[("reingreso_5a", "F")]["value"] == "50"
    office = next(r for r in rows if r["scope"] == "office" and r["measure"] == "capacidad" and r["code"] == "Norte – Chiclayo")
    assert office["value"] == "8"
    m2 = next(r for r in rows if r["measure"] == "m2_por_interno" and r["code"] == "EP02")
    assert (m2["value"], m2["numerator"], m2["denominator"]) == ("", "", "")


def test_measures_json_and_table(data):
    run("import", str(FIXTURE), "--discard")
    rows = json.loads(run("measures", "--date", "2024-06-30", "--measure", "fugas", "--scope", "nation", "--format", "json"))
    assert rows == [{"measure": "fugas", "date": "2024-06-30", "scope": "nation", "code": "PE", "sex": "", "value": 2,
                     "numerator": None, "denominator": None}]
    table = run("measures", "--measure", "sobrepoblacion", "--scope", "office")
    assert "Norte – Chiclayo" in table and "-12.50%" in table and "31/12/2024" in table


def test_measures_errors_in_spanish(data):
    run("import", str(FIXTURE))
    assert "fuera del extracto, que va del 15/01/2019 al 31/12/2024" in run("measures", "--date", "2030-01-01", code=2)
    assert "no es una fecha AAAA-MM-DD" in run("measures", "--date", "31/12/2024", code=2)
    assert "medida «poblasion» desconocida" in run("measures", "--measure", "poblasion", code=2)
    assert "formato «xml» desconocido" in run("measures", "--format", "xml", code=2)
    out = run("measures", "--date", "2023-12-31", "--measure", "reingreso_5a", "--format", "csv")
    assert out.splitlines()[0] == HEADER and "reingreso_5a necesita egresos desde el 1 de enero de cuatro años antes" in out


def test_refused_import_prints_file_line_field(data, tmp_path):
    src = copy_fixture(tmp_path / "malo")
    text = (src / "estancias.csv").read_text(encoding="utf-8").replace("P01,EP01,M,", "P01,EP01,H,", 1)
    (src / "estancias.csv").write_text(text, encoding="utf-8")
    out = run("import", str(src), code=2)
    assert "estancias.csv, línea 2, campo «sexo»: debe ser M o F (dice «H»)" in out and "No se guardó nada" in out
    assert "Traceback" not in out


def test_public_output_flags_suppressed_cells(data):
    run("import", str(FIXTURE))
    rows = list(csv.DictReader(io.StringIO(run("measures", "--date", "2024-12-31", "--format", "csv", "--public"))))
    assert list(rows[0]) == [*HEADER.split(","), "suppressed"]
    hidden = [r for r in rows if r["suppressed"] == "true"]
    assert hidden and all(r["value"] == r["numerator"] == r["denominator"] == "" for r in hidden)


def test_demo_then_import(data, tmp_path):
    out = run("demo", "--people", "3000", "--out", str(tmp_path / "demo"), "--seed", "7")
    assert "personas" in out and "vigia registry import" in out
    assert "129 establecimientos" in run("import", str(tmp_path / "demo"))
    assert "debe ser un número entero positivo" in run("demo", "--people", "mil", "--out", str(tmp_path / "x"), code=2)
    assert "indique la carpeta de salida" in run("demo", code=2)
    assert "indique la carpeta del extracto" in run("import", code=2)
    assert "la carpeta del extracto no existe" in run("import", str(tmp_path / "nada"), code=2)
