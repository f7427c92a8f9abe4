"""Reporting campaigns, review workflow, validation, audit trail, concurrency, Excel round-trip,
notifications and the matriz de compromisos — on the real official data."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import Client

from vigia.core import models as core
from vigia.reporting import figures, services
from vigia.reporting.permissions import audience
from vigia.reporting.models import Campaign, Commitment, Notification, Role, State, Submission

from .helpers import (INPE_IND, PJ_IND, YEAR, act, client_for, filled, matrix_file, matrix_workbook, report_url, save, set_target,
                      template_for, upload)

pytestmark = pytest.mark.django_db


# Permissions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who,code,allowed", [
    ("op_inpe", INPE_IND, True), ("op_inpe", PJ_IND, False), ("op_pj", PJ_IND, True), ("op_pj", INPE_IND, False),
    ("ogpm", INPE_IND, True), ("analista", INPE_IND, False), ("decisor", INPE_IND, False), ("sin_rol", INPE_IND, False),
])
def test_only_the_responsible_entity_reports(people, campaign, who, code, allowed):
    value = {INPE_IND: "12.5", PJ_IND: "36.2"}[code]  # close to 2024, so no jump justification is needed
    response = save(people[who], campaign, code, value=value)
    s = Submission.objects.get(campaign=campaign, indicator__code=code)
    assert (s.value == float(value)) is allowed
    assert response.status_code in ((302,) if allowed else (403,))


@pytest.mark.parametrize("who,status", [("ogpm", 302), ("analista", 403), ("op_inpe", 403), ("decisor", 403), ("sin_rol", 403)])
def test_only_the_planning_office_opens_campaigns(people, who, status):
    response = client_for(people[who]).post("/campanas/", {"plan": "pei-inpe", "year": 2025, "opens": "2026-01-01", "deadline": "2026-02-01",
                                                             "no_target_reason": "Metas en revisión"})
    assert response.status_code == status
    assert Campaign.objects.filter(plan__code="pei-inpe").exists() is (status == 302)


@pytest.mark.parametrize("who,action,allowed", [
    ("analista", "aprobar", True), ("ogpm", "aprobar", True), ("op_inpe", "aprobar", False), ("decisor", "aprobar", False),
    ("analista", "observar", True), ("op_inpe", "observar", False),
])
def test_only_reviewers_review(people, campaign, who, action, allowed):
    save(people["op_inpe"], campaign, INPE_IND, value="12.5")
    act(people["op_inpe"], campaign, INPE_IND, "enviar")
    act(people[who], campaign, INPE_IND, action, "Revise la fuente")
    state = Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).state
    expected = {"aprobar": State.APPROVED, "observar": State.OBSERVED}[action] if allowed else State.SUBMITTED
    assert state == expected


@pytest.mark.parametrize("who,internal", [("decisor", 200), ("op_inpe", 200), ("analista", 200), ("sin_rol", 403)])
def test_internal_pages_and_api_need_a_role(people, who, internal):
    c = client_for(people[who])
    assert c.get("/planes/pnp2030/").status_code == internal
    assert c.get("/api/planes/pnp2030/avance/2024").status_code == (200 if internal == 200 else 401)
    assert c.get("/transparencia/pnp2030/2024/").status_code == 200


def test_operator_sees_only_its_entity(people, campaign):
    html = client_for(people["op_pj"]).get(f"/campanas/{campaign.pk}/").content.decode()
    assert f'data-code="{PJ_IND}"' in html and f'data-code="{INPE_IND}"' not in html
    assert client_for(people["op_pj"]).get(report_url(campaign, INPE_IND)).status_code == 403


def test_audit_log_and_targets_are_for_reviewers(people):
    assert client_for(people["op_inpe"]).get("/auditoria.csv").status_code == 403
    assert client_for(people["analista"]).get("/auditoria.csv").status_code == 200
    assert set_target(people["op_inpe"], INPE_IND, "60").status_code == 403


# Workflow -----------------------------------------------------------------------------------------


def test_full_cycle_reaches_the_portal(people, campaign, client):
    assert set_target(people["ogpm"], INPE_IND, "60").status_code == 302
    save(people["op_inpe"], campaign, INPE_IND, value="12,5", source="Registro INPE")
    inpe = audience(people["op_inpe"])
    internal = figures.evaluation("pnp2030", YEAR, audience=inpe).row(INPE_IND)
    assert internal.actual == 12.5 and (INPE_IND, YEAR) in figures.preliminary("pnp2030", inpe)
    assert figures.evaluation("pnp2030", YEAR).row(INPE_IND).actual is None

    act(people["op_inpe"], campaign, INPE_IND, "enviar")
    assert act(people["analista"], campaign, INPE_IND, "observar", "").status_code == 422  # a comment is required
    act(people["analista"], campaign, INPE_IND, "observar", "La fuente no coincide con el registro.")
    save(people["op_inpe"], campaign, INPE_IND, value="13.2", source="Registro INPE, diciembre 2025")
    act(people["op_inpe"], campaign, INPE_IND, "enviar")
    act(people["analista"], campaign, INPE_IND, "aprobar")
    act(people["analista"], campaign, INPE_IND, "publicar")

    s = Submission.objects.get(campaign=campaign, indicator__code=INPE_IND)
    assert s.state == State.PUBLISHED and s.published_at
    assert [(t.source, t.target, t.user.username) for t in s.transitions.all()] == [
        ("draft", "submitted", "op_inpe"), ("submitted", "observed", "analista"), ("observed", "submitted", "op_inpe"),
        ("submitted", "approved", "analista"), ("approved", "published", "analista")]
    row = figures.evaluation("pnp2030", YEAR).row(INPE_IND)
    assert (row.actual, round(row.progress, 1), row.band.value) == (13.2, 22.0, "rojo")
    html = client.get(f"/transparencia/pnp2030/{YEAR}/indicadores/{INPE_IND}/").content.decode()
    assert "22.0%" in html and "13.20%" in html
    assert s.history.count() >= 7  # every save and transition is in the audit trail
    audit = client_for(people["analista"]).get("/auditoria.csv").content.decode("utf-8-sig")
    assert "Observado" in audit and "op_inpe" in audit and "13.2" in audit


def test_change_after_approval_goes_back_to_review_and_is_labelled_revised(people, campaign):
    set_target(people["ogpm"], INPE_IND, "60")
    save(people["op_inpe"], campaign, INPE_IND, value="13.2")
    for who, action in (("op_inpe", "enviar"), ("analista", "aprobar"), ("analista", "publicar")):
        act(people[who], campaign, INPE_IND, action)
    save(people["op_inpe"], campaign, INPE_IND, value="14.0")
    s = Submission.objects.get(campaign=campaign, indicator__code=INPE_IND)
    assert s.state == State.DRAFT and s.changed_since_approval
    assert figures.evaluation("pnp2030", YEAR).row(INPE_IND).actual == 13.2  # portal keeps the published one
    html = client_for(people["analista"]).get(f"/campanas/{campaign.pk}/").content.decode()
    assert "cambiado desde su aprobación" in html
    for who, action in (("op_inpe", "enviar"), ("analista", "aprobar"), ("analista", "publicar")):
        act(people[who], campaign, INPE_IND, action)
    value = core.Value.objects.get(indicator__code=INPE_IND, year=YEAR, kind="actual")
    assert value.value == 14.0 and value.revised_at and "Revisado el" in value.note


def test_target_change_after_approval_needs_a_resolution(people, campaign):
    set_target(people["ogpm"], INPE_IND, "60")
    save(people["op_inpe"], campaign, INPE_IND, value="13.2")
    act(people["op_inpe"], campaign, INPE_IND, "enviar")
    act(people["analista"], campaign, INPE_IND, "aprobar")
    response = set_target(people["ogpm"], INPE_IND, "40")
    assert response.status_code == 422 and "resolución" in response.content.decode()
    assert set_target(people["ogpm"], INPE_IND, "40", "R.M. N° 0123-2026-JUS").status_code == 302
    target = core.Value.objects.get(indicator__code=INPE_IND, year=YEAR, kind="target")
    assert target.value == 40 and target.history.first().history_change_reason.endswith("R.M. N° 0123-2026-JUS")


# Validation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("data,message", [
    ({"value": "doce"}, "«doce» no es un número"),
    ({"value": "150"}, "supera el máximo válido (100)"),
    ({"value": "-3"}, "por debajo del mínimo válido"),
    ({"value": "", "status": "ND"}, "necesita el motivo"),
    ({"value": "30"}, "justificación"),  # 11.01 in 2024 → 30: a jump beyond 50 %
])
def test_invalid_reports_are_refused_with_spanish_messages(people, campaign, data, message):
    response = save(people["op_inpe"], campaign, INPE_IND, **data)
    assert response.status_code == 422
    text = response.content.decode()
    assert message in text and INPE_IND in text
    assert Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).value is None


def test_jump_with_justification_and_nd_with_reason_are_accepted(people, campaign):
    assert save(people["op_inpe"], campaign, INPE_IND, value="30", justification="Nuevo penal de Ica").status_code == 302
    assert save(people["op_inpe"], campaign, "IOP.02.01", status="ND", reason="Estudio en curso").status_code == 302
    s = Submission.objects.get(campaign=campaign, indicator__code="IOP.02.01")
    assert (s.value, s.status) == (None, "ND")


def test_numerator_and_denominator_compute_the_value(people, campaign):
    core.Indicator.objects.filter(code=INPE_IND).update(numerator_label="PPL en EP seguros", denominator_label="POPE intramuros")
    save(people["op_inpe"], campaign, INPE_IND, numerator="1 500", denominator="10000", justification="")
    assert Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).value == 15.0


# Concurrency --------------------------------------------------------------------------------------


def test_a_stale_save_is_refused_and_shows_the_other_change(people, campaign):
    s = Submission.objects.get(campaign=campaign, indicator__code=INPE_IND)
    first = client_for(people["op_inpe"]).post(report_url(campaign, INPE_IND), {"accion": "guardar", "version": s.version, "value": "12"})
    second = client_for(people["ogpm"]).post(report_url(campaign, INPE_IND), {"accion": "guardar", "version": s.version, "value": "13"})
    assert first.status_code == 302 and second.status_code == 409
    assert "op_inpe guardó este reporte" in second.content.decode() and "12" in second.content.decode()
    assert Submission.objects.get(pk=s.pk).value == 12.0


# Notifications ------------------------------------------------------------------------------------


def test_transitions_notify_and_email(people, campaign):
    save(people["op_inpe"], campaign, INPE_IND, value="12")
    mail.outbox.clear()
    act(people["op_inpe"], campaign, INPE_IND, "enviar")
    assert Notification.objects.filter(user=people["analista"], kind="enviado").exists()
    assert any("analista@example.pe" in m.to for m in mail.outbox)
    act(people["analista"], campaign, INPE_IND, "observar", "Falta la fuente")
    assert Notification.objects.filter(user=people["op_inpe"], kind="observado", text__contains="Falta la fuente").exists()
    assert not Notification.objects.filter(user=people["op_pj"], kind="observado").exists()


def test_reminders_escalate_when_overdue(people, campaign):
    assert services.remind(today=campaign.deadline - timedelta(days=2)) >= 1
    assert Notification.objects.filter(user=people["op_inpe"], kind="plazo").exists()
    services.remind(today=campaign.deadline + timedelta(days=1))
    assert Notification.objects.filter(user=people["admin_inpe"], kind="vencido").exists()
    assert not Notification.objects.filter(user=people["admin_inpe"], kind="plazo").exists()


# Excel round-trip ---------------------------------------------------------------------------------


def test_template_is_per_entity_with_locked_metadata(people, campaign):
    ws = template_for(people["op_inpe"], campaign)["Reporte"]
    codes = [r[0].value for r in ws.iter_rows(min_row=2)]
    assert INPE_IND in codes and PJ_IND not in codes
    assert ws.protection.sheet and ws["A2"].protection.locked and not ws["G2"].protection.locked
    assert ws.data_validations.dataValidation


def test_upload_saves_all_rows(people, campaign):
    wb = template_for(people["op_inpe"], campaign)
    response = upload(people["op_inpe"], campaign, filled(wb, {INPE_IND: {6: "12,4"}, "IOP.02.01": {9: "ND", 10: "Estudio pendiente"}}))
    assert response.status_code == 302
    assert Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).value == 12.4
    assert Submission.objects.get(campaign=campaign, indicator__code="IOP.02.01").status == "ND"


def _unchanged(campaign):
    return not Submission.objects.filter(campaign=campaign).exclude(value=None, status="").exists()


def test_upload_is_all_or_nothing_with_a_row_report(people, campaign):
    wb = template_for(people["op_inpe"], campaign)
    response = upload(people["op_inpe"], campaign, filled(wb, {INPE_IND: {6: "12.4"}, "IOP.02.01": {6: "mucho"}}))
    text = response.content.decode()
    assert response.status_code == 422 and "«mucho» no es un número" in text and "IOP.02.01" in text
    assert _unchanged(campaign)


def _bad_files(people, campaign):
    wb = template_for(people["op_inpe"], campaign)
    ws = wb["Reporte"]
    ws["A1"] = "Codigo"
    wrong_columns = filled(wb, {})
    wb = template_for(people["op_inpe"], campaign)
    wb["Reporte"].merge_cells("G2:H2")
    merged = filled(wb, {})
    formulas = filled(template_for(people["op_inpe"], campaign), {INPE_IND: {6: "=10+2"}})
    text_number = filled(template_for(people["op_inpe"], campaign), {INPE_IND: {6: "doce"}})
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    return {
        "columnas": (wrong_columns, "columnas no son las de la plantilla"),
        "combinadas": (merged, "celdas combinadas"),
        "fórmulas": (formulas, "contiene fórmulas"),
        "texto": (text_number, "«doce» no es un número"),
        "no xlsx": (b"%PDF-1.4 esto no es excel", "no es un libro de Excel"),
        "bomba": (bomb.getvalue(), "tamaño desproporcionado"),
        "50 MB": (b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024), "el máximo es 5 MB"),
    }


def test_malformed_uploads_change_nothing(people, campaign):
    for label, (content, message) in _bad_files(people, campaign).items():
        response = upload(people["op_inpe"], campaign, content)
        assert response.status_code == 422, label
        assert message in response.content.decode(), label
        assert _unchanged(campaign), label


def test_upload_of_another_entity_is_refused(people, campaign):
    wb = template_for(people["op_pj"], campaign)
    response = upload(people["op_inpe"], campaign, filled(wb, {PJ_IND: {6: "30"}}))
    assert response.status_code == 422 and "no es responsable" in response.content.decode()
    assert _unchanged(campaign)


def test_stale_template_row_is_refused(people, campaign):
    wb = template_for(people["op_inpe"], campaign)
    save(people["op_inpe"], campaign, INPE_IND, value="12")
    response = upload(people["op_inpe"], campaign, filled(wb, {INPE_IND: {6: "13"}}))
    assert response.status_code == 422 and "descargue una nueva" in response.content.decode()
    assert Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).value == 12


# Evidence, commitments, login throttling ------------------------------------------------------------


def test_evidence_is_type_and_size_checked(people, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = client_for(people["op_inpe"])
    url = report_url(campaign, INPE_IND) + "evidencia/"
    good = io.BytesIO(b"%PDF-1.4 informe")
    good.name = "informe.pdf"
    c.post(url, {"archivo": good})
    fake = io.BytesIO(b"MZ\x90\x00 ejecutable")
    fake.name = "informe.pdf"
    response = c.post(url, {"archivo": fake}, follow=True)
    assert "no es PDF, XLSX, PNG ni JPEG" in response.content.decode()
    s = Submission.objects.get(campaign=campaign, indicator__code=INPE_IND)
    assert [e.name for e in s.evidence.all()] == ["informe.pdf"]
    file_url = f"{url}{s.evidence.get().pk}/"
    assert c.get(file_url).content == b"%PDF-1.4 informe"
    assert client_for(people["op_pj"]).get(file_url).status_code == 403
    assert client_for(people["op_pj"]).post(url, {"archivo": io.BytesIO(b"%PDF")}).status_code == 403


def test_commitments_are_seeded_and_followed_up(people):
    items = Commitment.objects.filter(plan__code="pei-inpe")
    assert items.count() == 7
    first = items.first()
    data = {"id": first.pk, "version": first.version, "responsible": "Dirección de Tratamiento", "status": "en_proceso",
            "deadline": "2026-06-30", "follow_up": "Plan de trabajo aprobado"}
    assert client_for(people["op_inpe"]).post("/compromisos/", data).status_code == 403
    client_for(people["analista"]).post("/compromisos/", data)
    first.refresh_from_db()
    assert (first.status, first.deadline, first.history.count()) == ("en_proceso", date(2026, 6, 30), 2)  # created, then followed up
    client_for(people["ogpm"]).post("/compromisos/", {**data, "status": "cumplido"})  # stale version
    first.refresh_from_db()
    assert first.status == "en_proceso"


def test_login_is_throttled(people, django_user_model):
    user = django_user_model.objects.create_user("objetivo", "", "una-clave-larga-2030")
    services.set_role(user, Role.ANALYST)
    c = Client()
    for _ in range(5):
        c.post("/cuentas/ingresar/", {"username": "objetivo", "password": "mal"})
    response = c.post("/cuentas/ingresar/", {"username": "objetivo", "password": "una-clave-larga-2030"})
    assert response.status_code == 429 and "bloqueado" in response.content.decode()


# CEPLAN matrix round-trip ------------------------------------------------------------------------


def test_matrix_export_import_round_trip(people):
    c = client_for(people["ogpm"])
    unchanged = matrix_file(matrix_workbook(people["ogpm"]), "IOP.03.01", "Código", "IOP.03.01")
    assert c.post("/planes/pnp2030/matriz/importar/", {"archivo": unchanged}).status_code == 302
    assert not core.Value.history.filter(history_change_reason__startswith="Importación").exists()  # nothing changed

    wb = matrix_workbook(people["ogpm"])
    matrix_file(wb, "IOP.03.01", "Logro esperado 2024", "50")
    edited = matrix_file(wb, "IOP.03.01", "Valor obtenido 2024", "22,02")
    assert c.post("/planes/pnp2030/matriz/importar/", {"archivo": edited}).status_code == 302
    assert core.Value.history.filter(history_change_reason__startswith="Importación", history_user=people["ogpm"]).count() == 1
    # the obtained value goes to review: published figures wait, the reviewers see it as preliminary
    assert figures.evaluation("pnp2030", 2024).row("IOP.03.01").actual == 11.01
    assert round(figures.evaluation("pnp2030", 2024, audience=audience(people["analista"])).row("IOP.03.01").progress, 1) == 44.0
    report = Submission.objects.get(campaign__year=2024, indicator__code="IOP.03.01")
    assert report.state == State.SUBMITTED and report.transitions.get().user == people["ogpm"]
    assert act(people["ogpm"], report.campaign, "IOP.03.01", "aprobar").status_code == 403  # four eyes
    act(people["analista"], report.campaign, "IOP.03.01", "aprobar")
    act(people["analista"], report.campaign, "IOP.03.01", "publicar")
    assert round(figures.evaluation("pnp2030", 2024).row("IOP.03.01").progress, 1) == 44.0


def test_matrix_import_is_all_or_nothing_and_for_the_planning_office(people):
    bad = matrix_file(matrix_workbook(people["ogpm"]), "IOP.03.01", "Valor obtenido 2024", "muchos")
    response = client_for(people["ogpm"]).post("/planes/pnp2030/matriz/importar/", {"archivo": bad})
    assert response.status_code == 422 and "«muchos» no es un número" in response.content.decode()
    assert figures.evaluation("pnp2030", 2024, audience=audience(people["analista"])).row("IOP.03.01").actual == 11.01
    assert client_for(people["analista"]).get("/planes/pnp2030/matriz/importar/").status_code == 403


def test_closed_campaign_takes_no_reports(people, campaign):
    assert client_for(people["analista"]).post(f"/campanas/{campaign.pk}/cerrar/").status_code == 403
    client_for(people["ogpm"]).post(f"/campanas/{campaign.pk}/cerrar/")
    campaign.refresh_from_db()
    assert campaign.closed
    response = save(people["op_inpe"], campaign, INPE_IND, value="12")
    assert response.status_code == 422 and "está cerrada" in response.content.decode()
