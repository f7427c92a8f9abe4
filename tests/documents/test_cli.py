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


def test_semester_without_targets_is_refused_naming_what_is_missing(tmp_path):
    result = runner.invoke(app, ["report", "pei-inpe", "--year", "2024", "--period", "S1", "--format", "xlsx",
                                 "--out", str(tmp_path), "--preliminary"])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "ninguno de sus 17 indicadores tiene logro esperado semestral" in text and "IND.01.AEI.01.05" in text
    assert not list(tmp_path.iterdir())


def test_consistency_report_and_sign_off_overrides(tmp_path):
    result = runner.invoke(app, ["report", "pnp2030", "--year", "2024", "--kind", "consistencia", "--format", "docx",
                                 "--out", str(tmp_path), "--numero", "Informe N.° 1-2025", "--fecha", "2025-07-01"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "pnp2030-consistencia-2024.docx"
    from docx import Document

    text = "\n".join(p.text for p in Document(path).paragraphs)
    assert "Informe N.° 1-2025" in text and "1 de julio de 2025" in text


def test_report_errors_are_spanish_and_exit_2(tmp_path):
    for args, message in ((["--format", "odt"], "formatos no válidos"), (["--kind", "otro"], "tipo de documento desconocido"),
                          (["--vintage", "X"], "no existe"), (["--fecha", "ayer"], "fecha no válida")):
        result = runner.invoke(app, ["report", "pnp2030", "--year", "2024", "--out", str(tmp_path), *args])
        assert result.exit_code == 2 and message in result.output, result.output
