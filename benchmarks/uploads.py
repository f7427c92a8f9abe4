"""Benchmark: malicious and oversized workbooks posted to the template upload and the matrix import.

Each case goes through Django's whole request path (test client, CSRF and sessions included)
against a fresh SQLite database holding the official policy data, as an INPE operador (template)
or the planning office (matrix). Printed per case: the answer's status, the time to answer and
the peak memory the upload added (Linux VmHWM, reset before each upload). The first case is the
11 KB template with `<row r="1048576"><c r="O1048576"/></row>` of issue 8, which held a worker
55 s and 3.6 GB before uploads were read in bounded streaming mode.

    python benchmarks/uploads.py           # prints the figures
    python benchmarks/uploads.py --check   # exit status 1 if a target is missed (make test)

Targets: every answer under 2 s and 200 MB of extra memory, and a 4xx for every refused file.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import sys
import tempfile
import time
import zipfile

import memory

TARGET_SECONDS = 2.0
TARGET_MB = 200.0


def _rewrite(xlsx: bytes, sheet: str, change) -> bytes:
    """The workbook with one part rewritten (as an attacker would, with a zip tool)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, change(data) if item.filename == sheet else data)
    return out.getvalue()


def _far_row(data: bytes) -> bytes:
    return data.replace(b"</sheetData>", b'<row r="1048576"><c r="O1048576"/></row></sheetData>')


def _huge_dimension(data: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)


def _wide_row(data: bytes) -> bytes:
    from openpyxl.utils import get_column_letter

    cells = "".join(f'<c r="{get_column_letter(c)}2" t="n"><v>{c}</v></c>' for c in range(16, 16385))
    return re.sub(rb'(<row r="2"[^>]*>)', lambda m: m.group(1) + cells.encode(), data, count=1)


def _many_rows(data: bytes) -> bytes:
    """About 14 MB of rows (random digits, so it compresses like real data) under a small dimension."""
    rng = random.Random(8)
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{rng.random():.12f}</v></c>' for c in "GHIJKLMN") + "</row>"
                   for r in range(60, 50000))
    return data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")


def _undeclared_rows(data: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"/>', b"", _many_rows(data))


def setup():
    os.environ["VIGIA_DATA_DIR"] = tempfile.mkdtemp(prefix="vigia-bench-uploads-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("VIGIA_LOG_LEVEL", "ERROR")
    from vigia import server

    server.setup()
    server.migrate()
    server.load_all(["pnp2030"])
    from django.contrib.auth import get_user_model
    from django.test import Client

    from vigia.core.models import Entity, Plan
    from vigia.reporting import campaigns, services

    User = get_user_model()
    office = User.objects.create_user("ogpm", "", None)
    services.set_role(office, "admin")
    operator = User.objects.create_user("op_inpe", "", None)
    services.set_role(operator, "operator", Entity.objects.get(code="INPE"))
    campaign = campaigns.open_campaign(office, Plan.objects.get(code="pnp2030"), {
        "year": "2025", "opens": "2026-01-05", "deadline": "2026-03-31", "name": "Reporte 2025"}).campaign
    clients = {}
    for name, user in (("op", operator), ("office", office)):
        clients[name] = Client()
        clients[name].force_login(user)
    template = clients["op"].get(f"/campanas/{campaign.pk}/plantilla.xlsx").content
    matrix = clients["office"].get("/planes/pnp2030/matriz.xlsx").content
    return clients, campaign, template, matrix


def cases(campaign, template: bytes, matrix: bytes):
    sheet = "xl/worksheets/sheet1.xml"
    upload, importer = ("op", f"/campanas/{campaign.pk}/cargar/"), ("office", "/planes/pnp2030/matriz/importar/")
    return [
        ("plantilla: fila 1 048 576 (bomba de filas del issue 8)", *upload, _rewrite(template, sheet, _far_row)),
        ("plantilla: dimensión declarada A1:XFD1048576", *upload, _rewrite(template, sheet, _huge_dimension)),
        ("plantilla: una fila de 16 384 columnas", *upload, _rewrite(template, sheet, _wide_row)),
        ("plantilla: ~14 MB de filas bajo una dimensión pequeña", *upload, _rewrite(template, sheet, _many_rows)),
        ("plantilla: ~14 MB de filas sin dimensión declarada", *upload, _rewrite(template, sheet, _undeclared_rows)),
        ("matriz: fila 1 048 576", *importer, _rewrite(matrix, sheet, _far_row)),
        ("matriz: dimensión declarada A1:XFD1048576", *importer, _rewrite(matrix, sheet, _huge_dimension)),
    ]


def run(check: bool) -> int:
    clients, campaign, template, matrix = setup()
    failures = 0
    print(f"{'caso':56} {'KB':>7} {'estado':>6} {'s':>6} {'MB extra':>9}")
    for label, who, url, content in cases(campaign, template, matrix):
        f = io.BytesIO(content)
        f.name = "archivo.xlsx"
        rss = memory.status("VmRSS")
        memory.reset_peak()
        started = time.perf_counter()
        response = clients[who].post(url, {"archivo": f})
        seconds = time.perf_counter() - started
        extra = max(0.0, memory.status("VmHWM") - rss)
        ok = seconds < TARGET_SECONDS and extra < TARGET_MB and response.status_code < 500
        failures += not ok
        print(f"{label:56} {len(content) / 1024:7.0f} {response.status_code:6d} {seconds:6.2f} {extra:9.1f}" + ("" if ok else "  ← fuera de meta"))
    print(f"Metas: menos de {TARGET_SECONDS:g} s y {TARGET_MB:g} MB adicionales por carga; nunca un error 5xx.")
    return 1 if check and failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit status 1 when a target is missed")
    sys.exit(run(parser.parse_args().check))
