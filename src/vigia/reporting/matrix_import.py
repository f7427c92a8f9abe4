"""Import of the whole CEPLAN-style matrix (the XLSX that the matrix page exports), all or nothing.

The planning office edits the current edition in Excel and loads it back. Every changed cell is
validated first (the same rules as the web form) and either everything changes or nothing does:

* a changed logro esperado is set at once, as on the targets page (with its resolution once a
  value of that year was approved), and recorded in the audit trail;
* a changed valor obtenido goes through the workflow like any other report: it becomes a report
  sent to review in the campaign of its year (opened for the import when there is none), and is
  published only when someone else approves and publishes it. A report still open in that
  campaign (being written or under review) is reported as a conflict, never overwritten; a
  closed campaign takes no values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from vigia.core import inputs
from vigia.core import models as core
from vigia.core.inputs import Invalid
from vigia.core.versions import bump
from vigia.methodology.validation import YEARS, check_number, check_target_change, shown

from . import locks, plan_editing, services
from .models import Campaign, State, Submission, Transition
from .uploads import Unreadable, read_sheet

COLUMN = re.compile(r"^(Logro esperado|Valor obtenido) (\d{4})$")
KINDS = {"Logro esperado": "target", "Valor obtenido": "actual"}
SOURCE = "Matriz importada por la oficina de planeamiento"
OPEN = (State.DRAFT, State.SUBMITTED, State.OBSERVED, State.APPROVED)


@dataclass
class MatrixImport:
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    targets: int = 0  # logros esperados changed
    submitted: int = 0  # valores obtenidos sent to review

    @property
    def changed(self) -> int:
        return self.targets + self.submitted


@dataclass
class _Cell:
    row: int
    indicator: core.Indicator
    year: int
    kind: str
    value: float | None
    status: str


def import_matrix(plan: core.Plan, user, file, resolution: str = "") -> MatrixImport:
    result = MatrixImport()
    try:
        resolution = inputs.text(core.Value, "resolution", resolution)
    except Invalid as exc:
        result.errors += [(None, e) for e in exc.errors]
        return result
    cells = _read(plan, file, resolution, result)
    if result.errors:
        return result
    targets = [c for c in cells if c.kind == "target"]
    actuals, campaigns = _reports(plan, [c for c in cells if c.kind == "actual"], result)
    if result.errors:
        return result
    with transaction.atomic():
        for c in targets:
            _set_target(plan, c, user, resolution)
        for c in actuals:
            _send(plan, campaigns, c, user)
        result.targets, result.submitted = len(targets), len(actuals)
        if result.changed:
            bump(plan.id)
    if actuals:
        services.notify(services.reviewers(), "enviado",
                        f"{len(actuals)} valores obtenidos de {plan.code} llegaron por la importación de la matriz de "
                        f"{user.get_username()} y esperan revisión.", "/campanas/")
    return result


def _read(plan: core.Plan, file, resolution: str, result: MatrixImport) -> list[_Cell]:
    """Every changed, valid cell of the workbook; problems go to ``result.errors``."""
    indicators = {i.code: i for i in plan.indicators.all()}
    try:
        sheet = read_sheet(file, max_rows=plan.elements.count() + len(indicators) + 1)
    except Unreadable as exc:
        result.errors.append((None, str(exc)))
        return []
    header = [str(c.value or "").strip() for c in sheet.rows[0]] if sheet.rows else []
    if "Código" not in header:
        result.errors.append((1, "Falta la columna «Código»: use el archivo que descarga la matriz de Vigía."))
        return []
    columns = {k: (KINDS[m.group(1)], int(m.group(2))) for k, name in enumerate(header) if (m := COLUMN.match(name))}
    if not columns:
        result.errors.append((1, "No hay columnas «Logro esperado AAAA» ni «Valor obtenido AAAA»."))
        return []
    outside = [header[k] for k, (_, year) in columns.items() if not YEARS[0] <= year <= YEARS[1]]
    if outside:
        result.errors.append((1, f"Columnas con años fuera de {YEARS[0]}–{YEARS[1]}: {', '.join(outside)}."))
        return []
    if sheet.merged:
        result.errors.append((None, "La hoja tiene celdas combinadas; sepárelas."))
        return []
    vintage = plan.vintages.get(code=plan.current_vintage)
    stored = {(v.indicator_id, v.year, v.kind): (v.value, v.status) for v in core.Value.objects.filter(
        indicator__plan=plan, vintage=vintage, period="anual", kind__in=("target", "actual"))}
    approved = set(Submission.objects.filter(campaign__plan=plan, approved_at__isnull=False).values_list("indicator_id", "campaign__year"))
    code_at = header.index("Código")
    periods = locks.locked_periods(plan.id)
    out = []
    for r, row in enumerate(sheet.rows[1:], start=2):
        raw_code = row[code_at].value
        ind = indicators.get(raw_code.strip()) if isinstance(raw_code, str) else None
        if ind is None:
            continue  # objectives, guidelines and services carry no values
        for k, (kind, year) in columns.items():
            cell = row[k]
            if cell.value in (None, ""):
                continue
            where = f"{ind.code}, columna «{header[k]}»"
            if cell.data_type == "f":
                result.errors.append((r, f"{where}: contiene una fórmula; escriba el valor."))
                continue
            status, value = "", None
            if isinstance(cell.value, str) and cell.value.strip().upper() in ("ND", "SD"):
                status = cell.value.strip().upper()
            else:
                check = check_number(ind.code, header[k], cell.value, unit=ind.unit, valid_min=ind.valid_min, valid_max=ind.valid_max)
                if not check.ok:
                    result.errors += [(r, e) for e in check.errors]
                    continue
                value = check.value
            if stored.get((ind.id, year, kind)) == (value, status):
                continue
            refusal = (plan_editing.target_refusal(plan.id, ind.code, year, periods=periods) if kind == "target" else
                       locks.message(where, year) if locks.is_locked(plan.id, year, periods=periods) else None)
            if refusal:
                result.errors.append((r, refusal))
                continue
            if kind == "target":
                if status:
                    result.errors.append((r, f"{where}: un logro esperado es un número, no {status}."))
                    continue
                result.errors += [(r, e) for e in check_target_change(ind.code, (ind.id, year) in approved
                                                                      and (ind.id, year, kind) in stored, resolution)]
            out.append(_Cell(r, ind, year, kind, value, status))
    return out


def _reports(plan: core.Plan, cells: list[_Cell], result: MatrixImport) -> tuple[list[_Cell], dict[int, Campaign]]:
    """The obtained values that become reports: a closed campaign or an open report is an error."""
    campaigns = {c.year: c for c in Campaign.objects.filter(plan=plan, period=Campaign.Period.YEAR, year__in={c.year for c in cells})}
    reports = {(s.campaign.year, s.indicator_id): s for s in Submission.objects.filter(
        campaign__in=campaigns.values()).select_related("campaign", "indicator__entity")}
    out = []
    for c in cells:
        campaign = campaigns.get(c.year)
        if campaign and campaign.closed:
            result.errors.append((c.row, f"{c.indicator.code} {c.year}: la campaña «{campaign.name}» está cerrada; "
                                         "reábrala (con su motivo) para importar valores de ese año."))
            continue
        s = reports.get((c.year, c.indicator.id))
        if s and s.state in OPEN and (s.value is not None or s.status):
            if (s.value, s.status) == (c.value, c.status):
                continue
            shown_value = s.status or f"{s.value:g}"
            result.errors.append((c.row, f"{c.indicator.code} {c.year}: hay un reporte «{s.get_state_display().lower()}» de "
                                         f"{s.indicator.entity or 'la entidad'} en «{s.campaign.name}» (valor {shown(shown_value)}); "
                                         "resuélvalo en la campaña antes de importar otro valor."))
            continue
        out.append(c)
    return out, campaigns


def _set_target(plan: core.Plan, c: _Cell, user, resolution: str) -> None:
    vintage = plan.vintages.get(code=plan.current_vintage)
    v = core.Value.objects.filter(indicator=c.indicator, vintage=vintage, year=c.year, period="anual", kind="target").first()
    v = v or core.Value(indicator=c.indicator, vintage=vintage, year=c.year, period="anual", kind="target", source=SOURCE)
    v.value, v.status = c.value, ""
    if resolution:
        v.resolution = resolution
    v._history_user, v._change_reason = user, f"Importación de la matriz. {resolution}".strip()
    v.save()


def _send(plan: core.Plan, campaigns: dict[int, Campaign], c: _Cell, user) -> None:
    """The obtained value as a report sent to review (never published by the import itself)."""
    campaign = campaigns.get(c.year)
    if campaign is None:
        today = timezone.localdate()
        campaign = campaigns[c.year] = Campaign.objects.create(
            plan=plan, name=f"Importación de la matriz {c.year} — {plan.name}"[:200], year=c.year,
            opens=today, deadline=today, opened_by=user)
    campaign.indicators.add(c.indicator)
    s, _ = Submission.objects.get_or_create(campaign=campaign, indicator=c.indicator)
    before = s.state
    reason = f"Registrado como {c.status} en la matriz importada por la oficina de planeamiento." if c.status else ""
    s.value, s.status, s.reason, s.source = c.value, c.status, reason, SOURCE
    s.state, s.updated_by, s.version = State.SUBMITTED, user, s.version + 1
    s._history_user, s._change_reason = user, "Importación de la matriz: enviado a revisión"
    s.save()
    s.authors.add(user)
    Transition.objects.create(submission=s, source=before, target=State.SUBMITTED, user=user, comment="Importación de la matriz")
