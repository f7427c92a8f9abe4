"""Write a plan as a workbook: CEPLAN's matrix to edit, and the sheets that make the round trip exact."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from vigia.methodology.evaluation import indicator_level

from ..loader import Dataset
from . import layout as L
from .texts import flatten

# Named once per workbook: a cell takes a named style by copying it, where setting a font or a fill
# hashes it every time (most of the writing time of a plan of thousands of indicators)
HEADER, ELEMENT, COPY = "Encabezado", "Elemento del plan", "Copia de la ficha"
STYLES = (
    NamedStyle(HEADER, font=Font(bold=True), fill=PatternFill("solid", fgColor="DDE3EA"), alignment=Alignment(wrap_text=True, vertical="top")),
    NamedStyle(ELEMENT, font=Font(bold=True), fill=PatternFill("solid", fgColor="F2F4F7")),
    NamedStyle(COPY, font=Font(color="6B7280", italic=True)),
)
HEADINGS = ("Qué hay en cada hoja", "Cómo editar", "Cómo cargarlo")
MAX_CELL = 32767  # characters Excel holds in one cell


def write(ds: Dataset) -> bytes:
    """The workbook of ``ds`` (see ``instructions`` for what each sheet holds)."""
    wb = Workbook()
    wb.remove(wb.active)
    for style in STYLES:
        wb.add_named_style(style)
    years = matrix_years(ds)
    _instructions(wb.create_sheet(L.INSTRUCTIONS), ds, years)
    _plan(wb.create_sheet(L.PLAN), ds)
    _vintages(wb.create_sheet(L.VINTAGES), ds)
    _levels(wb.create_sheet(L.LEVELS), ds)
    _matrix(wb.create_sheet(L.MATRIX), ds, years)
    _fichas(wb.create_sheet(L.FICHAS), ds)
    _texts(wb.create_sheet(L.TEXTS), ds)
    _values(wb.create_sheet(L.VALUES), ds)
    wb.active = wb.sheetnames.index(L.MATRIX)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def matrix_years(ds: Dataset) -> list[int]:
    """Columns of the matrix: every year of the plan's period and every year with a figure."""
    spec = ds.spec
    years = {r.year for r in ds.records if r.vintage == spec.current_vintage and r.period == "anual" and r.kind in ("target", "actual")}
    start, end = spec.period.start, spec.period.end
    if start or end:
        low, high = min([y for y in (start, end, *years) if y]), max([y for y in (start, end, *years) if y])
        years |= set(range(low, high + 1))
    return sorted(years)


def cell_value(value):
    """A value as a cell holds it: text never becomes a formula, and a number Excel would round
    (it keeps 16 significant digits) is written as its exact text, which the reader accepts."""
    if isinstance(value, float) and float("%.16g" % value) != value:
        return repr(value)
    if isinstance(value, str) and len(value) > MAX_CELL:
        raise ValueError(f"un texto de {len(value):,} caracteres no cabe en una celda de Excel ({MAX_CELL:,} como máximo)")
    return value


def _append(ws, row: int, values) -> None:
    """Row number ``row`` (given, not looked up: ``ws.max_row`` rescans the whole sheet each time)."""
    for column, value in enumerate(values, 1):
        cell = ws.cell(row, column, cell_value(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        elif isinstance(cell.value, dt.date):
            cell.number_format = "yyyy-mm-dd"


def _table(ws, headers: list[str], rows, widths: dict[str, int] | None = None) -> None:
    for r, row in enumerate([headers, *rows], 1):
        _append(ws, r, row)
    for k in range(1, len(headers) + 1):
        ws.cell(1, k).style = HEADER
    for k, header in enumerate(headers, 1):
        ws.column_dimensions[get_column_letter(k)].width = (widths or {}).get(header, 16)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions


def _choices(ws, column: int, labels, rows: int) -> None:
    """A drop-down list of the allowed words in one column (Excel refuses other text)."""
    options = ",".join(labels)
    rule = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True, showErrorMessage=True,
                          errorTitle="Valor no válido", error=f"Use uno de: {options.replace(',', ', ')}.")
    ws.add_data_validation(rule)
    letter = get_column_letter(column)
    rule.add(f"{letter}2:{letter}{max(rows, 2) + 200}")


def _plan(ws, ds: Dataset) -> None:
    s = ds.spec
    values = {"code": s.code, "kind": L.KIND_LABELS[s.kind], "name": s.name, "ruleset": L.RULESET_LABELS[s.ruleset],
              "entity": s.entity, "entity_name": s.entity_name, "start": s.period.start, "end": s.period.end}
    _table(ws, ["Campo", "Valor"], [[label, values[key]] for label, key in L.PLAN_FIELDS], {"Campo": 22, "Valor": 90})


def _vintages(ws, ds: Dataset) -> None:
    s = ds.spec
    rows = [[v.code, v.name, v.seed, v.date, L.FORMULA_LABELS.get(v.stated_formula or ""), L.YES_NO[v.code == s.current_vintage]]
            for v in s.vintages]
    _table(ws, [h for h, _ in L.VINTAGE_COLUMNS], rows, {"Nombre": 60, "Documento fuente": 36})
    _choices(ws, 5, L.FORMULA_LABELS.values(), len(rows) + 1)
    _choices(ws, 6, L.YES_NO.values(), len(rows) + 1)


def _levels(ws, ds: Dataset) -> None:
    rows = [[lv.code, lv.name, L.join_codes(lv.parents), lv.indicator_prefix] for lv in ds.spec.levels]
    _table(ws, [h for h, _ in L.LEVEL_COLUMNS], rows, {"Nombre": 50, "Prefijo de indicadores": 22})


def _fichas(ws, ds: Dataset) -> None:
    rows = [[L.ficha_cells(i)[key] for _, key in L.FICHA_COLUMNS] for i in ds.indicator_specs]
    _table(ws, [h for h, _ in L.FICHA_COLUMNS], rows, {"Nombre": 60, "Unidad responsable": 30, "Fuente de datos": 30})
    column = {key: k for k, (_, key) in enumerate(L.FICHA_COLUMNS, 1)}
    for key, labels in (("direction", L.DIRECTION_LABELS), ("bound", L.BOUND_LABELS), ("accumulated", L.ACCUMULATED_LABELS),
                        ("additive", L.YES_NO), ("unit", L.UNIT_LABELS)):
        _choices(ws, column[key], labels.values(), len(rows) + 1)


def _observation(obs):
    if obs is None or (obs.value is None and obs.status is None):
        return None
    return obs.value if obs.value is not None else obs.status.value


def _matrix(ws, ds: Dataset, years: list[int]) -> None:
    headers = [h for h, _ in L.MATRIX_COLUMNS] + [f"Logro esperado {y}" for y in years] + [f"Valor obtenido {y}" for y in years]
    series = ds.series(ds.spec.current_vintage, "anual")
    rows, kinds = [], []
    for e in ds.spec.elements:
        rows.append([e.code, e.level, e.name, e.parent, L.join_codes(e.aligned_to)] + [None] * (len(headers) - 5))
        kinds.append("element")
        for ind in ds.plan.indicators_of(e.code):
            spec, s = ds.indicator_spec(ind.code), series.get(ind.code)
            ficha = L.ficha_cells(spec)
            fixed = [spec.code, L.INDICATOR_LEVEL, spec.name, spec.element, ficha["aligned_to"], spec.entity, ficha["direction"],
                     ficha["accumulated"], ficha["unit"], spec.baseline_year, _observation(s.baseline) if s else None]
            rows.append(fixed + [_observation(s.targets.get(y)) if s else None for y in years]
                        + [_observation(s.actuals.get(y)) if s else None for y in years])
            kinds.append(indicator_level(ds.plan, ind))
    _table(ws, headers, rows, {"Denominación": 60, "Código": 18})
    copies = [k for k, (_, key) in enumerate(L.MATRIX_COLUMNS, 1) if key in L.MATRIX_COPIES]
    for r, kind in enumerate(kinds, 2):
        if kind == "element":
            for k in range(1, len(headers) + 1):
                ws.cell(r, k).style = ELEMENT
        else:
            for k in copies:
                ws.cell(r, k).style = COPY
    ws.freeze_panes = "D2"


def _texts(ws, ds: Dataset) -> None:
    rows = [["", L.TEXT_CLASSES["texts"], path, kind, value] for path, kind, value in flatten(ds.spec.texts)]
    for e in ds.spec.elements:
        for field in ("texts", "attributes"):
            rows += [[e.code, L.TEXT_CLASSES[field], path, kind, value] for path, kind, value in flatten(getattr(e, field))]
    for i in ds.indicator_specs:
        rows += [[i.code, L.TEXT_CLASSES["texts"], path, kind, value] for path, kind, value in flatten(i.texts)]
    _table(ws, [h for h, _ in L.TEXT_COLUMNS], rows, {"Clave": 40, "Contenido": 100})
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _values(ws, ds: Dataset) -> None:
    rows = [[r.indicator, r.year, r.period, L.FIGURE_LABELS[r.kind], r.value, r.status.value if r.status else None,
             r.vintage, r.source, r.note or None] for r in ds.records]
    _table(ws, [h for h, _ in L.VALUE_COLUMNS], rows, {"Código": 18, "Fuente": 30, "Nota": 60})
    _choices(ws, 3, ["anual", "S1"], len(rows) + 1)
    _choices(ws, 4, L.FIGURE_LABELS.values(), len(rows) + 1)
    _choices(ws, 6, L.STATUSES, len(rows) + 1)


def _instructions(ws, ds: Dataset, years: list[int]) -> None:
    span = f" ({years[0]}–{years[-1]})" if years else ""
    lines = [
        f"{ds.spec.name}: libro del plan para Vigía",
        "",
        HEADINGS[0],
        f"• Matriz: la matriz de CEPLAN. Una fila por elemento (objetivo, acción, lineamiento, servicio…) y, debajo, una por "
        f"indicador, con su línea de base, sus logros esperados y sus valores obtenidos por año{span} de la edición vigente. "
        "Aquí se escriben las metas: agregue los logros esperados de los años que falten hasta el horizonte del plan.",
        "• Fichas: la ficha completa de cada indicador (elemento al que mide, entidad, sentido esperado, unidad de medida, "
        "rango válido, numerador y denominador…).",
        "• Niveles: la jerarquía del plan, de arriba abajo (p. ej. Objetivo → Acción → Actividad) y de qué nivel depende cada uno.",
        "• Plan: código, tipo, nombre, reglas de cálculo, entidad y periodo.",
        "• Ediciones: cada documento cuyas cifras guarda el plan (reporte, informe); una sola es la vigente.",
        "• Textos: textos y atributos del plan, de sus elementos y de sus indicadores (una fila por dato).",
        "• Valores: cada cifra con su año, periodo, tipo, estado, edición, fuente y nota, incluidas las que la Matriz no "
        "muestra (otras ediciones, semestres, avances publicados).",
        "",
        HEADINGS[1],
        "1. Números con punto o coma decimal (37.5 o 37,5), sin fórmulas ni celdas combinadas. Un porcentaje se escribe en "
        "puntos porcentuales: 37.85 (o 37.85 % con formato de porcentaje), nunca 0.3785 sin ese formato.",
        "2. ND (no disponible) y SD (sin dato) son estados, no números: escríbalos en la celda en lugar del valor. Una celda "
        "vacía significa que no hay cifra.",
        "3. En las filas de indicador de la Matriz, las columnas en gris (denominación, elemento, entidad, sentido, unidad, año "
        "de línea de base) repiten la ficha para leerla junto a las cifras: se cambian en la hoja Fichas. Si difieren, vale la "
        "ficha y Vigía lo advierte.",
        "4. Para agregar un elemento, inserte su fila en la Matriz después de la del elemento del que depende (columna «Depende "
        "de»). Para agregar un indicador, escriba su ficha en Fichas y su fila en la Matriz con Nivel «Indicador».",
        "5. Para la edición vigente y el periodo anual, manda la Matriz: una cifra cambiada allí reemplaza a la de Valores; "
        "una celda vaciada la elimina. Lo demás se lee de Valores. Toda cifra nueva cita como fuente la norma o el libro importado.",
        "6. Vigía valida fila por fila y guarda todo o nada: si algo está mal, indica hoja, fila y columna y no cambia nada.",
        "",
        HEADINGS[2],
        "• Plan nuevo: vigia plan import ARCHIVO.xlsx --code CODIGO-NUEVO (o «Cargar un plan» en la web).",
        f"• Nueva versión de {ds.spec.code}: vigia plan import ARCHIVO.xlsx --version-of {ds.spec.code} "
        "--legal-reference \"Resolución …\" --applies-from AAAA-MM-DD.",
    ]
    for r, line in enumerate(lines, 1):
        _append(ws, r, [line])
    ws.column_dimensions["A"].width = 140
    for row in ws.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(1, 1).font = Font(bold=True, size=13)
    for r, line in enumerate(lines, 1):
        if line in HEADINGS:
            ws.cell(r, 1).font = Font(bold=True)
