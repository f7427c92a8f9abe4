"""Downloads of a table as CSV, XLSX (numbers as numbers in the page's style, frozen header, filters) or JSON."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

from vigia import outputs
from vigia.documents.excel import Sheet, value_format, workbook_bytes  # shared with the reports' workbooks
from vigia.outputs import XLSX_TYPE

__all__ = ["XLSX_TYPE", "csv_response", "json_response", "matrix_xlsx_response"]


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(header: list[str], rows: list[list], filename: str) -> HttpResponse:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(outputs.csv_row(header))
    writer.writerows(outputs.csv_row(row) for row in rows)
    return _attachment(("\ufeff" + buf.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", filename)


def matrix_xlsx_response(title: str, header: list[str], body: list[list], rows, filename: str) -> HttpResponse:
    """The matrix as a workbook: the figures as on the page and in the CSV (a percentage 36.5, shown
    36.50%), so the matrix import reads an unchanged file back as no change."""
    values = [h for h in header if h.startswith(("Logro esperado", "Valor obtenido", "Línea de base"))]
    progress = next((h for h in header if h.startswith("Avance")), None)
    formats = [value_format(r.unit, r.decimals, fraction=False) if r.is_indicator else "" for r in rows]
    sheet = Sheet(title, header, body, "Semáforo", progress, formats=formats, value_columns=values)
    return _attachment(workbook_bytes([sheet]), XLSX_TYPE, filename)


def json_response(data, filename: str) -> HttpResponse:
    return _attachment(outputs.json_dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8"), "application/json", filename)
