"""Reading an uploaded workbook (campaign template, CEPLAN matrix, plan workbook) without trusting it.

An XLSX is a zip of XML that may claim anything: a million rows, a thousand columns, a 60 MB
sheet in an 11 KB file. Before anything is parsed the file's size, compression ratio and parts
are checked; the workbook is then opened in streaming (read-only) mode, its declared dimension is
compared with what the form can hold, and no more rows or columns than that are ever read. Any
upload under the size limit is answered in well under two seconds and a few megabytes.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from openpyxl import load_workbook

MAX_UNCOMPRESSED = 25 * 1024 * 1024
MAX_RATIO = 100
MAX_COLUMNS = 64  # neither the template (15) nor the matrix (about 30) comes near
SLACK_ROWS = 1000  # blank or formatted rows people leave below the data
_MERGED = re.compile(rb"<(?:\w+:)?mergeCell\b")
_DIMENSION = re.compile(rb"<(?:\w+:)?(dimension|sheetData)\b")
_CHUNK = 1 << 20
_HEAD = 64 * 1024  # a sheet declares its dimension before its rows, within its first bytes


class Unreadable(ValueError):
    """The upload cannot be read safely; the message says why, in Spanish."""


@dataclass
class Sheet:
    """The cells of one worksheet, bounded: ``rows[0]`` is the header row (row 1)."""

    rows: list[tuple]
    merged: bool


def _check_file(upload) -> None:
    if upload.size > settings.XLSX_MAX_BYTES:
        raise Unreadable(f"El archivo pesa {upload.size / 1048576:.1f} MB; el máximo es {settings.XLSX_MAX_BYTES / 1048576:.0f} MB.")
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise Unreadable("El archivo no es un libro de Excel (.xlsx) válido.")
    try:
        with zipfile.ZipFile(upload) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
                raise Unreadable("El archivo se descomprime a un tamaño desproporcionado (posible archivo malicioso); no se procesa.")
            if "xl/workbook.xml" not in z.namelist():
                raise Unreadable("El archivo no es un libro de Excel (.xlsx) válido.")
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml") and not _declares_dimension(z, name):
                    raise Unreadable("Una hoja del libro no declara su tamaño (como lo hacen Excel, LibreOffice y Vigía); "
                                     "ábralo y guárdelo de nuevo con Excel o LibreOffice.")
    except (zipfile.BadZipFile, OSError, EOFError):
        raise Unreadable("El archivo no es un libro de Excel (.xlsx) válido.") from None
    finally:
        upload.seek(0)


def _declares_dimension(z: zipfile.ZipFile, name: str) -> bool:
    """Whether the sheet states its dimension before its rows: openpyxl would otherwise read
    the whole sheet just to look for it, before anything can be bounded."""
    with z.open(name) as xml:
        found = _DIMENSION.search(xml.read(_HEAD))
    return bool(found) and found.group(1) == b"dimension"


def _has_merged_cells(wb, ws) -> bool:
    """Merged cells are listed after the rows, which streaming stops reading early: scan the XML."""
    tail = b""
    with wb._archive.open(ws._worksheet_path) as xml:  # openpyxl keeps both on read-only sheets
        while chunk := xml.read(_CHUNK):
            if _MERGED.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


def read_sheet(upload, *, max_rows: int, sheet: str | None = None) -> Sheet:
    """The rows (at most ``max_rows`` plus slack, ``MAX_COLUMNS`` wide) of ``sheet`` (default: the
    first one) of an uploaded workbook, formulas kept as formulas; Unreadable when it cannot be."""
    found = read_sheets(upload, {sheet: max_rows} if sheet is not None else {None: max_rows})
    if sheet is not None and sheet not in found:
        raise Unreadable(f"Falta la hoja «{sheet}» de la plantilla.")
    return next(iter(found.values()))


def read_sheets(upload, max_rows: dict[str | None, int]) -> dict[str | None, Sheet]:
    """Several sheets of one upload, opened once: {name: rows} for each name of ``max_rows`` that the
    workbook has (``None``: its first sheet), each bounded as ``read_sheet`` bounds one."""
    _check_file(upload)
    try:
        wb = load_workbook(upload, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the user's file, not our error
        raise Unreadable("No se pudo leer el libro de Excel.") from None
    try:
        return {name: _bounded(wb, wb[name] if name is not None else wb.worksheets[0], rows + SLACK_ROWS)
                for name, rows in max_rows.items() if name is None or name in wb.sheetnames}
    finally:
        wb.close()


def _bounded(wb, ws, limit: int) -> Sheet:
    if not hasattr(ws, "iter_rows"):
        raise Unreadable(f"La hoja «{ws.title}» no es una hoja de cálculo.")
    rows, columns = ws.max_row or 0, ws.max_column or 0
    if rows > limit or columns > MAX_COLUMNS:
        raise Unreadable(
            f"La hoja «{ws.title}» declara {rows:,} filas y {columns:,} columnas; un archivo de Vigía tiene como máximo "
            f"{limit:,} filas y {MAX_COLUMNS} columnas. Use el archivo que descarga Vigía, sin agregar filas ni columnas.")
    try:
        cells = [tuple(row) for row in ws.iter_rows(min_row=1, max_row=limit, max_col=MAX_COLUMNS)]
        merged = _has_merged_cells(wb, ws)
    except Exception:  # noqa: BLE001 - malformed XML inside the zip
        raise Unreadable("No se pudo leer el libro de Excel.") from None
    return Sheet(cells, merged)
