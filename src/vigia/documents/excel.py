"""XLSX workbooks: the matrix downloads of the web pages and the reports' workbook.

Numbers stay numbers (with number formats, never text), headers are frozen and filtered, and
band colours come from conditional formatting on the band column (plus a static fill for
viewers that ignore it), so a value edited in Excel recolours itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from vigia.methodology.bands import ORDER, Band
from vigia.methodology.rules import RuleSet

from .common import BAND_FILL, BAND_WORD, reproducible_zip

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FILLS = {Band.GREEN.value: BAND_FILL[Band.GREEN], Band.YELLOW.value: BAND_FILL[Band.YELLOW],
          Band.RED.value: BAND_FILL[Band.RED], Band.ND.value: BAND_FILL[Band.ND]}
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
PERCENT_FORMAT = '0.00"%"'
NUMBER_FORMAT = "#,##0.00##"
INTEGER_FORMAT = "#,##0"


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list]
    band_column: str | None = "Semáforo"
    progress_column: str | None = None  # numeric avance column, coloured by the band of its row
    progress_format: str = "0.0"
    units: list[str] = field(default_factory=list)  # per row: "percentage" formats value columns as 0.00"%"
    value_columns: list[str] = field(default_factory=list)  # columns that take the row's unit format
    widths: dict[str, float] = field(default_factory=dict)
    freeze: str = "B2"
    percent_format: str = PERCENT_FORMAT  # "0.00%" when percentages are stored as fractions (the report's workbook)
    table: str = ""  # name of an Excel Table over the whole sheet (ready for a pivot table)


def write_sheet(ws: Worksheet, sheet: Sheet, preliminary: bool = False) -> None:
    ws.append(sheet.header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    col = {name: k + 1 for k, name in enumerate(sheet.header)}
    band_idx = col.get(sheet.band_column) if sheet.band_column else None
    progress_idx = col.get(sheet.progress_column) if sheet.progress_column else None
    value_idx = [col[c] for c in sheet.value_columns if c in col]
    for k, row in enumerate(sheet.rows):
        ws.append(row)
        r = ws.max_row
        unit = sheet.units[k] if k < len(sheet.units) else None
        for c in value_idx:
            cell = ws.cell(r, c)
            if isinstance(cell.value, (int, float)):
                cell.number_format = sheet.percent_format if unit == "percentage" else (
                    INTEGER_FORMAT if float(cell.value).is_integer() else NUMBER_FORMAT)
        if progress_idx and isinstance(ws.cell(r, progress_idx).value, (int, float)):
            ws.cell(r, progress_idx).number_format = sheet.progress_format
        if band_idx is not None and row[band_idx - 1] in _FILLS:
            fill = PatternFill("solid", fgColor=_FILLS[row[band_idx - 1]])
            ws.cell(r, band_idx).fill = fill
            if progress_idx:
                ws.cell(r, progress_idx).fill = fill
    last = max(ws.max_row, 1)
    if band_idx is not None and last > 1:
        letter = get_column_letter(band_idx)
        targets = [letter] + ([get_column_letter(progress_idx)] if progress_idx else [])
        for target in targets:
            area = f"{target}2:{target}{last}"
            for band in ORDER:
                ws.conditional_formatting.add(area, FormulaRule(
                    formula=[f'${letter}2="{BAND_WORD[band] if band is not Band.ND else "ND"}"'],
                    fill=PatternFill("solid", fgColor=BAND_FILL[band], bgColor=BAND_FILL[band]), stopIfTrue=True))
    ws.freeze_panes = sheet.freeze
    if sheet.table:
        table = Table(displayName=sheet.table, ref=f"A1:{get_column_letter(len(sheet.header))}{last}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
    else:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{last}"
    for k, name in enumerate(sheet.header, 1):
        default = 48 if name in ("Nombre", "Denominación") else max(10, min(24, len(name) + 2))
        ws.column_dimensions[get_column_letter(k)].width = sheet.widths.get(name, default)
    ws.row_dimensions[1].height = 30
    _print_setup(ws, preliminary)


def _print_setup(ws: Worksheet, preliminary: bool) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = "Página &P de &N"
    if preliminary:
        ws.oddHeader.center.text = "PRELIMINAR – DATOS NO APROBADOS"
        ws.oddHeader.center.font = "Arial,Bold"


def workbook_bytes(sheets: list[Sheet], when: datetime | None = None, title: str = "", preliminary: bool = False,
                   keywords: str = "", description: str = "", extra=None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    if extra:
        extra(wb)
    for sheet in sheets:
        write_sheet(wb.create_sheet(sheet.title[:31]), sheet, preliminary)
    props = wb.properties
    props.creator = props.lastModifiedBy = "Vigía"
    props.title = title or None
    props.keywords = keywords or None
    props.description = description or None
    props.category = "PRELIMINAR" if preliminary else None
    props.language = "es-PE"
    if when:
        props.created = props.modified = when
    buf = io.BytesIO()
    wb.save(buf)
    return reproducible_zip(buf.getvalue(), when) if when else buf.getvalue()


def xlsx_bytes(sheets: dict[str, tuple[list[str], list[list]]], band_column: str = "Semáforo") -> bytes:
    """A download of tables {title: (header, rows)}; used by the matrix and portal downloads."""
    out = []
    for title, (header, rows) in sheets.items():
        progress = next((h for h in header if h.startswith("Avance")), None)
        values = [h for h in header if h.startswith(("Logro esperado", "Valor obtenido", "Línea de base"))]
        out.append(Sheet(title, header, rows, band_column if band_column in header else None, progress, value_columns=values))
    return workbook_bytes(out)


# The report's workbook ---------------------------------------------------------------------------


def _fraction(value, unit: str, decimals: int | None):
    """A figure as the report's workbook stores it: rounded as its source prints it; a percentage as a fraction."""
    if not isinstance(value, (int, float)):
        return value
    from vigia.presentation.numbers import decimals_for

    shown = round(float(value), decimals_for(unit, decimals, value))
    return shown / 100 if unit == "percentage" else shown


def render(src, kind: str, doc=None) -> bytes:
    """The report's figures as a workbook: summary, one sheet per level, a long-format data table, alerts, methodology."""
    from vigia.methodology import alerts as alert_rules
    from vigia.presentation import matrix as presenters

    from .common import LEVEL_NAMES, band_word, displayed_value

    rules: RuleSet = src.rules
    m_years = src.years
    rows = presenters.matrix(src.ds, src.ev, m_years, presenters.Filters(), src.vintage)
    header, body = presenters.export_table(rows, m_years, src.year)
    header = [*header, "Observación"]
    values = [h for h in header if h.startswith(("Logro esperado", "Valor obtenido", "Línea de base"))]
    value_idx = [header.index(h) for h in values]
    progress_col = f"Avance {src.year} (%)"
    progress_idx = header.index(progress_col)
    fixed = []
    for b, r in zip(body, rows):
        b = list(b)
        for k in value_idx:
            b[k] = _fraction(b[k], r.unit, r.decimals)
        b[progress_idx] = b[progress_idx] / 100 if isinstance(b[progress_idx], (int, float)) else b[progress_idx]
        fixed.append([*b, r.reason])
    body = fixed
    parents = {e.code: e.parent for e in src.spec.elements}
    decimals = ("0." + "0" * rules.decimals if rules.decimals else "0") + "%"
    sheets: list[Sheet] = []
    if kind == "consistencia":
        from vigia.presentation.findings import plain

        sheets.append(Sheet("Diferencias", ["Qué hacer", "Código", "Año", "Diferencia"],
                            [[{"error": "Corregir en la fuente", "aviso": "Verificar"}.get(f.severity.value, "Para conocimiento"),
                              f.code, f.year, plain(f, src.ds)] for f in src.findings], None, widths={"Diferencia": 110}, freeze="A2"))
        if doc is not None and doc.omitted:
            sheets.append(Sheet("Pasajes no publicados", ["Pasaje"], [[p] for p in doc.omitted], None, widths={"Pasaje": 140}, freeze="A2"))
    levels = list(dict.fromkeys(r.level for r in rows))
    element_header = ["Código", "Nivel", "Nombre", "Depende de", "Objetivo", progress_col, "Semáforo", "Observación"]
    for level in levels if kind != "consistencia" else ():
        picked = [(r, b) for r, b in zip(rows, body) if r.level == level]
        if picked[0][0].is_indicator:
            sheets.append(Sheet(level, header, [b for _, b in picked], "Semáforo", progress_col, decimals,
                                [r.unit for r, _ in picked], values, {"Observación": 30}, freeze="D2", percent_format="0.00%"))
        else:
            measured = [(r, b) for r, b in picked if r.measured]
            if not measured:
                continue
            sheets.append(Sheet(level, element_header,
                                [[r.code, r.level, r.name, parents.get(r.code) or "", r.objective,
                                  None if r.progress is None else r.progress / 100,
                                  r.band.value, "" if r.progress is not None else "sin avance (ND)"] for r, _ in measured],
                                "Semáforo", progress_col, decimals, freeze="D2"))
    if kind != "consistencia":
        sheets.append(_long_sheet(src, rows, m_years))
    operational = [e for e in src.spec.elements if e.level in ("AO", "INV")]
    if operational and kind != "consistencia":
        sheets.append(Sheet("AO e inversiones", ["Código", "Nivel", "Nombre", "Depende de", "CUI", "Año", "Lo realizado"],
                            [[e.code, e.level, e.name, e.parent or "", e.attributes.get("cui"), e.attributes.get("year"),
                              e.attributes.get("description", "")] for e in operational],
                            None, widths={"Lo realizado": 90}))
    if kind == "seguimiento":
        found = alert_rules.alerts(src.ev, src.series)
        sheets.append(Sheet("Alertas", ["Alerta", "Título", "Código", "Nombre", "Detalle"],
                            [[a.kind, a.title, i.code, i.name, i.detail] for a in found for i in a.items], None,
                            widths={"Título": 40, "Detalle": 70}))
    sheets.append(Sheet("Metodología", ["Regla", "Texto"], [[r.text.split(":")[0][:40], r.text] for r in rules.rules], None,
                        widths={"Texto": 110}, freeze="A2"))

    def summary(wb):
        ws = wb.create_sheet("Resumen")
        from . import KIND_NAMES

        title = f"{KIND_NAMES[kind]} – {src.spec.name}"
        lines = [
            (title, None),
            ("Periodo evaluado", src.period_label),
            ("Fecha de corte de los datos", src.cutoff_label),
            ("Edición de los datos", f"{src.vintage}: {src.vintage_spec.name}"),
            ("Versión de los datos", src.data_version if src.data_version is not None else "conjunto de datos oficial incluido"),
            ("Estado de los datos", "PRELIMINAR: incluye datos aún no aprobados" if src.preliminary else "Aprobados y publicados"),
            ("Reglas de cálculo", rules.title),
        ]
        for label, value in lines:
            ws.append([label, value])
        ws["A1"].font = Font(bold=True, size=13)
        for r in range(2, len(lines) + 1):
            ws.cell(r, 1).font = Font(bold=True)
        ws.append([])
        start = ws.max_row + 1
        ws.append(["Código", "Objetivo", progress_col, "Semáforo"])
        for cell in ws[start]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        objective_rows = list(src.ev.objectives)
        if rules.index:
            objective_rows.append(src.rows["INDEX"])
        for o in objective_rows:
            shown = displayed_value(o.progress, rules)
            ws.append([o.code if o.code != "INDEX" else "Índice", o.name, None if shown is None else shown / 100, o.band.value])
            ws.cell(ws.max_row, 3).number_format = decimals
        end = ws.max_row
        for band in ORDER:
            ws.conditional_formatting.add(f"C{start + 1}:D{end}", FormulaRule(
                formula=[f'$D{start + 1}="{band.value}"'], fill=PatternFill("solid", fgColor=BAND_FILL[band], bgColor=BAND_FILL[band])))
        ws.append([])
        head = ws.max_row + 1
        ws.append(["Nivel", *(f"{b.range} ({band_word(b)})" for b in ORDER), "Total"])
        for cell in ws[head]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        for level, counts in src.ev.band_counts.items():
            ws.append([f"{level}: {_level_name(src, level, LEVEL_NAMES)}", *(counts[b] for b in ORDER), sum(counts.values())])
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 80
        ws.column_dimensions["C"].width = 16
        ws.column_dimensions["D"].width = 14
        _print_setup(ws, src.preliminary)

    when = datetime(src.document_date.year, src.document_date.month, src.document_date.day)
    return workbook_bytes(
        sheets, when, title=f"{src.spec.name} – {src.period_label}", preliminary=src.preliminary,
        keywords=f"{src.ds.code}; {src.vintage}; sha256:{src.checksum}",
        description=f"Edición {src.vintage}, huella SHA-256 {src.checksum}"
                    + (f", versión de datos {src.data_version}" if src.data_version is not None else "") + ".",
        extra=summary,
    )


KIND_LABELS = {"baseline": "Línea de base", "target": "Logro esperado", "actual": "Valor obtenido"}
UNIT_LABELS = {"percentage": "porcentaje", "number": "número", "rate": "tasa", "ratio": "ratio", "index": "índice",
               "amount": "monto", "variation_rate": "tasa de variación"}


def _long_sheet(src, rows, years) -> Sheet:
    """One row per indicator, year and kind of figure (and the avance of the year): ready for a pivot table."""
    from vigia.presentation.numbers import ABSENT_LABEL

    header = ["Código", "Nivel", "Objetivo", "Nombre", "Entidad", "Unidad", "Año", "Periodo", "Cifra", "Valor", "Estado"]
    out, units = [], []
    for r in rows:
        if not r.is_indicator:
            continue
        spec = src.ds.indicator_spec(r.code)
        unit = spec.unit_label or UNIT_LABELS.get(r.unit, r.unit)
        figures = [(r.baseline_year, "baseline", r.baseline)] + [(y, "target", o) for y, o in zip(years, r.targets)] \
            + [(y, "actual", o) for y, o in zip(years, r.actuals)]
        for year, kind, obs in figures:
            state = "" if obs.value is not None else (obs.status.value if obs.status else ABSENT_LABEL)
            out.append([r.code, r.level, r.objective, r.name, r.entity, unit, year, src.period, KIND_LABELS[kind],
                        _fraction(obs.value, r.unit, r.decimals), state])
            units.append(r.unit)
        out.append([r.code, r.level, r.objective, r.name, r.entity, "porcentaje", src.year, src.period, "Avance",
                    None if r.progress is None else r.progress / 100, "" if r.progress is not None else "ND"])
        units.append("percentage")
    return Sheet("Datos", header, out, None, units=units, value_columns=["Valor"], widths={"Nombre": 48, "Estado": 20},
                 freeze="A2", percent_format="0.00%", table="Datos")


def _level_name(src, level: str, names: dict) -> str:
    try:
        return src.ds.plan.level(level).name
    except StopIteration:
        return names.get(level, level)
