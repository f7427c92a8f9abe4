"""Downloads of a table as CSV, XLSX (numbers as numbers, frozen header, filters) or JSON."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

from vigia import outputs
from vigia.documents.excel import XLSX_TYPE, xlsx_bytes  # shared with the reports' workbooks

__all__ = ["XLSX_TYPE", "csv_response", "json_response", "xlsx_bytes", "xlsx_response"]


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


def xlsx_response(sheets: dict[str, tuple[list[str], list[list]]], filename: str) -> HttpResponse:
    return _attachment(xlsx_bytes(sheets), XLSX_TYPE, filename)


def json_response(data, filename: str) -> HttpResponse:
    return _attachment(outputs.json_dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8"), "application/json", filename)
