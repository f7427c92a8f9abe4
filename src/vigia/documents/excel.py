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

from vigia import outputs
from vigia.methodology.bands import ORDER, Band
from vigia.methodology.rules import RuleSet

from vigia.presentation import matrix as presenters
from vigia.presentation.numbers import ABSENT_LABEL, decimals_for

from .common import BAND_FILL, BAND_WORD, displayed_value, reproducible_zip

XLSX_TYPE = outputs.XLSX_TYPE
_FILLS = {Band.GREEN.value: BAND_FILL[Band.GREEN], Band.YELLOW.value: BAND_FILL[Band.YELLOW],
          Band.RED.value: BAND_FILL[Band.RED], Band.ND.value: BAND_FILL[Band.ND]}
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
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
    formats: list[str] = field(default_factory=list)  # per row: the number format of its value columns ("": by value)
    value_columns: list[str] = field(default_factory=list)  # columns that take the row's number format
    widths: dict[str, float] = field(default_factory=dict)
    freeze: str = "B2"
    table: str = ""  # name of an Excel Table over the whole sheet (ready for a pivot table)


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
        fmt = sheet.formats[k] if k < len(sheet.formats) else ""
        for c in value_idx:
            cell = ws.cell(r, c)
            if isinstance(cell.value, (int, float)):
                cell.number_format = fmt or (INTEGER_FORMAT if float(cell.value).is_integer() else NUMBER_FORMAT)
        if progress_idx and isinstance(ws.cell(r, progress_idx).value, (int, float)):
            ws.cell(r, progress_idx).number_format = sheet.progress_format
        if band_idx is not None and row[band_idx - 1] in _FILLS:
            fill = PatternFill("solid", fgColor=_FILLS[row[band_idx - 1]])
            ws.cell(r, band_idx).fill = fill
            if progress_idx:
                ws.cell(r, progress_idx).fill = fill
    last = len(sheet.rows) + 1
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
                   keywords: str = "", description: str = "", extra=None, creator: str = "Vigía") -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    if extra:
        extra(wb)
    for sheet in sheets:
        write_sheet(wb.create_sheet(sheet.title[:31]), sheet, preliminary)
    props = wb.properties
    props.creator = props.lastModifiedBy = outputs.text(creator)
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


def fraction(value, unit: str, decimals: int | None):
    """A figure as the report's workbook stores it: rounded as its source prints it; a percentage as a fraction."""
    if not isinstance(value, (int, float)):
        return value
    places = decimals_for(unit, decimals, value)
    shown = round(float(value), places)
    return round(shown / 100, places + 2) if unit == "percentage" else shown


def value_format(unit: str, decimals: int | None, fraction: bool = True) -> str:
    """The number format that prints a value as its source does: 24% or 36.50%, 6,235, 3.75. A
    percentage is stored as a fraction (0.365 shown 36.50%), or with ``fraction=False`` as the
    figure itself (36.5 shown 36.50%: the matrix workbook, which the matrix import reads back)."""
    if unit == "percentage":
        places = decimals_for(unit, decimals)
        digits = "0" if places == 0 else f"0.{'0' * places}"
        return f"{digits}%" if fraction else f'{digits}"%"'
    if decimals is None:
        return ""
    return "#,##0" if decimals == 0 else f"#,##0.{'0' * decimals}"


def _avance(value: float | None, rules: RuleSet) -> float | None:
    """An avance as a fraction, rounded as the document publishes it (57.62 → 0.5762, never 0.576199…)."""
    shown = displayed_value(value, rules)
    return None if shown is None else round(shown / 100, rules.decimals + 2)


def render(src, kind: str, doc=None) -> bytes:
    """The report's figures as a workbook: summary, one sheet per level the document reports, a long-format data
    table, operational activities and investments, alerts, methodology (the consistency report: its findings)."""
    from vigia.methodology import alerts as alert_rules

    from . import KIND_NAMES
    from .annexes import reported_levels
    from .narrative import alert_detail

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
            b[k] = fraction(b[k], r.unit, r.decimals)
        b[progress_idx] = _avance(b[progress_idx], rules)
        fixed.append([*b, r.reason])
    body = fixed
    parents = {e.code: e.parent for e in src.spec.elements}
    decimals = ("0." + "0" * rules.decimals if rules.decimals else "0") + "%"
    sheets: list[Sheet] = []
    if kind == "consistencia":
        from vigia.presentation.findings import plain

        from .consistencia import ATTENTION

        found = [f for f in src.findings if f.year in (None, src.year)]
        sheets.append(Sheet("Diferencias", ["Qué hacer", "Código", "Año", "Diferencia"],
                            [[ATTENTION.get(f.severity.value, "Verificar"), f.code, f.year, plain(f, src.ds)] for f in found],
                            None, widths={"Diferencia": 110}, freeze="A2"))
        if doc is not None and doc.omitted:
            sheets.append(Sheet("Pasajes no publicados", ["Pasaje", "Se publica en su lugar"], [list(o) for o in doc.omitted], None,
                                widths={"Pasaje": 90, "Se publica en su lugar": 60}, freeze="A2"))
    else:
        levels = reported_levels(src)
        element_header = ["Código", "Nivel", "Nombre", "Depende de", "Objetivo", progress_col, "Semáforo", "Observación"]
        for level in levels:
            picked = [(r, b) for r, b in zip(rows, body) if r.level == level]
            if not picked:
                continue
            if picked[0][0].is_indicator:
                sheets.append(Sheet(level, header, [b for _, b in picked], "Semáforo", progress_col, decimals,
                                    [value_format(r.unit, r.decimals) for r, _ in picked], values, {"Observación": 30},
                                    freeze="D2"))
            else:
                sheets.append(Sheet(level, element_header,
                                    [[r.code, r.level, r.name, parents.get(r.code) or "", r.objective, _avance(r.progress, rules),
                                      r.band.value, "" if r.progress is not None else "sin avance (ND)"]
                                     for r, _ in picked if r.measured],
                                    "Semáforo", progress_col, decimals, freeze="D2"))
        sheets.append(_long_sheet(src, rows, m_years))
        operational = _operational(src)
        if operational:
            sheets.append(Sheet("AO e inversiones", ["Código", "Nivel", "Nombre", "Acción estratégica", "CUI", "Año", "Lo realizado"],
                                operational, None, widths={"Lo realizado": 90}))
    if kind == "seguimiento":
        found = alert_rules.alerts(src.ev, src.series)
        sheets.append(Sheet("Alertas", ["Alerta", "Título", "Código", "Nombre", "Detalle"],
                            [[a.kind, a.title, i.code, i.name, alert_detail(src, a.kind, i)] for a in found for i in a.items], None,
                            widths={"Título": 40, "Detalle": 70}))
    if kind != "consistencia":
        sheets.append(Sheet("Metodología", ["N.°", "Regla aplicada (en este orden)"], [[k, r.text] for k, r in enumerate(rules.rules, 1)],
                            None, widths={"N.°": 6, "Regla aplicada (en este orden)": 120}, freeze="A2"))

    def summary(wb):
        ws = wb.create_sheet("Resumen")
        lines = [
            (f"{KIND_NAMES[kind]} – {src.spec.name}", None),
            ("Periodo evaluado", src.period_label),
            ("Fecha de corte de los datos", src.cutoff_label),
            ("Edición de los datos", src.vintage_spec.name),
            ("Versión de los datos", src.data_version if src.data_version is not None else "conjunto de datos oficial incluido"),
            ("Estado de los datos", "PRELIMINAR: incluye datos aún no aprobados" if src.preliminary else "Aprobados y publicados"),
            ("Reglas de cálculo", rules.title),
            ("Celdas", f"un número; ND o SD cuando la fuente declara el dato no disponible; vacía: {ABSENT_LABEL}"),
        ]
        for label, value in lines:
            outputs.append(ws, [label, value])
        ws["A1"].font = Font(bold=True, size=13)
        for r in range(2, len(lines) + 1):
            ws.cell(r, 1).font = Font(bold=True)
        if kind != "consistencia":
            _summary_tables(ws, src, progress_col, decimals)
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
        extra=summary, creator=str(src.signoff.get("author") or src.spec.entity_name or src.spec.entity),
    )


def _summary_tables(ws, src, progress_col: str, decimals: str) -> None:
    """The objectives' avance (and the index) and the band counts of the levels the document reports."""
    from .annexes import level_label, reported_levels

    rules = src.rules
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
        outputs.append(ws, [o.code if o.code != "INDEX" else "Índice", o.name, _avance(o.progress, rules), o.band.value])
        ws.cell(ws.max_row, 3).number_format = decimals
    end = ws.max_row
    for band in ORDER:
        ws.conditional_formatting.add(f"C{start + 1}:D{end}", FormulaRule(
            formula=[f'$D{start + 1}="{band.value}"'], fill=PatternFill("solid", fgColor=BAND_FILL[band], bgColor=BAND_FILL[band])))
    ws.append([])
    head = ws.max_row + 1
    outputs.append(ws, ["Nivel", *(f"{b.range} ({BAND_WORD[b] if b is not Band.ND else 'gris'})" for b in ORDER), "Total"])
    for cell in ws[head]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for level in reported_levels(src):
        counts = src.ev.band_counts[level]
        outputs.append(ws, [level_label(src.ds.plan, level), *(counts[b] for b in ORDER), sum(counts.values())])


def _operational(src) -> list[list]:
    """One row per operational activity (AO) or investment (CUI); an investment that is the object of an AO is
    that AO's row (its CUI column), not a second row with the same work."""
    elements = [e for e in src.spec.elements if e.level in ("AO", "INV")]
    level = {e.code: e.level for e in src.spec.elements}
    parent = {e.code: e.parent for e in src.spec.elements}
    rows = []
    for e in elements:
        if e.level == "INV" and level.get(e.parent) == "AO":
            continue
        action = e.parent if level.get(e.parent) != "AO" else parent.get(e.parent)
        rows.append([e.code, "Inversión" if e.level == "INV" else "Actividad operativa", e.name, action or "",
                     e.attributes.get("cui"), e.attributes.get("year"), e.attributes.get("description", "")])
    return rows


KIND_LABELS = {"baseline": "Línea de base", "target": "Logro esperado", "actual": "Valor obtenido"}
UNIT_LABELS = {"percentage": "%", "number": "número", "rate": "tasa", "ratio": "ratio", "index": "índice",
               "amount": "monto", "variation_rate": "tasa de variación"}


def _long_sheet(src, rows, years) -> Sheet:
    """One row per indicator, year and kind of figure (and the avance of the year): ready for a pivot table."""
    header = ["Código", "Nivel", "Objetivo", "Nombre", "Entidad", "Unidad", "Año", "Periodo", "Cifra", "Valor", "Estado"]
    out, formats = [], []
    avance = "0." + "0" * src.rules.decimals + "%" if src.rules.decimals else "0%"
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
                        fraction(obs.value, r.unit, r.decimals), state])
            formats.append(value_format(r.unit, r.decimals))
        out.append([r.code, r.level, r.objective, r.name, r.entity, "% de avance", src.year, src.period, "Avance",
                    _avance(r.progress, src.rules), "" if r.progress is not None else "ND"])
        formats.append(avance)
    return Sheet("Datos", header, out, None, formats=formats, value_columns=["Valor"], widths={"Nombre": 48, "Estado": 20},
                 freeze="A2", table="Datos")
