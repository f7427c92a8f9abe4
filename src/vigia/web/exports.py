"""Downloads of a table as CSV, XLSX (numbers as numbers, frozen header, filters) or JSON."""

from __future__ import annotations

import csv
import io
import json

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from vigia.methodology.bands import Band

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FILLS = {Band.GREEN.value: "C8E6C9", Band.YELLOW.value: "FFF3C4", Band.RED.value: "FFCDD2", Band.ND.value: "E0E0E0"}


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(header: list[str], rows: list[list], filename: str) -> HttpResponse:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return _attachment(("\ufeff" + buf.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", filename)


def xlsx_bytes(sheets: dict[str, tuple[list[str], list[list]]], band_column: str = "Semáforo") -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, (header, rows) in sheets.items():
        ws = wb.create_sheet(title[:31])
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        band_idx = header.index(band_column) if band_column in header else None
        for row in rows:
            ws.append(row)
            if band_idx is not None and row[band_idx] in _FILLS:
                ws.cell(ws.max_row, band_idx + 1).fill = PatternFill("solid", fgColor=_FILLS[row[band_idx]])
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(ws.max_row, 1)}"
        for k, name in enumerate(header, 1):
            ws.column_dimensions[get_column_letter(k)].width = 48 if name == "Nombre" else max(10, min(24, len(name) + 2))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(sheets: dict[str, tuple[list[str], list[list]]], filename: str) -> HttpResponse:
    return _attachment(xlsx_bytes(sheets), XLSX_TYPE, filename)


def json_response(data, filename: str) -> HttpResponse:
    return _attachment(json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8"), "application/json", filename)
