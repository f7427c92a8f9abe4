"""The `vigia` command line, as a user runs it."""

import csv
import io
import json

from typer.testing import CliRunner

from vigia.cli import app

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_progress_table_shows_index_and_band_words():
    out = run("progress", "pnp2030", "--year", "2024")
    assert "69.0% · rojo" in out and "89.0% · amarillo" in out and "125.7% · verde" in out
    assert "Índice de gestión" in out


def test_progress_csv():
    rows = list(csv.DictReader(io.StringIO(run("progress", "pnp2030", "--year", "2024", "--format", "csv"))))
    assert {"code", "level", "target", "actual", "progress", "band"} <= set(rows[0])
    by_code = {r["code"]: r for r in rows}
    assert by_code["INDEX"]["progress"] == "69.0" and rows[-1]["code"] == "INDEX"
    assert by_code["IOP.01.01"]["progress"] == "" and by_code["IOP.01.01"]["band"] == "ND"
    assert by_code["OP.02"]["progress"] == "89.0"
    assert len([r for r in rows if r["level"] in ("IOP", "ISS")]) == 49


def test_progress_json_has_band_counts():
    data = json.loads(run("progress", "pnp2030", "-y", "2024", "-f", "json"))
    assert data["index"] == 69.0
    assert data["band_counts"]["ISS"] == {"rojo": 11, "amarillo": 5, "verde": 18, "ND": 2}
    assert [o["code"] for o in data["objectives"]] == [f"OP.0{k}" for k in range(1, 7)]


def test_pei_progress():
    data = json.loads(run("progress", "pei-inpe", "-y", "2024", "-f", "json"))
    objectives = {o["code"]: o["progress"] for o in data["objectives"]}
    assert objectives == {"OEI.01": 57.62, "OEI.02": 100.0, "OEI.03": 0.0}
    assert data["index"] is None


def test_alerts_json():
    data = json.loads(run("alerts", "pnp2030", "-y", "2024", "-f", "json"))
    assert [a["kind"] for a in data] == ["a", "b", "c", "d"]


def test_check_and_trajectory_run():
    assert "sentido_invertido" in run("check", "pnp2030")
    rows = list(csv.DictReader(io.StringIO(run("trajectory", "pnp2030", "-f", "csv"))))
    assert {r["outlook"] for r in rows} == {"sin meta a 2030"} and {r["final_target"] for r in rows} == {""}


def test_unknown_plan_is_a_clear_error():
    result = runner.invoke(app, ["progress", "nada", "-y", "2024"])
    assert result.exit_code == 2 and "no existe el plan" in result.output


def test_unknown_vintage_is_a_clear_error():
    result = runner.invoke(app, ["progress", "pnp2030", "-y", "2024", "--vintage", "X"])
    assert result.exit_code == 2 and "no existe" in result.output


def test_plan_without_values_has_no_trajectory():
    assert "no tiene valores" in run("trajectory", "pp-creo")


def test_plan_export_without_a_database(tmp_path):
    from openpyxl import load_workbook

    out = run("plan", "export", "pnp2030", str(tmp_path / "politica.xlsx"))
    assert "69 elementos, 49 indicadores" in out
    wb = load_workbook(tmp_path / "politica.xlsx", read_only=True)
    assert wb.sheetnames == ["Instrucciones", "Plan", "Ediciones", "Niveles", "Matriz", "Fichas", "Textos", "Valores"]
    header = [c.value for c in next(wb["Matriz"].iter_rows(max_row=1))]
    assert header[:3] == ["Código", "Nivel", "Denominación"] and "Logro esperado 2030" in header


def test_plan_help_is_spanish():
    out = run("plan", "--help")
    assert "export" in out and "import" in out and "libro de Excel" in out
