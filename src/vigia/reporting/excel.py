"""Excel round-trip of a campaign: a template per entity, filled offline and uploaded back.

The upload is all-or-nothing: every row is checked first (the same validation as the web form)
and either all are saved or none is, with a row-by-row report of what is wrong. The file itself
is read by ``uploads.read_sheet``, which never reads more than the template can hold.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from vigia import outputs
from vigia.methodology.validation import shown

from . import batch
from . import permissions as perms
from .models import Campaign, Submission
from .uploads import Unreadable, read_sheet

SHEET = "Reporte"
COLUMNS = ["Código", "Indicador", "Unidad", "Año", "Periodo", "Logro esperado", "Valor obtenido", "Numerador",
           "Denominador", "Estado (ND/SD)", "Motivo", "Fuente", "Análisis descriptivo", "Justificación", "Versión"]
EDITABLE = {"Valor obtenido", "Numerador", "Denominador", "Estado (ND/SD)", "Motivo", "Fuente", "Análisis descriptivo", "Justificación"}
REPORTED = ("Valor obtenido", "Numerador", "Denominador", "Estado (ND/SD)")


def template(campaign: Campaign, submissions: list[Submission], targets: dict[str, float | None]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    outputs.append(ws, COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE3EA")
    for s in submissions:
        ind = s.indicator
        outputs.append(ws, [ind.code, ind.name, ind.unit_label or ind.get_unit_display(), campaign.year, campaign.period,
                            targets.get(ind.code), s.value, s.numerator, s.denominator, s.status, s.reason, s.source, s.analysis,
                            s.justification, s.version])
    last = ws.max_row
    for col, name in enumerate(COLUMNS, 1):
        for row in range(2, last + 1):
            ws.cell(row, col).protection = Protection(locked=name not in EDITABLE)
        ws.column_dimensions[ws.cell(1, col).column_letter].width = 60 if name in ("Indicador", "Análisis descriptivo") else 16
    number = DataValidation(type="decimal", operator="between", formula1="-1000000000", formula2="1000000000", allow_blank=True,
                            error="Escriba un número (coma o punto decimal).", errorTitle="Valor no válido", showErrorMessage=True)
    status = DataValidation(type="list", formula1='"ND,SD"', allow_blank=True, error="Use ND, SD o deje vacío.", showErrorMessage=True)
    ws.add_data_validation(number)
    ws.add_data_validation(status)
    for letter in "GHI":
        number.add(f"{letter}2:{letter}{max(last, 2)}")
    status.add(f"J2:J{max(last, 2)}")
    ws.freeze_panes = "C2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    info = wb.create_sheet("Instrucciones")
    for line in (
        f"Campaña: {campaign.name} — plazo {campaign.deadline:%d/%m/%Y}",
        "1. Complete solo las columnas en blanco de la derecha: valor obtenido (o numerador y denominador), estado ND/SD con su motivo, fuente, análisis y, si el valor cambia más de 50 % respecto al año anterior, la justificación.",
        "2. Use coma o punto decimal (37,5 o 37.5). No escriba fórmulas ni combine celdas.",
        "3. No cambie las columnas bloqueadas (código, indicador, año, versión): Vigía las usa para saber qué reporta cada fila.",
        "4. Suba el archivo en la página de la campaña. Se guarda todo o nada: si una fila tiene un error, Vigía lo indica y no cambia ningún valor.",
        "5. Si otra persona modificó un indicador después de que descargó esta plantilla, su fila se rechaza: descargue una plantilla nueva.",
    ):
        outputs.append(info, [line])
    info.column_dimensions["A"].width = 140
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class Upload:
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    saved: int = 0  # reports whose content changed
    unchanged: int = 0  # filled rows identical to what is stored
    submitted: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def upload(campaign: Campaign, user, file, submit: bool = False) -> Upload:
    """Check every row of an uploaded template, then save all of them or none (and, with
    ``submit``, send the complete ones to review). An unchanged row changes nothing; every
    problem of every row is listed together."""
    result = Upload()
    if campaign.closed:
        result.errors.append((None, "La campaña está cerrada: no recibe reportes hasta que la oficina de planeamiento la reabra."))
        return result
    submissions = {s.indicator.code: s for s in campaign.submissions.select_related("indicator", "updated_by", "campaign__plan")}
    try:
        sheet = read_sheet(file, max_rows=len(submissions) + 1, sheet=SHEET)
    except Unreadable as exc:
        result.errors.append((None, str(exc)))
        return result
    header = [c.value for c in sheet.rows[0][: len(COLUMNS)]] if sheet.rows else []
    if header != COLUMNS:
        missing = [c for c in COLUMNS if c not in header]
        result.errors.append((1, f"Las columnas no son las de la plantilla{': faltan ' + ', '.join(missing) if missing else ' (orden cambiado)'}."))
        return result
    if sheet.merged:
        result.errors.append((None, "La hoja tiene celdas combinadas; sepárelas."))
        return result
    rows = [row for r, cells in enumerate(sheet.rows[1:], start=2) if (row := _row(r, cells, submissions, user, submit, result))]
    try:
        done = batch.deliver(user, campaign, rows, [batch.Problem(r or 0, "", message) for r, message in result.errors])
    except batch.Refused as refused:
        result.errors = [(p.number or None, p.message) for p in refused.problems]
        return result
    result.saved = sum(d.changed for d in done)
    result.unchanged = sum(not d.changed for d in done)
    result.submitted = sum(d.submitted for d in done)
    result.warnings = [w for d in done for w in d.warnings]
    return result


def _row(r: int, cells, submissions: dict, user, submit: bool, result: Upload) -> batch.Row | None:
    """One sheet row as a delivery row; a row that cannot be read adds its error to ``result``."""
    cells = cells[: len(COLUMNS)]
    values = {name: cell.value for name, cell in zip(COLUMNS, cells)}
    if not any(v not in (None, "") for v in values.values()):
        return None
    formulas = [COLUMNS[k] for k, cell in enumerate(cells) if cell.data_type == "f"]
    if formulas:
        result.errors.append((r, f"contiene fórmulas en {', '.join(formulas)}; escriba los valores."))
        return None
    code = values["Código"] if isinstance(values["Código"], str) else ""
    s = submissions.get(code.strip())
    if s is None:
        result.errors.append((r, f"«{shown(values['Código'] or '')}» no es un indicador de esta campaña."))
        return None
    if not perms.can_report(user, s.indicator):
        result.errors.append((r, f"{s.indicator.code}: su entidad no es responsable de este indicador."))
        return None
    data = {"value": values["Valor obtenido"], "status": values["Estado (ND/SD)"] or "", "reason": values["Motivo"],
            "numerator": values["Numerador"], "denominator": values["Denominador"], "source": values["Fuente"],
            "analysis": values["Análisis descriptivo"], "justification": values["Justificación"]}
    if all(values[c] in (None, "") for c in REPORTED):
        return None  # not reported yet: the row stays as it is
    if str(values["Versión"]).removesuffix(".0") != str(s.version):
        if _same(s, data):
            return None  # nothing to change, however old the template
        result.errors.append((r, f"{s.indicator.code}: el reporte cambió desde que descargó la plantilla "
                                 f"(versión {shown(values['Versión'])} → {s.version}); descargue una nueva."))
        return None
    return batch.Row(r, s, s.version, data, submit=submit and s.state in batch.SENDABLE)


def _same(s: Submission, data: dict) -> bool:
    """Whether a row carries exactly the stored figure (a stale template's untouched row)."""
    status = str(data["status"] or "").strip().upper()
    return status == s.status and (data["value"] == s.value or (data["value"] in (None, "") and s.value is None))
