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
from openpyxl.worksheet.worksheet import Worksheet

from vigia import outputs
from vigia.methodology.bands import ORDER, Band
from vigia.methodology.rules import RuleSet

from .common import BAND_FILL, BAND_WORD, reproducible_zip

XLSX_TYPE = outputs.XLSX_TYPE
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


def write_sheet(ws: Worksheet, sheet: Sheet, preliminary: bool = False) -> None:
    outputs.append(ws, sheet.header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    col = {name: k + 1 for k, name in enumerate(sheet.header)}
    band_idx = col.get(sheet.band_column) if sheet.band_column else None
    progress_idx = col.get(sheet.progress_column) if sheet.progress_column else None
    value_idx = [col[c] for c in sheet.value_columns if c in col]
    for k, row in enumerate(sheet.rows):
        outputs.append(ws, row)
        r = ws.max_row
        unit = sheet.units[k] if k < len(sheet.units) else None
        for c in value_idx:
            cell = ws.cell(r, c)
            if isinstance(cell.value, (int, float)):
                cell.number_format = PERCENT_FORMAT if unit == "percentage" else (
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
    props.title = outputs.text(title) or None
    props.keywords = outputs.text(keywords) or None
    props.description = outputs.text(description) or None
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


def render(src, kind: str) -> bytes:
    """The report's figures as a workbook: summary, one sheet per level, alerts, methodology."""
    from vigia.methodology import alerts as alert_rules
    from vigia.presentation import matrix as presenters

    from .common import LEVEL_NAMES, band_word, displayed_value

    rules: RuleSet = src.rules
    m_years = src.years
    rows = presenters.matrix(src.ds, src.ev, m_years, presenters.Filters(), src.vintage)
    header, body = presenters.export_table(rows, m_years, src.year)
    header = [*header, "Observación"]
    body = [[*b, r.reason] for b, r in zip(body, rows)]
    parents = {e.code: e.parent for e in src.spec.elements}
    decimals = "0." + "0" * rules.decimals if rules.decimals else "0"
    values = [h for h in header if h.startswith(("Logro esperado", "Valor obtenido", "Línea de base"))]
    progress_col = f"Avance {src.year} (%)"
    sheets: list[Sheet] = []
    levels = list(dict.fromkeys(r.level for r in rows))
    element_header = ["Código", "Nivel", "Nombre", "Depende de", "Objetivo", progress_col, "Semáforo", "Observación"]
    for level in levels:
        picked = [(r, b) for r, b in zip(rows, body) if r.level == level]
        if picked[0][0].is_indicator:
            sheets.append(Sheet(level, header, [b for _, b in picked], "Semáforo", progress_col, decimals,
                                [r.unit for r, _ in picked], values, {"Observación": 30}, freeze="D2"))
        else:
            measured = [(r, b) for r, b in picked if r.measured]
            if not measured:
                continue
            sheets.append(Sheet(level, element_header,
                                [[r.code, r.level, r.name, parents.get(r.code) or "", r.objective, r.progress,
                                  r.band.value, "" if r.progress is not None else "sin avance (ND)"] for r, _ in measured],
                                "Semáforo", progress_col, decimals, freeze="D2"))
    operational = [e for e in src.spec.elements if e.level in ("AO", "INV")]
    if operational:
        sheets.append(Sheet("AO e inversiones", ["Código", "Nivel", "Nombre", "Depende de", "CUI", "Año", "Lo realizado"],
                            [[e.code, e.level, e.name, e.parent or "", e.attributes.get("cui"), e.attributes.get("year"),
                              e.attributes.get("description", "")] for e in operational],
                            None, widths={"Lo realizado": 90}))
    if kind == "seguimiento":
        found = alert_rules.alerts(src.ev, src.series)
        sheets.append(Sheet("Alertas", ["Alerta", "Título", "Código", "Nombre", "Detalle"],
                            [[a.kind, a.title, i.code, i.name, i.detail] for a in found for i in a.items], None,
                            widths={"Título": 40, "Detalle": 70}))
    sheets.append(Sheet("Metodología", ["Regla", "Texto"], [[r.code, r.text] for r in rules.rules], None,
                        widths={"Texto": 110}, freeze="A2"))
    if src.findings:
        sheets.append(Sheet("Consistencia", ["Gravedad", "Regla", "Código", "Edición", "Hallazgo"],
                            [[f.severity.value, f.rule, f.code, f.edition, f.text] for f in src.findings], None,
                            widths={"Hallazgo": 100}, freeze="A2"))

    def summary(wb):
        ws = wb.create_sheet("Resumen")
        title = f"{'Reporte de seguimiento' if kind == 'seguimiento' else 'Informe de evaluación'} – {src.spec.name}"
        lines = [
            (title, None),
            ("Periodo evaluado", src.period_label),
            ("Fecha de corte de los datos", src.cutoff_label),
            ("Edición de los datos", f"{src.vintage}: {src.vintage_spec.name}"),
            ("Versión de los datos", src.data_version if src.data_version is not None else "conjunto de datos oficial incluido"),
            ("Huella de los datos (SHA-256)", src.checksum),
            ("Estado de los datos", "PRELIMINAR: incluye datos aún no aprobados" if src.preliminary else "Aprobados y publicados"),
            ("Reglas de cálculo", rules.title),
        ]
        for label, value in lines:
            outputs.append(ws, [label, value])
        ws["A1"].font = Font(bold=True, size=13)
        for r in range(2, len(lines) + 1):
            ws.cell(r, 1).font = Font(bold=True)
        ws.append([])
        start = ws.max_row + 1
        outputs.append(ws, ["Código", "Objetivo", progress_col, "Semáforo"])
        for cell in ws[start]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        objective_rows = list(src.ev.objectives)
        if rules.index:
            objective_rows.append(src.rows["INDEX"])
        for o in objective_rows:
            outputs.append(ws, [o.code, o.name, displayed_value(o.progress, rules), o.band.value])
            ws.cell(ws.max_row, 3).number_format = decimals
        end = ws.max_row
        for band in ORDER:
            ws.conditional_formatting.add(f"C{start + 1}:D{end}", FormulaRule(
                formula=[f'$D{start + 1}="{band.value}"'], fill=PatternFill("solid", fgColor=BAND_FILL[band], bgColor=BAND_FILL[band])))
        ws.append([])
        head = ws.max_row + 1
        outputs.append(ws, ["Nivel", *(f"{b.range} ({band_word(b)})" for b in ORDER), "Total"])
        for cell in ws[head]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        for level, counts in src.ev.band_counts.items():
            outputs.append(ws, [f"{level}: {_level_name(src, level, LEVEL_NAMES)}", *(counts[b] for b in ORDER), sum(counts.values())])
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 80
        ws.column_dimensions["C"].width = 16
        ws.column_dimensions["D"].width = 14
        _print_setup(ws, src.preliminary)

    when = datetime(src.document_date.year, src.document_date.month, src.document_date.day)
    return workbook_bytes(
        sheets, when, title=f"{src.spec.name} – {src.period_label}", preliminary=src.preliminary,
        keywords=f"{src.ds.code}; {src.vintage}; sha256:{src.checksum}",
        description=f"Generado por Vigía. Edición {src.vintage}, huella {src.checksum[:12]}"
                    + (f", versión de datos {src.data_version}" if src.data_version is not None else "") + ".",
        extra=summary,
    )


def _level_name(src, level: str, names: dict) -> str:
    try:
        return src.ds.plan.level(level).name
    except StopIteration:
        return names.get(level, level)
