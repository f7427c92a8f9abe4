"""Downloads of a table as CSV, XLSX (numbers as numbers in the page's style, frozen header, filters) or JSON."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

from vigia import outputs
from vigia.documents.excel import Sheet, fraction, value_format, workbook_bytes  # shared with the reports' workbooks
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
    """The matrix as a workbook: real numbers (a percentage as a fraction in a % format), printed as on the page."""
    values = {k for k, h in enumerate(header) if h.startswith(("Logro esperado", "Valor obtenido", "Línea de base"))}
    progress = next((h for h in header if h.startswith("Avance")), None)
    cells = [[fraction(v, r.unit, r.decimals) if k in values and r.is_indicator else v for k, v in enumerate(line)]
             for r, line in zip(rows, body)]
    formats = [value_format(r.unit, r.decimals) if r.is_indicator else "" for r in rows]
    sheet = Sheet(title, header, cells, "Semáforo", progress, formats=formats, value_columns=[header[k] for k in sorted(values)])
    return _attachment(workbook_bytes([sheet]), XLSX_TYPE, filename)


def json_response(data, filename: str) -> HttpResponse:
    return _attachment(outputs.json_dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8"), "application/json", filename)
