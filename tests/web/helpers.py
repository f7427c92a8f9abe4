"""Shared steps of the workflow tests: users with roles, a campaign, saving and moving reports."""

import io

from django.test import Client
from openpyxl import load_workbook

from vigia.reporting.models import Submission

YEAR = 2025
INPE_IND, PJ_IND = "IOP.03.01", "IOP.01.02"  # INPE reports IOP.03.01; the Poder Judicial IOP.01.02


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def report_url(campaign, code):
    return f"/campanas/{campaign.pk}/reportes/{code}/"


def save(user, campaign, code, **data):
    s = Submission.objects.get(campaign=campaign, indicator__code=code)
    return client_for(user).post(report_url(campaign, code), {"accion": "guardar", "version": s.version, **data})


def act(user, campaign, code, action, comment=""):
    return client_for(user).post(report_url(campaign, code), {"accion": action, "comentario": comment})


def set_target(user, code, value, resolution=""):
    return client_for(user).post(f"/planes/pnp2030/indicadores/{code}/logro/{YEAR}/", {"valor": value, "resolucion": resolution})


def template_for(user, campaign):
    response = client_for(user).get(f"/campanas/{campaign.pk}/plantilla.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def upload(user, campaign, content: bytes, name="plantilla.xlsx"):
    f = io.BytesIO(content)
    f.name = name
    return client_for(user).post(f"/campanas/{campaign.pk}/cargar/", {"archivo": f})


def filled(wb, values: dict) -> bytes:
    ws = wb["Reporte"]
    for row in ws.iter_rows(min_row=2):
        code = row[0].value
        for column, value in values.get(code, {}).items():
            row[column].value = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()




def matrix_workbook(user, year=2024):
    """The CEPLAN matrix as the matrix page exports it (the columns up to ``year``)."""
    return load_workbook(io.BytesIO(client_for(user).get(f"/planes/pnp2030/matriz.xlsx?anio={year}").content))


def matrix_file(wb, code, column, value) -> io.BytesIO:
    """The workbook with one cell changed, as an upload."""
    ws = wb.active
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == code)
    row[header.index(column)].value = value
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "matriz.xlsx"
    return buf
