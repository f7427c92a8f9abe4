"""`vigia report` as a user runs it."""

from openpyxl import load_workbook
from typer.testing import CliRunner

from vigia.cli import app

runner = CliRunner()


def test_report_writes_the_files(tmp_path):
    result = runner.invoke(app, ["report", "pei-inpe", "--year", "2024", "--format", "xlsx", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "pei-inpe-evaluacion-2024.xlsx"
    assert path.is_file() and str(path) in result.output
    assert load_workbook(path)["OEI"]["A2"].value == "OEI.01"


def test_report_preliminary_and_period_in_the_name(tmp_path):
    result = runner.invoke(app, ["report", "pei-inpe", "--year", "2024", "--period", "S1", "--kind", "seguimiento",
                                 "--format", "xlsx", "--out", str(tmp_path), "--preliminary"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pei-inpe-seguimiento-2024-S1-preliminar.xlsx").is_file()


def test_report_errors_are_spanish_and_exit_2(tmp_path):
    for args, message in ((["--format", "odt"], "formatos no válidos"), (["--kind", "otro"], "tipo de documento desconocido"),
                          (["--vintage", "X"], "no existe")):
        result = runner.invoke(app, ["report", "pnp2030", "--year", "2024", "--out", str(tmp_path), *args])
        assert result.exit_code == 2 and message in result.output, result.output
