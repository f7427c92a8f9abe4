"""Plans the planning office maintains itself: a plan from a workbook (CLI and web), versions with
their legal reference, period locks on every write path, and editing fichas, hierarchy and
targets on the web."""

import io
import json
from datetime import date

import plan_books
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from typer.testing import CliRunner

from vigia.cli import app
from vigia.core import models as core
from vigia.core import plan_versions, store
from vigia.datasets import workbook
from vigia.reporting import locks
from vigia.reporting.models import PeriodLock, Role

from .helpers import INPE_IND, client_for, filled, save, template_for, upload

pytestmark = pytest.mark.django_db
RESOLUTION = "Resolución Ministerial N° 0123-2025-JUS"


@pytest.fixture
def analyst(client_with_role):
    return client_with_role("analista", Role.ANALYST)


def with_targets_to_2030(data: bytes, codes=("IOP.01.02", "IOP.02.01")) -> bytes:
    """The office adds its 2025-2030 targets in Excel."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Matriz"]
    header = [c.value for c in ws[1]]
    values = {"IOP.01.02": [25, 24, 23, 22, 21, 20], "IOP.02.01": [55, 58, 61, 64, 67, 70]}
    for row in ws.iter_rows(min_row=2):
        if row[0].value in codes and row[1].value == "Indicador":
            for year, value in zip(range(2025, 2031), values[row[0].value]):
                row[header.index(f"Logro esperado {year}")].value = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx(data: bytes, name="plan.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def upload_version(client, data: bytes, applies_from="2025-03-15", legal=RESOLUTION, plan="pnp2030"):
    return client.post(f"/gestion/planes/{plan}/cargar/", {"archivo": xlsx(data), "norma": legal, "vigente_desde": applies_from})


def confirm(client, preview):
    return client.post("/gestion/planes/confirmar/", {"token": preview.context["token"]})


# The workbook from the command line -------------------------------------------------------------

def test_cli_exports_the_database_plan_and_imports_a_new_plan(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIA_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    path = tmp_path / "pronacej.xlsx"
    path.write_bytes(plan_books.xlsx())
    result = runner.invoke(app, ["plan", "import", str(path), "--legal-reference", "RE N° 012-2025-PRONACEJ/DE"])
    assert result.exit_code == 0, result.output
    assert "Plan pronacej-pei creado" in result.output
    assert plan_versions.listed(core.Plan.objects.get(code="pronacej-pei"))[0].legal_reference == "RE N° 012-2025-PRONACEJ/DE"
    out = runner.invoke(app, ["progress", "pronacej-pei", "--year", "2025", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"IO.01.01"' in out.output
    result = runner.invoke(app, ["plan", "export", "pronacej-pei", str(tmp_path / "back.xlsx")])
    assert result.exit_code == 0 and "5 indicadores" in result.output


def test_cli_refuses_a_malformed_workbook_and_stores_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIA_DATA_DIR", str(tmp_path))
    book = plan_books.rows()
    header = book["Matriz"][0]
    row = next(r for r in book["Matriz"] if r[0] == "IO.02.01")
    row[header.index("Logro esperado 2026")] = 150
    path = tmp_path / "malo.xlsx"
    path.write_bytes(plan_books.xlsx(book))
    result = CliRunner().invoke(app, ["plan", "import", str(path)])
    assert result.exit_code == 2
    assert "Hoja «Matriz», fila" in result.output and "columna «Logro esperado 2026»" in result.output
    assert not core.Plan.objects.filter(code="pronacej-pei").exists()


def test_cli_new_version_needs_its_legal_reference(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIA_DATA_DIR", str(tmp_path))
    path = tmp_path / "p.xlsx"
    path.write_bytes(with_targets_to_2030(workbook.write(store.dataset("pnp2030", published_only=True))))
    result = CliRunner().invoke(app, ["plan", "import", str(path), "--version-of", "pnp2030"])
    assert result.exit_code == 2 and "--legal-reference" in result.output
    result = CliRunner().invoke(app, ["plan", "import", str(path), "--version-of", "pnp2030", "--legal-reference", RESOLUTION,
                                      "--applies-from", "2025-03-15"])
    assert result.exit_code == 0, result.output
    assert "versión 2 registrada" in result.output and "12 cambios" in result.output


# Versions on the web ----------------------------------------------------------------------------

def test_new_version_from_the_web_preview_then_confirm(office):
    data = with_targets_to_2030(office.get("/gestion/planes/pnp2030/libro.xlsx").content)
    preview = upload_version(office, data)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Nueva versión de" in text and "logro esperado 2030 (RS-2024)" in text
    assert not core.PlanVersion.objects.exists()  # nothing stored before confirming
    done = confirm(office, preview)
    assert done.status_code == 302
    versions = plan_versions.listed(core.Plan.objects.get(code="pnp2030"))
    assert [(v.number, v.legal_reference) for v in versions] == [
        (1, "Aprobada mediante Decreto Supremo N° 011-2020-JUS, publicado el 25 de septiembre de 2020."), (2, RESOLUTION)]
    assert versions[0].snapshot is not None and versions[1].snapshot is None
    history = office.get("/gestion/planes/pnp2030/versiones/?de=1&a=2").content.decode()
    assert "Qué cambió entre la versión 1 y la 2" in history and "logro esperado 2026 (RS-2024)" in history
    assert confirm(office, preview).status_code == 302  # a token is used once
    assert core.PlanVersion.objects.count() == 2


def test_the_version_in_force_each_year():
    from vigia.datasets.versions import in_force

    versions = [(1, None), (2, date(2025, 3, 15)), (3, date(2027, 1, 1))]
    assert [in_force(versions, y) for y in (2020, 2024, 2025, 2026, 2027, 2030)] == [1, 1, 2, 2, 3, 3]
    assert in_force(versions, 2025, "S1") == 2 and in_force([(1, None), (2, date(2025, 7, 1))], 2025, "S1") == 1


def test_a_malformed_upload_names_sheet_row_and_column(office):
    book = plan_books.rows()
    r = next(k for k, row in enumerate(book["Matriz"], 1) if row[0] == "ACC.02.01")
    book["Matriz"][r - 1][3] = "OBJ.09"
    response = office.post("/gestion/planes/cargar/", {"archivo": xlsx(plan_books.xlsx(book))})
    assert response.status_code == 422
    text = response.content.decode()
    assert "No se cargó nada" in text and "<td>Matriz</td><td>" + str(r) + "</td><td>Depende de</td>" in text
    assert not core.Plan.objects.filter(code="pronacej-pei").exists()


def test_only_the_administrador_uploads(analyst):
    response = analyst.post("/gestion/planes/cargar/", {"archivo": xlsx(plan_books.xlsx())})
    assert response.status_code == 403


# Period locks ---------------------------------------------------------------------------------

def lock_2024(office):
    response = office.post("/gestion/planes/pnp2030/periodos/", {"anio": 2024, "periodo": "anual", "accion": "bloquear",
                                                                  "motivo": "Reporte 2024 publicado"})
    assert response.status_code == 302
    assert PeriodLock.objects.get(plan__code="pnp2030", year=2024).locked


def test_lock_and_unlock_with_a_reason_in_the_history(office):
    lock_2024(office)
    office.post("/gestion/planes/pnp2030/periodos/", {"anio": 2024, "periodo": "anual", "accion": "desbloquear", "motivo": ""})
    assert PeriodLock.objects.get(plan__code="pnp2030", year=2024).locked  # no reason, no unlock
    office.post("/gestion/planes/pnp2030/periodos/", {"anio": 2024, "periodo": "anual", "accion": "desbloquear",
                                                      "motivo": "Fe de erratas del INPE"})
    lock = PeriodLock.objects.get(plan__code="pnp2030", year=2024)
    assert not lock.locked
    reasons = [h.history_change_reason for h in lock.history.order_by("history_date")]
    assert reasons == ["Bloqueado: Reporte 2024 publicado", "Desbloqueado: Fe de erratas del INPE"]
    assert "Fe de erratas del INPE" in office.get("/gestion/planes/pnp2030/").content.decode()


def test_a_locked_year_refuses_a_target_on_the_web(office):
    lock_2024(office)
    response = office.post("/gestion/planes/pnp2030/metas/?indicador=IOP.01.02", {"meta-IOP.01.02-2024": "20"})
    assert response.status_code == 422 and "2024 está bloqueado" in response.content.decode()
    assert store.dataset("pnp2030").series()["IOP.01.02"].target(2024).value == 26


def test_a_locked_year_refuses_a_plan_import(office):
    lock_2024(office)
    data = workbook.write(store.dataset("pnp2030", published_only=True))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Matriz"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "IOP.02.01")
    row[header.index("Valor obtenido 2024")].value = 70
    buf = io.BytesIO()
    wb.save(buf)
    preview = upload_version(office, buf.getvalue())
    assert preview.status_code == 200  # the preview shows the change; confirming refuses it
    refused = confirm(office, preview)
    assert refused.status_code == 422 and "IOP.02.01, valor obtenido 2024: el periodo 2024 está bloqueado" in refused.content.decode()
    assert core.PlanVersion.objects.count() == 0
    assert store.dataset("pnp2030").series()["IOP.02.01"].actual(2024).value == 65.37
    early = upload_version(office, with_targets_to_2030(data), applies_from="2024-06-01")
    assert "no puede regir desde el 01/06/2024" in confirm(office, early).content.decode()


def test_a_locked_year_refuses_the_matrix_import(office):
    lock_2024(office)
    data = office.get("/planes/pnp2030/matriz.xlsx?anio=2024").content
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "IOP.02.01")
    row[header.index("Logro esperado 2024")].value = 60
    buf = io.BytesIO()
    wb.save(buf)
    response = office.post("/planes/pnp2030/matriz/importar/", {"archivo": xlsx(buf.getvalue())})
    assert response.status_code == 422 and "2024 está bloqueado" in response.content.decode()
    assert store.dataset("pnp2030").series()["IOP.02.01"].target(2024).value != 60


def test_the_api_writes_nothing_whatever_the_method(office):
    """The API only reads: a write to it is refused in Spanish, locked period or not, and changes nothing."""
    lock_2024(office)
    before = store.dataset("pnp2030").fingerprint
    body = json.dumps({"indicator": "IOP.02.01", "year": 2024, "kind": "actual", "value": 70})
    for method in ("post", "put", "patch", "delete"):
        response = getattr(office, method)("/api/planes/pnp2030/valores", data=body, content_type="application/json")
        assert response.status_code == 405 and response["Allow"] == "GET"
        assert response.json()["detail"].startswith(f"Método {method.upper()} no admitido. La API de Vigía solo consulta datos")
    store.forget()
    assert store.dataset("pnp2030").fingerprint == before


def test_ensure_open_is_the_one_check(office):
    plan = core.Plan.objects.get(code="pnp2030")
    locks.ensure_open(plan.id, 2024)
    PeriodLock.objects.create(plan=plan, year=2024, period="anual", reason="publicado", changed_by=office.user)
    with pytest.raises(locks.Locked):
        locks.ensure_open(plan.id, 2024, "S1")  # a locked year locks its semester
    locks.ensure_open(plan.id, 2025)


# Editing on the web ------------------------------------------------------------------------------

def test_targets_grid_to_the_horizon(office):
    page = office.get("/gestion/planes/pnp2030/metas/?elemento=OP.01")
    text = page.content.decode()
    assert page.status_code == 200 and 'name="meta-IOP.01.02-2030"' in text and "ISS.01.05.01.01" in text
    response = office.post("/gestion/planes/pnp2030/metas/?elemento=OP.01",
                           {f"meta-IOP.01.02-{y}": v for y, v in zip(range(2025, 2031), ["25", "24", "23", "22,5", "22", "21"])})
    assert response.status_code == 302
    targets = store.dataset("pnp2030").series()["IOP.01.02"].targets
    assert [targets[y].value for y in range(2025, 2031)] == [25, 24, 23, 22.5, 22, 21]
    h = core.Value.history.filter(indicator__code="IOP.01.02", year=2030).first()
    assert h.history_user.username == "ogpp" and "fijado en la web" in h.history_change_reason


def test_a_target_out_of_range_or_not_a_number_changes_nothing(office):
    response = office.post("/gestion/planes/pnp2030/metas/?indicador=IOP.01.02",
                           {"meta-IOP.01.02-2025": "150", "meta-IOP.01.02-2026": "veinte"})
    text = response.content.decode()
    assert response.status_code == 422 and "150 supera el máximo válido (100)" in text and "«veinte» no es un número" in text
    assert 2025 not in store.dataset("pnp2030").series()["IOP.01.02"].targets


def test_ficha_edit_checks_the_bound_and_warns_on_direction(office):
    url = "/gestion/planes/pnp2030/fichas/IOP.01.02/"
    form = {"name": "Porcentaje de PPL sin sentencia", "element": "OP.01", "entity": "Poder Judicial", "direction": "No definido",
            "bound": "", "accumulated": "No acumulado", "additive": "No", "unit": "Porcentaje"}
    response = office.post(url, form)
    assert response.status_code == 422 and "máximo o un mínimo permisible" in response.content.decode()
    response = office.post(url, {**form, "direction": "Ascendente"}, follow=True)
    assert "se declara ascendente, pero sus logros esperados van en sentido descendente" in response.content.decode()
    ind = core.Indicator.objects.get(plan__code="pnp2030", code="IOP.01.02")
    assert ind.direction == "ascending" and ind.name == "Porcentaje de PPL sin sentencia"
    assert ind.history.first().history_change_reason == "Ficha editada en la web"


def test_hierarchy_edit_keeps_the_levels(office):
    url = "/gestion/planes/pnp2030/estructura/"
    bad = office.post(url, {"accion": "agregar", "codigo": "SS.01.01.09", "nivel": "SS", "nombre": "Servicio nuevo", "depende_de": "OP.01"})
    assert bad.status_code == 422 and "un SS depende de un LN, no de OP" in bad.content.decode()
    ok = office.post(url, {"accion": "agregar", "codigo": "SS.01.01.09", "nivel": "SS", "nombre": "Servicio nuevo", "depende_de": "LN.01.01"})
    assert ok.status_code == 302
    codes = [e.code for e in store.dataset("pnp2030").spec.elements]
    assert codes.index("SS.01.01.09") == codes.index("LN.01.01") + 1
    assert office.post(url, {"accion": "eliminar", "codigo": "OP.01"}).status_code == 422
    assert office.post(url, {"accion": "eliminar", "codigo": "SS.01.01.09"}).status_code == 302
    assert not core.Element.objects.filter(plan__code="pnp2030", code="SS.01.01.09").exists()


def test_the_2030_outlook_on_the_dashboard_changes_with_a_new_version(office):
    before = office.get("/planes/pnp2030/").content.decode()
    assert "Perspectiva al 2030" in before and "Sin meta a 2030" in before
    data = with_targets_to_2030(office.get("/gestion/planes/pnp2030/libro.xlsx").content)
    confirm(office, upload_version(office, data))
    after = office.get("/planes/pnp2030/").content.decode()
    assert "En camino" in after  # IOP.02.01: 65.37 in 2024 at +16 % a year against 70 in 2030
    assert "Estancado o retrocede" in after  # IOP.01.02: 37.85 and rising against 20
    page = office.get("/planes/pnp2030/indicadores/IOP.02.01/").content.decode()
    assert "frente a una meta de 70.00%" in page


def lock_campaign_year(people, campaign):
    locks.set_lock(people["ogpm"], campaign.plan, campaign.year, "anual", True, "Reporte publicado")


def test_a_locked_period_refuses_reports_on_the_web_and_in_excel(people, campaign):
    wb = template_for(people["op_inpe"], campaign)
    lock_campaign_year(people, campaign)
    response = save(people["op_inpe"], campaign, INPE_IND, value="12.5", source="INPE")
    assert response.status_code == 422 and "2025 está bloqueado" in response.content.decode()
    response = upload(people["op_inpe"], campaign, filled(wb, {INPE_IND: {6: 12.5}}))
    assert response.status_code == 422 and "2025 está bloqueado" in response.content.decode()
    analysis = client_for(people["ogpm"]).post(f"/campanas/{campaign.pk}/analisis/OP.03/", {"version": "0", "texto": "Análisis"})
    assert analysis.status_code == 422 and "2025 está bloqueado" in analysis.content.decode()
    assert not campaign.submissions.exclude(value=None).exists()


def test_a_locked_period_cannot_be_changed_in_the_admin(people, admin_client):
    lock = PeriodLock.objects.create(plan=core.Plan.objects.get(code="pnp2030"), year=2024, reason="publicado", changed_by=people["ogpm"])
    value = core.Value.objects.get(indicator__code="IOP.02.01", year=2024, kind="actual", vintage__code="RS-2024")
    response = admin_client.post(f"/admin/core/value/{value.pk}/change/", {"value": "70"})
    assert response.status_code == 403 and lock.locked
    value.refresh_from_db()
    assert value.value == 65.37


def version_with(office, changes: dict, applies_from: str, drop: str | None = None):
    """Register a version of pnp2030 with some matrix cells changed (and an indicator removed)."""
    data = workbook.write(store.dataset("pnp2030", published_only=True))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Matriz"]
    header = [c.value for c in ws[1]]
    for (code, column), value in changes.items():
        row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == code)
        row[header.index(column)].value = value
    if drop:
        for sheet in ("Matriz", "Fichas"):
            rows = [r[0].row for r in wb[sheet].iter_rows(min_row=2) if r[0].value == drop]
            wb[sheet].delete_rows(rows[0])
        values = wb["Valores"]
        for r in sorted((r[0].row for r in values.iter_rows(min_row=2) if r[0].value == drop), reverse=True):
            values.delete_rows(r)
    buf = io.BytesIO()
    wb.save(buf)
    done = confirm(office, upload_version(office, buf.getvalue(), applies_from=applies_from))
    assert done.status_code == 302, done.content.decode()[:3000]


def test_each_year_uses_the_version_in_force(office, tmp_path, monkeypatch):
    version_with(office, {("IOP.02.01", "Logro esperado 2024"): 60, ("IOP.02.01", "Logro esperado 2025"): 62,
                          ("IOP.02.01", "Valor obtenido 2025"): 66}, "2025-03-15", drop="ISS.06.02.01.01")
    v1 = store.evaluation("pnp2030", 2024)
    assert round(v1.row("IOP.02.01").progress, 1) == 125.7  # 65.37 against the 52 of version 1
    assert round(v1.index, 1) == 69.0 and v1.row("ISS.06.02.01.01")  # the removed indicator still counts in 2024
    v2 = store.evaluation("pnp2030", 2025)
    assert v2.row("IOP.02.01").progress == pytest.approx(66 / 62 * 100)
    assert "ISS.06.02.01.01" not in {r.code for r in v2.rows}
    # the pages, the portal, the API and the documents of 2024 follow version 1
    assert "125.7" in office.get("/planes/pnp2030/?anio=2024").content.decode()
    assert "125.7" in Client().get("/transparencia/pnp2030/2024/").content.decode()
    api = Client().get("/api/publico/planes/pnp2030/avance/2024").json()
    assert {r["code"]: r["progress"] for r in api["rows"]}["IOP.02.01"] == 125.7
    assert "ISS.06.02.01.01" in office.get("/planes/pnp2030/indicadores/ISS.06.02.01.01/?anio=2024").content.decode()
    report = office.get("/planes/pnp2030/reporte.xlsx?anio=2024&tipo=seguimiento")
    assert report.status_code == 200
    monkeypatch.setenv("VIGIA_DATA_DIR", str(tmp_path))
    out = CliRunner().invoke(app, ["progress", "pnp2030", "-y", "2024", "-f", "json"])
    assert {r["code"]: r["progress"] for r in json.loads(out.output)["rows"]}["IOP.02.01"] == 125.7


def test_a_version_in_force_during_the_year_governs_it(office):
    version_with(office, {("IOP.02.01", "Logro esperado 2024"): 60}, "2024-06-01")
    assert store.evaluation("pnp2030", 2024).row("IOP.02.01").progress == pytest.approx(65.37 / 60 * 100)
    assert round(store.evaluation("pnp2030", 2023).row("IOP.02.01").progress, 1) == round(50.2 / 45 * 100, 1)


def test_versions_and_locks_are_in_the_audit_trail(office):
    data = with_targets_to_2030(office.get("/gestion/planes/pnp2030/libro.xlsx").content)
    confirm(office, upload_version(office, data))
    lock_2024(office)
    csv_text = office.get("/auditoria.csv").content.decode("utf-8-sig")
    assert f'ogpp,versión del plan,pnp2030 v2,registro,"{RESOLUTION}, rige desde el 15/03/2025; 12 cambios"' in csv_text
    assert "ogpp,periodo,pnp2030 2024 anual,Creado,Bloqueado: Reporte 2024 publicado" in csv_text
