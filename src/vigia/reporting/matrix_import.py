"""Import of the whole CEPLAN-style matrix (the XLSX that the matrix page exports), all or nothing.

The planning office edits targets and obtained values of the current edition in Excel and loads
them back: every changed cell is validated and recorded in the audit trail, or nothing changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction

from vigia.core import models as core
from vigia.methodology.validation import NumberError, check_target_change, parse_number, valid_range

from . import services
from .excel import open_workbook
from .models import Submission

COLUMN = re.compile(r"^(Logro esperado|Valor obtenido) (\d{4})$")
KINDS = {"Logro esperado": "target", "Valor obtenido": "actual"}


@dataclass
class MatrixImport:
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    changed: int = 0


def import_matrix(plan: core.Plan, user, file, resolution: str = "") -> MatrixImport:
    result = MatrixImport()
    wb, problem = open_workbook(file)
    if problem:
        result.errors.append((None, problem))
        return result
    ws = wb.worksheets[0]
    header = [str(c.value or "").strip() for c in ws[1]]
    if "Código" not in header:
        result.errors.append((1, "Falta la columna «Código»: use el archivo que descarga la matriz de Vigía."))
        return result
    columns = {k: (KINDS[m.group(1)], int(m.group(2))) for k, name in enumerate(header) if (m := COLUMN.match(name))}
    if not columns:
        result.errors.append((1, "No hay columnas «Logro esperado AAAA» ni «Valor obtenido AAAA»."))
        return result
    if ws.merged_cells.ranges:
        result.errors.append((None, "La hoja tiene celdas combinadas; sepárelas."))
        return result
    indicators = {i.code: i for i in plan.indicators.all()}
    vintage = plan.vintages.get(code=plan.current_vintage)
    existing = {(v.indicator_id, v.year, v.kind): v for v in core.Value.objects.filter(
        indicator__plan=plan, vintage=vintage, period="anual", kind__in=("target", "actual"))}
    approved_years = set(Submission.objects.filter(campaign__plan=plan, approved_at__isnull=False).values_list("indicator_id", "campaign__year"))
    planned: list[tuple[core.Indicator, int, str, float | None, str]] = []
    code_at = header.index("Código")
    for r, cells in enumerate(ws.iter_rows(min_row=2), start=2):
        code = str(cells[code_at].value or "").strip()
        ind = indicators.get(code)
        if ind is None:
            continue  # objectives, guidelines and services carry no values
        for k, (kind, year) in columns.items():
            cell = cells[k] if k < len(cells) else None
            if cell is None or cell.value in (None, ""):
                continue
            if cell.data_type == "f":
                result.errors.append((r, f"{code}, columna «{header[k]}»: contiene una fórmula; escriba el valor."))
                continue
            status, value = "", None
            if str(cell.value).strip().upper() in ("ND", "SD"):
                status = str(cell.value).strip().upper()
            else:
                try:
                    value = parse_number(cell.value, ind.unit)
                except NumberError as exc:
                    result.errors.append((r, f"{code}, columna «{header[k]}»: {exc}."))
                    continue
                low, high = valid_range(ind.unit, ind.valid_min, ind.valid_max)
                if (low is not None and value < low) or (high is not None and value > high):
                    result.errors.append((r, f"{code}, columna «{header[k]}»: {value:g} está fuera del rango válido."))
                    continue
            current = existing.get((ind.id, year, kind))
            if current and (current.value, current.status) == (value, status):
                continue
            if kind == "target":
                for e in check_target_change(code, (ind.id, year) in approved_years and current is not None, resolution):
                    result.errors.append((r, e))
            planned.append((ind, year, kind, value, status))
    if result.errors:
        return result
    with transaction.atomic():
        for ind, year, kind, value, status in planned:
            v = existing.get((ind.id, year, kind)) or core.Value(indicator=ind, vintage=vintage, year=year, period="anual", kind=kind,
                                                                source="Matriz importada por la oficina de planeamiento")
            v.value, v.status = value, status
            if kind == "target" and resolution:
                v.resolution = resolution
            v._history_user, v._change_reason = user, f"Importación de la matriz. {resolution}".strip()
            v.save()
            result.changed += 1
        if result.changed:
            services.bump(plan.id)
    return result
