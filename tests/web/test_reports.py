"""The report download buttons: login required, three formats, approved data unless preliminar=1."""

from __future__ import annotations

import io

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

TYPES = {
    "docx": "wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "spreadsheetml.sheet",
}


def test_reports_require_login(client):
    response = client.get("/planes/pnp2030/reporte.pdf?anio=2024")
    assert response.status_code == 302 and "/cuentas/ingresar/" in response["Location"]


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_policy_report_downloads_in_three_formats(admin_client, fmt):
    response = admin_client.get(f"/planes/pnp2030/reporte.{fmt}?anio=2024&tipo=seguimiento")
    assert response.status_code == 200, response.content[:300]
    assert TYPES[fmt] in response["Content-Type"]
    assert response["Content-Disposition"] == f'attachment; filename="pnp2030-seguimiento-2024.{fmt}"'
    body = response.content
    if fmt == "docx":
        document = read_docx(io.BytesIO(body))
        text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        assert "69.0\nrojo" in text and "68.7\nrojo" in text
        colophon = document.paragraphs[-1].text  # the data version it was made from, in the closing line
        assert f"versión de datos {response['X-Vigia-Data-Version']}" in colophon
    elif fmt == "xlsx":
        wb = load_workbook(io.BytesIO(body))
        assert {"OP", "IOP", "ISS"} <= set(wb.sheetnames)
    else:
        assert body.startswith(b"%PDF")
    again = admin_client.get(f"/planes/pnp2030/reporte.{fmt}?anio=2024&tipo=seguimiento")
    assert again.content == body  # cached per data version: the same file


def test_pei_evaluation_and_preliminary_version(admin_client):
    response = admin_client.get("/planes/pei-inpe/reporte.xlsx?anio=2024")
    assert response.status_code == 200
    oei = load_workbook(io.BytesIO(response.content))["OEI"]
    assert [r[0] for r in oei.iter_rows(min_row=2, values_only=True)] == ["OEI.01", "OEI.02", "OEI.03"]
    assert response["Content-Disposition"].endswith('pei-inpe-evaluacion-2024.xlsx"')
    prelim = admin_client.get("/planes/pei-inpe/reporte.xlsx?anio=2024&preliminar=1")
    assert prelim.status_code == 200 and "preliminar" in prelim["Content-Disposition"]
    wb = load_workbook(io.BytesIO(prelim.content))
    assert all("PRELIMINAR" in (ws.oddHeader.center.text or "") for ws in wb.worksheets)


def test_unknown_format_kind_or_year_is_404(admin_client):
    assert admin_client.get("/planes/pnp2030/reporte.odt?anio=2024").status_code == 404
    assert admin_client.get("/planes/pnp2030/reporte.pdf?anio=2024&tipo=evaluacion").status_code == 404
    assert admin_client.get("/planes/pnp2030/reporte.pdf?anio=2031").status_code == 404
    assert admin_client.get("/planes/no-existe/reporte.pdf?anio=2024").status_code == 404


def test_buttons_template_renders_links(admin_client, rf):
    from django.template.loader import render_to_string

    from vigia.web.context import plan_view

    pv = plan_view("pnp2030", {})
    html = render_to_string("vigia/_report_buttons.html", {"plan": pv.ds.spec, "pv": pv, "preliminary": ["IOP.01.02"]})
    for fmt in ("docx", "pdf", "xlsx"):
        assert f"/planes/pnp2030/reporte.{fmt}?anio=2024&amp;tipo=seguimiento" in html
    assert "preliminar=1" in html and "data-report-buttons" in html and "<script" not in html  # behaviour: static/vigia/js/vigia.js
    assert "Generando el documento" in admin_client.get("/static/vigia/js/vigia.js").getvalue().decode()
    assert "/planes/pnp2030/reporte.pdf?anio=2024&amp;tipo=consistencia" in html and "Informe de consistencia" in html


def test_consistency_report_download(admin_client):
    response = admin_client.get("/planes/pei-inpe/reporte.docx?anio=2024&tipo=consistencia")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="pei-inpe-consistencia-2024.docx"'
    text = "\n".join(p.text for p in read_docx(io.BytesIO(response.content)).paragraphs)
    assert "Informe de consistencia" in text and "AEI.01.03" in "\n".join(
        c.text for t in read_docx(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells)
