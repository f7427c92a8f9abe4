"""The plan workbook: every bundled plan survives the round trip exactly, an office's edits are
read, and malformed workbooks are refused with sheet, row and column."""

import copy

import pytest

from vigia import datasets
from vigia.datasets import workbook
from vigia.datasets.workbook import WorkbookError
from vigia.methodology import evaluate, ruleset

import plan_books


def _figures(ds):
    return [(r.indicator, r.year, r.period, r.kind, r.value, r.status, r.vintage, r.source, r.note) for r in ds.records]


def _evaluations(ds):
    """Every figure the methodology gives: each year, edition and period, with bands and index."""
    out = {}
    rules = ruleset(ds.spec.ruleset)
    for vintage in ds.vintages:
        for period in sorted({r.period for r in ds.records}) or ["anual"]:
            series = ds.series(vintage, period)
            for year in sorted({r.year for r in ds.records if r.vintage == vintage}):
                ev = evaluate(ds.plan, series, year, rules, period)
                out[(vintage, period, year)] = (ev.index, [(r.code, r.progress, r.band, r.reason) for r in ev.rows], ev.band_counts)
    return out


@pytest.mark.parametrize("code", datasets.available())
def test_round_trip_is_exact(code):
    ds = datasets.load(code)
    back = workbook.read(plan_books.opened(workbook.write(ds)), code=f"{code}-copia").dataset
    assert back.code == f"{code}-copia"
    assert back.spec.model_copy(update={"code": code}) == ds.spec
    assert back.indicator_specs == ds.indicator_specs
    assert _figures(back) == _figures(ds)
    assert _evaluations(back) == _evaluations(ds)


def test_a_full_precision_value_survives():
    """Excel keeps 16 significant digits; a computed value (numerator / denominator) needs 17."""
    ds = datasets.load("pei-inpe")
    value = 1275 / 57251 * 100
    assert float("%.16g" % value) != value
    records = tuple(r if (r.indicator, r.kind, r.year) != ("IND.02.OEI.01", "actual", 2024) else
                    datasets.Record(r.indicator, r.year, r.period, r.kind, value, None, r.vintage, r.source, r.note, r.line)
                    for r in ds.records)
    changed = datasets.Dataset(None, ds.spec, ds.indicator_specs, records)
    back = workbook.read(plan_books.opened(workbook.write(changed))).dataset
    assert _figures(back) == _figures(changed)


def _matrix(book, code):
    header = book["Matriz"][0]
    row = next(r for r in book["Matriz"] if r and r[0] == code)
    return header, row


def _editable(ds) -> dict[str, list[list]]:
    """The workbook as rows of plain values, the way a test edits cells."""
    return {name: [[getattr(c, "value", c) for c in row] for row in rows]
            for name, rows in plan_books.opened(workbook.write(ds)).items()}


def test_targets_to_2030_added_in_the_matrix():
    ds = datasets.load("pnp2030")
    book = _editable(ds)
    header, row = _matrix(book, "IOP.01.02")
    for year, value in zip(range(2025, 2031), [25, 24, 23, "22,5", 22, 21]):
        row[header.index(f"Logro esperado {year}")] = value
    reading = workbook.read(book, source="RM N° 0123-2025-JUS")
    targets = reading.dataset.series()["IOP.01.02"].targets
    assert [targets[y].value for y in range(2024, 2031)] == [26.0, 25.0, 24.0, 23.0, 22.5, 22.0, 21.0]
    new = [r for r in reading.dataset.records if r.indicator == "IOP.01.02" and r.year >= 2025]
    assert {r.source for r in new} == {"RM N° 0123-2025-JUS"} and all(r.vintage == "RS-2024" for r in new)
    assert len(reading.dataset.records) == len(ds.records) + 6
    kept = [r for r in reading.dataset.records if r.indicator == "IOP.01.02" and r.year == 2024 and r.kind == "target"]
    assert kept[0].source == "003 matriz 2024"  # unchanged figures keep their source


def test_a_changed_and_an_emptied_cell():
    ds = datasets.load("pnp2030")
    book = _editable(ds)
    header, row = _matrix(book, "IOP.02.01")
    row[header.index("Logro esperado 2024")] = 55
    row[header.index("Valor obtenido 2024")] = None
    back = workbook.read(book).dataset
    s = back.series()["IOP.02.01"]
    assert s.target(2024).value == 55 and s.actual(2024).value is None
    rules = ruleset("policy")
    assert evaluate(back.plan, back.series(), 2024, rules).row("IOP.02.01").progress is None


def test_direction_against_targets_is_a_warning():
    book = plan_books.rows()
    header, row = _matrix(book, "IO.01.01")  # descending
    for year, value in zip(plan_books.YEARS[1:], [19, 20, 21]):
        row[header.index(f"Logro esperado {year}")] = value
    reading = workbook.read(book)
    assert [(w.sheet, w.column) for w in reading.warnings] == [("Matriz", "Sentido esperado")]
    assert "descendente" in reading.warnings[0].message and "ascendente" in reading.warnings[0].message


def test_a_new_plan_of_another_shape():
    ds = workbook.read(plan_books.opened(plan_books.xlsx())).dataset
    assert [lv.code for lv in ds.spec.levels] == ["OBJ", "ACC", "ACT"]
    assert {i.element.split(".")[0] for i in ds.indicator_specs} == {"OBJ", "ACT"}
    assert ds.spec.texts == {"mission": "Promover la reinserción social de los adolescentes en conflicto con la ley penal"}
    assert ds.element_spec("ACT.01.01.01").attributes == {"responsible": "Dirección de Centros Juveniles"}
    ev = evaluate(ds.plan, ds.series(), 2025, ruleset("pei"))
    assert ev.row("IO.01.01").progress == 100  # descending, 16.2 against 17: capped at 100 (PEI rules)
    assert ev.row("IA.01.01.02.01").progress is None  # ND
    assert ev.row("ACC.01.01").progress == pytest.approx(655 / 700 * 100)  # an action without indicators: its activities
    assert ev.row("OBJ.01").progress == 100  # an objective with an indicator of its own


# Malformed workbooks --------------------------------------------------------------------------

def refused(book) -> list:
    with pytest.raises(WorkbookError) as err:
        workbook.read(book)
    return err.value.problems


def where(problem):
    return problem.sheet, problem.row, problem.column


def _row_of(book, sheet, code):
    return next(k for k, r in enumerate(book[sheet], 1) if r and r[0] == code)


def test_missing_sheet():
    book = plan_books.rows()
    del book["Fichas"]
    problems = refused(book)
    assert [where(p) for p in problems] == [("Fichas", None, None)] and "falta esta hoja" in problems[0].message


def test_unknown_level():
    book = plan_books.rows()
    r = _row_of(book, "Matriz", "ACC.02.01")
    book["Matriz"][r - 1][1] = "PROG"
    problems = refused(book)
    assert [where(p) for p in problems] == [("Matriz", r, "Nivel")]
    assert "nivel desconocido 'PROG'" in problems[0].message and "OBJ, ACC, ACT" in problems[0].message


def test_duplicate_code():
    book = plan_books.rows()
    r = _row_of(book, "Matriz", "ACT.01.01.02")
    book["Matriz"][r - 1][0] = "ACT.01.01.01"
    problems = refused(book)
    assert ("Matriz", r, "Código") in [where(p) for p in problems]
    assert any("código repetido: ACT.01.01.01" in p.message for p in problems)


def test_duplicate_indicator_in_fichas():
    book = plan_books.rows()
    book["Fichas"].append(copy.copy(book["Fichas"][1]))
    problems = refused(book)
    assert [where(p) for p in problems] == [("Fichas", len(book["Fichas"]), "Código")]


def test_parent_that_does_not_exist():
    book = plan_books.rows()
    r = _row_of(book, "Matriz", "ACC.02.01")
    book["Matriz"][r - 1][3] = "OBJ.09"
    problems = refused(book)
    assert [where(p) for p in problems] == [("Matriz", r, "Depende de")] and "OBJ.09" in problems[0].message


def test_target_out_of_range():
    book = plan_books.rows()
    header, row = _matrix(book, "IO.02.01")
    row[header.index("Logro esperado 2026")] = 150
    problems = refused(book)
    r = _row_of(book, "Matriz", "IO.02.01")
    assert [where(p) for p in problems] == [("Matriz", r, "Logro esperado 2026")]
    assert "150 supera el máximo válido (100) para un porcentaje" in problems[0].message


def test_text_in_a_number():
    book = plan_books.rows()
    header, row = _matrix(book, "IA.01.01.01.01")
    row[header.index("Valor obtenido 2025")] = "seiscientos"
    problems = refused(book)
    assert [where(p) for p in problems] == [("Matriz", _row_of(book, "Matriz", "IA.01.01.01.01"), "Valor obtenido 2025")]
    assert "«seiscientos» no es un número" in problems[0].message


def test_every_problem_is_reported_at_once():
    book = plan_books.rows()
    header, row = _matrix(book, "IO.02.01")
    row[header.index("Logro esperado 2026")] = 150
    book["Fichas"][1][7] = "Hacia arriba"
    book["Valores"].append(["IO.01.01", "dos mil", "anual", "Valor obtenido", 12, None, "PEI-2025", "Informe", None])
    problems = refused(book)
    assert {p.sheet for p in problems} >= {"Matriz", "Fichas"}
    assert any(p.column == "Sentido esperado" and "«Hacia arriba» no es un sentido esperado válido" in p.message for p in problems)


def test_a_copy_of_the_ficha_that_disagrees_is_a_warning():
    book = plan_books.rows()
    header, row = _matrix(book, "IO.01.01")
    row[header.index("Sentido esperado")] = "Ascendente"
    reading = workbook.read(book)
    assert [where(w) for w in reading.warnings] == [("Matriz", _row_of(book, "Matriz", "IO.01.01"), "Sentido esperado")]
    assert "vale la ficha" in reading.warnings[0].message
    assert reading.dataset.indicator_spec("IO.01.01").direction == "descending"


def test_undefined_direction_needs_a_bound():
    book = plan_books.rows()
    book["Fichas"][1][7] = "No definido"
    problems = refused(book)
    assert [where(p) for p in problems] == [("Fichas", 2, "Máximo o mínimo permisible")]


def test_a_formula_is_refused():
    book = plan_books.opened(plan_books.xlsx())
    from openpyxl import load_workbook
    import io

    wb = load_workbook(io.BytesIO(plan_books.xlsx()))
    ws = wb["Matriz"]
    r = next(c.row for c in ws["A"] if c.value == "IO.01.01")
    ws.cell(r, 13).value = "=L3*0.9"
    book = workbook.sheets(wb)
    problems = refused(book)
    assert [where(p) for p in problems] == [("Matriz", r, "Logro esperado 2025")] and "fórmula" in problems[0].message


def test_values_sheet_rows_name_their_column():
    book = plan_books.rows()
    book["Valores"].append(["IO.01.01", 2025, "anual", "Valor obtenido", 12, None, "PEI-2099", "Informe", None])
    problems = refused(book)
    assert [where(p) for p in problems] == [("Valores", len(book["Valores"]), "Edición")]
