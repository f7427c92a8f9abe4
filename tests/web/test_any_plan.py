"""Any plan works everywhere: a plan of a shape no bundled plan has (objective → action → activity,
indicators at two levels), set up from a workbook, gets its dashboard, matrix, indicator pages,
campaign, portal, API, command line and documents with no code change."""

import json

import plan_books
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner

from vigia.cli import app
from vigia.core import models as core
from vigia.reporting.models import Campaign

pytestmark = pytest.mark.django_db
CODE = plan_books.CODE
INDICATORS = [i[0] for i in plan_books.INDICATORS]


@pytest.fixture
def new_plan(office):
    upload = SimpleUploadedFile("pronacej.xlsx", plan_books.xlsx())
    preview = office.post("/gestion/planes/cargar/", {"archivo": upload, "norma": "RE N° 012-2025-PRONACEJ/DE"})
    assert preview.status_code == 200, preview.content.decode()[:2000]
    assert "Se creará el plan" in preview.content.decode()
    assert office.post("/gestion/planes/confirmar/", {"token": preview.context["token"]}).status_code == 302
    return core.Plan.objects.get(code=CODE)


def ok(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.content[:500]!r}"
    return response.content.decode() if response["Content-Type"].startswith(("text/", "application/json")) else ""


def test_internal_pages(office, new_plan):
    assert "Programa Nacional de Centros Juveniles" in ok(office, "/planes/")
    dashboard = ok(office, f"/planes/{CODE}/")
    assert "OBJ.01" in dashboard and "Reducir la reincidencia" in dashboard and "Objetivo estratégico" in dashboard
    matrix = ok(office, f"/planes/{CODE}/matriz/?anio=2025")
    assert all(code in matrix for code in INDICATORS)
    for fmt in ("csv", "xlsx", "json"):
        ok(office, f"/planes/{CODE}/matriz.{fmt}?anio=2025")
    for code in INDICATORS:
        page = ok(office, f"/planes/{CODE}/indicadores/{code}/?anio=2025")
        assert code in page
        ok(office, f"/planes/{CODE}/indicadores/{code}/grafico.svg?anio=2025")
    assert "sin meta a 2027" not in ok(office, f"/planes/{CODE}/indicadores/IO.01.01/")  # it has a 2027 target


def test_portal_and_api(office, new_plan):
    public = Client()
    assert "Centros Juveniles" in ok(public, "/transparencia/")
    page = ok(public, f"/transparencia/{CODE}/2025/")
    assert "OBJ.02" in page
    ok(public, f"/transparencia/{CODE}/2025/indicadores/IA.02.01.01.01/")
    for fmt in ("csv", "xlsx", "json"):
        ok(public, f"/transparencia/{CODE}/2025/datos.{fmt}")
    progress = json.loads(ok(public, f"/api/publico/planes/{CODE}/avance/2025"))
    rows = {r["code"]: r for r in progress["rows"]}
    assert rows["IO.01.01"]["progress"] == 100.0 and rows["IA.01.01.02.01"]["band"] == "ND"
    assert json.loads(ok(office, f"/api/planes/{CODE}/indicadores"))["count"] == 5
    ok(office, f"/api/planes/{CODE}/alertas/2025")


def test_campaign_for_the_new_plan(office, new_plan):
    response = office.post("/campanas/", {"plan": CODE, "year": 2026, "period": "anual", "opens": "2027-01-05",
                                          "deadline": "2027-03-31", "name": "Reporte 2026 PRONACEJ"})
    assert response.status_code == 302
    campaign = Campaign.objects.get(plan__code=CODE, year=2026)
    assert campaign.submissions.count() == 5
    page = ok(office, f"/campanas/{campaign.pk}/")
    assert "IA.01.01.01.01" in page
    ok(office, f"/campanas/{campaign.pk}/plantilla.xlsx")


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_documents(office, new_plan, fmt):
    for kind in ("seguimiento", "evaluacion"):
        response = office.get(f"/planes/{CODE}/reporte.{fmt}?anio=2025&tipo={kind}")
        assert response.status_code == 200, f"{kind} {fmt}: {response.content[:300]!r}"
        assert len(response.content) > 2000


def test_command_line_reads_the_database(new_plan, tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIA_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    for args in (["progress", CODE, "-y", "2025"], ["alerts", CODE, "-y", "2025"], ["trajectory", CODE],
                 ["report", CODE, "-y", "2025", "-f", "docx,xlsx", "-o", str(tmp_path)], ["plans"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, f"{args}: {result.output}"
    assert list(tmp_path.glob(f"{CODE}-evaluacion-2025.docx"))
