"""Issue 8 (hardening): one regression test per item, on SQLite and PostgreSQL.

Each test failed on the code before the fix. The adversarial suite (many malformed inputs at once)
is in test_adversarial.py; backup/restore, deploy checks and the command line have their own files.
"""

import csv
import io
import json
import re
import zipfile
from datetime import date

import pytest
from django.core import mail
from django.db.models import F
from django.test import Client
from docx import Document as read_docx
from openpyxl import load_workbook

from vigia.core import models as core
from vigia.reporting import figures
from vigia.reporting.models import Campaign, Commitment, ObjectiveAnalysis, State, Submission
from vigia.reporting.permissions import PUBLIC, audience

from .helpers import (INPE_IND, YEAR, act, client_for, filled, matrix_file, matrix_workbook, report_url, save, set_target,
                      template_for, upload)

pytestmark = pytest.mark.django_db
COUNT_IND = "IOP.01.01"  # INPE, a count (m² per person): no upper bound of its own


def strict_json(content: bytes):
    """JSON as the standard defines it: Infinity and NaN are not JSON."""
    return json.loads(content, parse_constant=lambda name: pytest.fail(f"{name} is not valid JSON"))


def _rewrite(xlsx: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, change(data) if item.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


def _unchanged(campaign) -> bool:
    return not Submission.objects.filter(campaign=campaign).exclude(value=None, status="").exists()


# 1. A tiny XLSX stalls a worker ------------------------------------------------------------------


def test_1_row_bombs_are_bounded_and_a_declared_bomb_is_refused(people, campaign):
    template = filled(template_for(people["op_inpe"], campaign), {INPE_IND: {6: "12.4"}})
    far_row = _rewrite(template, lambda x: x.replace(b"</sheetData>", b'<row r="1048576"><c r="O1048576"/></row></sheetData>'))
    response = upload(people["op_inpe"], campaign, far_row)  # the far row is never read: the rest is a normal upload
    assert response.status_code == 302
    assert Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).value == 12.4

    declared = _rewrite(template, lambda x: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', x))
    response = upload(people["op_inpe"], campaign, declared)
    assert response.status_code == 422 and "declara 1,048,576 filas" in response.content.decode()
    undeclared = _rewrite(template, lambda x: re.sub(rb'<dimension ref="[^"]*"/>', b"", x))
    response = upload(people["op_inpe"], campaign, undeclared)
    assert response.status_code == 422 and "no declara su tamaño" in response.content.decode()


def test_1_only_reporters_make_the_server_read_a_workbook(people, campaign):
    template = filled(template_for(people["op_inpe"], campaign), {})
    for who in ("decisor", "analista"):
        assert upload(people[who], campaign, template).status_code == 403


# 2. Non-finite numbers ---------------------------------------------------------------------------


def test_2_infinite_values_are_refused_in_form_template_matrix_and_targets(people, campaign):
    nines = "9" * 400
    response = save(people["op_inpe"], campaign, COUNT_IND, value=nines)
    assert response.status_code == 422 and f"{COUNT_IND}, campo «valor obtenido»" in response.content.decode()
    response = save(people["op_inpe"], campaign, INPE_IND, numerator=nines, denominator="10")
    assert response.status_code == 422 and "numerador" in response.content.decode()
    response = upload(people["op_inpe"], campaign, filled(template_for(people["op_inpe"], campaign), {COUNT_IND: {6: nines}}))
    assert response.status_code == 422 and "no es un número finito" in response.content.decode()
    assert _unchanged(campaign)
    response = client_for(people["ogpm"]).post("/planes/pnp2030/matriz/importar/",
                                               {"archivo": matrix_file(matrix_workbook(people["ogpm"]), COUNT_IND, "Valor obtenido 2024", nines)})
    assert response.status_code == 422 and "no es un número finito" in response.content.decode()
    response = set_target(people["ogpm"], COUNT_IND, nines)
    assert response.status_code == 422 and "«logro esperado»" in response.content.decode()
    assert not core.Value.objects.filter(value__gt=1e15).exists()


def test_2_every_json_output_is_valid_json_even_with_a_stored_infinity(client, admin_client):
    """A non-finite value can no longer enter; one stored before is written as null, never Infinity."""
    value = core.Value.objects.filter(indicator__code="ISS.02.02.01.01", vintage__code="RS-2024", year=2024, kind="actual").get()
    core.Value.objects.filter(pk=value.pk).update(value=float("inf"))
    core.Plan.objects.filter(code="pnp2030").update(version=F("version") + 1)
    for c, url in ((client, "/api/publico/planes/pnp2030/valores?indicador=ISS.02.02.01.01&limit=1000"),
                   (client, "/api/publico/planes/pnp2030/avance/2024"), (client, "/transparencia/pnp2030/2024/datos.json"),
                   (admin_client, "/api/planes/pnp2030/avance/2024"), (admin_client, "/planes/pnp2030/matriz.json")):
        response = c.get(url)
        assert response.status_code == 200, url
        strict_json(response.content)
    rows = csv.reader(io.StringIO(client.get("/transparencia/pnp2030/2024/datos.csv").content.decode("utf-8-sig")))
    assert not {c.lower() for row in rows for c in row} & {"inf", "-inf", "infinity", "nan"}


# 3. The matrix import publishes, skipping review --------------------------------------------------


def test_3_matrix_import_goes_to_review_and_reports_a_conflict_with_an_open_report(people, campaign, client):
    set_target(people["ogpm"], COUNT_IND, "3")  # the matrix of 2025 has its columns
    save(people["op_inpe"], campaign, COUNT_IND, value="3.1", justification="Nuevo pabellón")  # the operator's own draft
    response = client_for(people["ogpm"]).post("/planes/pnp2030/matriz/importar/", {
        "archivo": matrix_file(matrix_workbook(people["ogpm"], YEAR), COUNT_IND, f"Valor obtenido {YEAR}", "ND")})
    assert response.status_code == 422 and "hay un reporte «borrador»" in response.content.decode()
    assert Submission.objects.get(campaign=campaign, indicator__code=COUNT_IND).value == 3.1
    assert not core.Value.objects.filter(indicator__code=COUNT_IND, year=YEAR, kind="actual").exists()

    Submission.objects.filter(campaign=campaign, indicator__code=COUNT_IND).update(value=None)  # no open report now
    response = client_for(people["ogpm"]).post("/planes/pnp2030/matriz/importar/", {
        "archivo": matrix_file(matrix_workbook(people["ogpm"], YEAR), COUNT_IND, f"Valor obtenido {YEAR}", "ND")})
    assert response.status_code == 302
    s = Submission.objects.get(campaign=campaign, indicator__code=COUNT_IND)
    assert (s.state, s.status) == (State.SUBMITTED, "ND") and s.transitions.last().user == people["ogpm"]
    assert s.history.filter(history_change_reason__startswith="Importación de la matriz").exists()
    assert not core.Value.objects.filter(indicator__code=COUNT_IND, year=YEAR, kind="actual").exists()  # not published
    assert figures.evaluation("pnp2030", YEAR).row(COUNT_IND).actual is None


def test_3_matrix_import_into_a_closed_campaign_is_refused(people, campaign):
    set_target(people["ogpm"], COUNT_IND, "3")
    client_for(people["ogpm"]).post(f"/campanas/{campaign.pk}/cerrar/")
    response = client_for(people["ogpm"]).post("/planes/pnp2030/matriz/importar/", {
        "archivo": matrix_file(matrix_workbook(people["ogpm"], YEAR), COUNT_IND, f"Valor obtenido {YEAR}", "3.2")})
    assert response.status_code == 422 and "está cerrada" in response.content.decode()
    assert _unchanged(campaign)


# 4. Four eyes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("author", ["ogpm", "superuser"])
def test_4_nobody_approves_or_publishes_what_they_saved_or_sent(people, campaign, django_user_model, author):
    user = people["ogpm"] if author == "ogpm" else django_user_model.objects.create_superuser("raiz", "", None)
    assert save(user, campaign, INPE_IND, value="12.5").status_code == 302
    assert act(user, campaign, INPE_IND, "enviar").status_code == 302
    response = act(user, campaign, INPE_IND, "aprobar")
    assert response.status_code == 403 and "otra persona debe aprobarlo" in response.content.decode()
    assert act(people["analista"], campaign, INPE_IND, "aprobar").status_code == 302
    response = act(user, campaign, INPE_IND, "publicar")
    assert response.status_code == 403 and "otra persona debe publicarlo" in response.content.decode()
    response = client_for(user).post(f"/campanas/{campaign.pk}/publicar/", follow=True)
    assert "quedan para otra persona" in response.content.decode()
    assert Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).state == State.APPROVED
    assert act(people["analista"], campaign, INPE_IND, "publicar").status_code == 302


def test_4_a_reviewer_who_saved_on_behalf_of_an_entity_cannot_approve(people, campaign):
    save(people["ogpm"], campaign, INPE_IND, value="12.5")  # the planning office fixed the value
    act(people["op_inpe"], campaign, INPE_IND, "enviar")  # the entity sent it
    assert act(people["ogpm"], campaign, INPE_IND, "aprobar").status_code == 403
    assert act(people["analista"], campaign, INPE_IND, "aprobar").status_code == 302
    s = Submission.objects.get(campaign=campaign, indicator__code=INPE_IND)
    assert set(s.authors.values_list("username", flat=True)) == {"ogpm", "op_inpe"}


def test_4_a_new_round_after_publication_has_new_authors(people, campaign):
    save(people["op_inpe"], campaign, INPE_IND, value="12.5")
    act(people["op_inpe"], campaign, INPE_IND, "enviar")
    act(people["ogpm"], campaign, INPE_IND, "aprobar")
    act(people["analista"], campaign, INPE_IND, "publicar")
    assert not Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).authors.exists()
    save(people["ogpm"], campaign, INPE_IND, value="12.7")  # a correction by the planning office
    act(people["op_inpe"], campaign, INPE_IND, "enviar")
    assert act(people["ogpm"], campaign, INPE_IND, "aprobar").status_code == 403


# 5. Drafts leak across entities -------------------------------------------------------------------


def _leaks(user, value: str) -> dict[str, bool]:
    """Where the figure ``value`` of IOP.03.01 shows to ``user`` (pages, downloads, API, document)."""
    c = client_for(user) if user else Client()
    year = f"?anio={YEAR}"
    urls = {"matriz": f"/planes/pnp2030/matriz/{year}", "matriz.csv": f"/planes/pnp2030/matriz.csv{year}",
            "matriz.xlsx": f"/planes/pnp2030/matriz.xlsx{year}",
            "api": f"/api/planes/pnp2030/avance/{YEAR}", "indicador": f"/planes/pnp2030/indicadores/{INPE_IND}/?anio={YEAR}",
            "portal": f"/transparencia/pnp2030/{YEAR}/indicadores/{INPE_IND}/", "datos": f"/transparencia/pnp2030/{YEAR}/datos.csv",
            "api pública": f"/api/publico/planes/pnp2030/avance/{YEAR}"}
    out = {}
    for name, url in urls.items():
        response = c.get(url)
        if response.status_code != 200:
            out[name] = False
            continue
        body = response.content
        if ".xlsx" in url:
            body = str([r for r in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)]).encode()
        out[name] = value.encode() in body.replace(b",", b"")
    return out


@pytest.fixture
def target_2025(people):
    set_target(people["ogpm"], INPE_IND, "60")


@pytest.mark.usefixtures("target_2025")
def test_5_a_draft_is_seen_only_by_its_own_entity(people, campaign):
    save(people["op_inpe"], campaign, INPE_IND, value="77.25", justification="Prueba de fuga")
    assert all(v for k, v in _leaks(people["op_inpe"], "77.25").items() if "públic" not in k and k not in ("portal", "datos"))
    for who in ("op_pj", "analista", "ogpm", "decisor", None):
        assert not any(_leaks(people[who] if who else None, "77.25").values()), who
    act(people["op_inpe"], campaign, INPE_IND, "enviar")  # sent: reviewers see it, the decisor and other entities do not
    assert _leaks(people["analista"], "77.25")["api"] and not _leaks(people["decisor"], "77.25")["api"]
    assert not any(_leaks(people["op_pj"], "77.25").values())
    act(people["analista"], campaign, INPE_IND, "aprobar")  # approved: the decisor sees it as preliminary
    decisor = client_for(people["decisor"]).get(f"/planes/pnp2030/matriz/?anio={YEAR}").content.decode()
    assert "77.25" in decisor and "Vista preliminar" in decisor
    assert not any(_leaks(None, "77.25").values()) and not any(_leaks(people["op_pj"], "77.25").values())


@pytest.mark.usefixtures("target_2025")
def test_5_preliminary_document_follows_the_same_rule(people, campaign):
    save(people["op_inpe"], campaign, INPE_IND, value="77.25", justification="Prueba", analysis="Análisis secreto del borrador")
    for who, sees in (("op_inpe", True), ("op_pj", False), ("analista", False)):
        response = client_for(people[who]).get(f"/planes/pnp2030/reporte.docx?anio={YEAR}&preliminar=1")
        assert response.status_code == 200
        text = "\n".join(p.text for p in read_docx(io.BytesIO(response.content)).paragraphs)
        tables = "\n".join(c.text for t in read_docx(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells)
        assert ("77.25" in tables) is sees and ("Análisis secreto del borrador" in text) is sees, who


def test_5_report_pages_hide_a_draft_from_other_roles(people, campaign):
    save(people["op_inpe"], campaign, INPE_IND, value="77.25", justification="x", source="Fuente reservada")
    for who in ("analista", "decisor"):
        assert "77.25" not in client_for(people[who]).get(f"/campanas/{campaign.pk}/").content.decode()
        page = client_for(people[who]).get(report_url(campaign, INPE_IND)).content.decode()
        assert "Fuente reservada" not in page and "77.25" not in page and "aún prepara este reporte" in page
        template = template_for(people[who], campaign)["Reporte"]
        assert all(r[6] is None for r in template.iter_rows(min_row=2, values_only=True))
    assert perms_audience_key(people["op_inpe"]) == perms_audience_key(people["admin_inpe"].__class__.objects.get(username="op_inpe"))


def perms_audience_key(user):
    return audience(user).key


def test_5_operators_of_one_entity_share_one_cache_entry(people, django_user_model):
    from vigia.reporting.services import set_role

    other = django_user_model.objects.create_user("op_inpe_2", "", None)
    set_role(other, "operator", core.Entity.objects.get(code="INPE"))
    assert audience(other) == audience(people["op_inpe"]) != audience(people["op_pj"])
    assert figures.dataset("pnp2030", audience(other)) is figures.dataset("pnp2030", audience(people["op_inpe"]))
    assert figures.dataset("pnp2030", PUBLIC) is not figures.dataset("pnp2030", audience(people["op_inpe"]))


# 6. A closed campaign can still be edited ---------------------------------------------------------


def test_6_a_closed_campaign_is_read_only_and_reopening_needs_a_reason(people, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    save(people["op_inpe"], campaign, INPE_IND, value="12.5")
    act(people["op_inpe"], campaign, INPE_IND, "enviar")
    ogpm, op = client_for(people["ogpm"]), client_for(people["op_inpe"])
    assert ogpm.post(f"/campanas/{campaign.pk}/cerrar/").status_code == 302
    pdf = io.BytesIO(b"%PDF-1.4 informe")
    pdf.name = "informe.pdf"
    refused = {
        "análisis": op.post(f"/campanas/{campaign.pk}/analisis/OP.03/", {"version": 0, "texto": "Texto tardío"}),
        "evidencia": op.post(report_url(campaign, INPE_IND) + "evidencia/", {"archivo": pdf}),
        "reporte": save(people["op_inpe"], campaign, "IOP.02.01", value="60"),
        "aprobar": act(people["analista"], campaign, INPE_IND, "aprobar"),
        "plantilla": upload(people["op_inpe"], campaign, filled(template_for(people["op_inpe"], campaign), {"IOP.02.01": {6: "61"}})),
        "publicar todo": client_for(people["analista"]).post(f"/campanas/{campaign.pk}/publicar/"),
        "reabrir sin motivo": ogpm.post(f"/campanas/{campaign.pk}/cerrar/", {"reabrir": "1"}),
    }
    for what, response in refused.items():
        assert response.status_code == 422, what
        assert "cerrada" in response.content.decode() or "motivo" in response.content.decode(), what
    assert not ObjectiveAnalysis.objects.exists() and not Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).evidence.exists()
    assert Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).state == State.SUBMITTED
    assert ogpm.post(f"/campanas/{campaign.pk}/cerrar/", {"reabrir": "1", "motivo": "Corrección pedida por el INPE"}).status_code == 302
    campaign.refresh_from_db()
    assert not campaign.closed and campaign.history.first().history_change_reason == "Campaña reabierta: Corrección pedida por el INPE"
    assert "Corrección pedida por el INPE" in client_for(people["analista"]).get("/auditoria.csv").content.decode("utf-8-sig")


# 7. Edits in /admin/ bypass the published view -----------------------------------------------------


def test_7_workflow_data_is_read_only_in_the_admin(admin_client, people, campaign):
    value = core.Value.objects.get(indicator__code=INPE_IND, vintage__code="RS-2024", year=2024, kind="actual")
    response = admin_client.post(f"/admin/core/value/{value.pk}/change/", {"value": "88.8888", "status": "", "source": "x"})
    assert response.status_code == 403 and core.Value.objects.get(pk=value.pk).value == value.value
    assert admin_client.get("/admin/core/value/add/").status_code == 403
    s = Submission.objects.get(campaign=campaign, indicator__code=INPE_IND)
    assert admin_client.post(f"/admin/reporting/submission/{s.pk}/change/", {"value": "5"}).status_code == 403
    assert admin_client.post(f"/admin/reporting/campaign/{campaign.pk}/change/", {"closed": "on"}).status_code == 403
    history = campaign.history.first()
    assert admin_client.post(f"/admin/reporting/campaign/{campaign.pk}/history/{history.history_id}/", {"closed": "on"}).status_code == 403
    assert admin_client.get(f"/admin/core/value/{value.pk}/change/").status_code == 200  # consulted, not edited


def test_7_every_write_bumps_the_data_version_so_no_cache_disagrees(client):
    before = core.Plan.objects.get(code="pnp2030").version
    assert "31.4159" not in client.get("/transparencia/pnp2030/2024/datos.csv").content.decode()
    value = core.Value.objects.get(indicator__code=INPE_IND, vintage__code="RS-2024", year=2024, kind="actual")
    value.value = 31.4159
    value.save()  # any writer: a shell, a script, a later API
    assert core.Plan.objects.get(code="pnp2030").version > before
    api = json.loads(client.get(f"/api/publico/planes/pnp2030/valores?indicador={INPE_IND}&anio=2024&tipo=actual").content)
    assert api["items"][0]["value"] == 31.4159
    assert "31.4159" in client.get("/transparencia/pnp2030/2024/datos.csv").content.decode()
    progress = json.loads(client.get("/api/publico/planes/pnp2030/avance/2024").content)
    assert next(r for r in progress["rows"] if r["code"] == INPE_IND)["actual"] == 31.4159
    indicator = core.Indicator.objects.get(plan__code="pnp2030", code=INPE_IND)
    indicator.name = "Nombre corregido en la administración"
    indicator.save()
    assert "Nombre corregido en la administración" in client.get(f"/transparencia/pnp2030/2024/indicadores/{INPE_IND}/").content.decode()


# 8. Control characters break downloads --------------------------------------------------------------


def test_8_control_characters_are_cleaned_on_input_and_never_break_a_writer(people, campaign):
    response = save(people["op_inpe"], campaign, INPE_IND, value="12.5", source="Registro\x00 INPE\x0b2025",
                    analysis="Línea uno\x0bLínea dos\x1f")
    assert response.status_code == 302
    s = Submission.objects.get(campaign=campaign, indicator__code=INPE_IND)
    assert (s.source, s.analysis) == ("Registro INPE 2025", "Línea uno\nLínea dos")
    # text stored before the fix (PostgreSQL refuses NUL, so a vertical tab and a unit separator)
    Submission.objects.filter(pk=s.pk).update(source="Fuente\x0bvieja\x1f", analysis="Análisis\x0bviejo\x1f", state=State.APPROVED)
    ObjectiveAnalysis.objects.create(campaign=campaign, element=core.Element.objects.get(plan__code="pnp2030", code="OP.03"),
                                     text="Objetivo\x0b\x1f", updated_by=people["ogpm"], version=1)
    core.Plan.objects.filter(code="pnp2030").update(version=F("version") + 1)
    assert client_for(people["op_inpe"]).get(f"/campanas/{campaign.pk}/plantilla.xlsx").status_code == 200
    for fmt in ("docx", "xlsx", "pdf"):
        response = client_for(people["ogpm"]).get(f"/planes/pnp2030/reporte.{fmt}?anio={YEAR}&preliminar=1")
        assert response.status_code == 200, fmt


def test_8_a_nul_byte_never_breaks_the_word_writer():
    from vigia import datasets, documents
    from vigia.documents import word

    src = documents.prepare(datasets.load("pnp2030"), 2024, analyses={"OP.03": "Texto\x00 con NUL\x0b y tabulación vertical"})
    doc = documents.build(src, "seguimiento")
    text = "\n".join(p.text for p in read_docx(io.BytesIO(word.render(doc))).paragraphs)
    assert "Texto con NUL" in text


# 9. Formula injection ---------------------------------------------------------------------------------


def test_9_user_text_is_exported_as_text(people, campaign):
    save(people["op_inpe"], campaign, INPE_IND, value="12.5", source="=1+2")
    act(people["op_inpe"], campaign, INPE_IND, "enviar")
    act(people["analista"], campaign, INPE_IND, "observar", '=HYPERLINK("http://atacante.example","clic")')
    ws = template_for(people["op_inpe"], campaign)["Reporte"]
    cell = next(r for r in ws.iter_rows(min_row=2) if r[0].value == INPE_IND)[11]
    assert cell.value == "=1+2" and cell.data_type == "s"
    audit = client_for(people["analista"]).get("/auditoria.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(" in audit and ',=HYPERLINK(' not in audit and ',"=HYPERLINK(' not in audit


# 10. 500s on bad input ---------------------------------------------------------------------------------


def test_10_bad_template_cells_are_refused_naming_the_column(people, campaign):
    for column, value, field in ((9, 5, "estado"), (10, 123, "motivo"), (11, 2024, "fuente"), (12, date(2025, 1, 1), "análisis")):
        data = {INPE_IND: {6: "12.5", column: value}}
        if column == 10:
            data[INPE_IND].update({6: None, 9: "ND"})
        response = upload(people["op_inpe"], campaign, filled(template_for(people["op_inpe"], campaign), data))
        assert response.status_code == 422 and field in response.content.decode().lower(), field
    assert _unchanged(campaign)


def test_10_tampered_forms_and_impossible_dates_get_a_4xx(people, campaign):
    ogpm = client_for(people["ogpm"])
    assert ogpm.post(f"/campanas/{campaign.pk}/analisis/OP.03/", {"version": "abc", "texto": "x"}).status_code == 422
    item = Commitment.objects.first()
    assert ogpm.post("/compromisos/", {"id": item.pk, "version": "abc"}).status_code == 422
    assert ogpm.post("/compromisos/", {"id": "abc", "version": item.version}).status_code == 422
    response = ogpm.post("/campanas/", {"plan": "pei-inpe", "year": 2025, "opens": "2026-01-01", "deadline": "9999-12-31"})
    assert response.status_code == 422 and "plazo" in response.content.decode()
    response = ogpm.post("/campanas/", {"plan": "pei-inpe", "year": 99999, "opens": "2026-01-01", "deadline": "2026-02-01"})
    assert response.status_code == 422 and "año" in response.content.decode()
    assert not Campaign.objects.filter(plan__code="pei-inpe").exists()
    response = ogpm.get(f"/planes/pnp2030/indicadores/{INPE_IND}/logro/99999/")
    assert response.status_code == 404 and "No existe el año 99999" in response.content.decode()


# 11. Lost update on the first save of an objective analysis -------------------------------------------------


def test_11_the_first_save_of_an_analysis_is_locked_too(people, campaign):
    url = f"/campanas/{campaign.pk}/analisis/OP.03/"
    first, second = client_for(people["op_inpe"]), client_for(people["ogpm"])
    for c in (first, second):
        assert 'name="version" value="0"' in c.get(url).content.decode()  # both open the empty form
    assert first.post(url, {"version": 0, "texto": "Primer texto"}).status_code == 302
    response = second.post(url, {"version": 0, "texto": "Segundo texto"})
    assert response.status_code == 409 and "Segundo texto" in response.content.decode()  # the text is given back, not lost
    analysis = ObjectiveAnalysis.objects.get(campaign=campaign)
    assert (analysis.text, analysis.version) == ("Primer texto", 1)
    assert second.post(url, {"version": 1, "texto": "Segundo texto, sobre el primero"}).status_code == 302


# 12. Targets -------------------------------------------------------------------------------------------------


def test_12_only_the_administrador_sets_targets_and_they_are_range_checked(people):
    assert set_target(people["analista"], INPE_IND, "60").status_code == 403
    response = set_target(people["ogpm"], INPE_IND, "-50")
    assert response.status_code == 422 and "por debajo del mínimo válido (0)" in response.content.decode()
    assert set_target(people["ogpm"], INPE_IND, "150").status_code == 422
    assert not core.Value.objects.filter(indicator__code=INPE_IND, year=YEAR, kind="target").exists()
    assert set_target(people["ogpm"], INPE_IND, "60").status_code == 302


# 13. Length limits -----------------------------------------------------------------------------------------


def test_13_length_limits_are_enforced_naming_the_field(people, campaign):
    response = save(people["op_inpe"], campaign, INPE_IND, value="12.5", source="x" * 5000)
    assert response.status_code == 422 and "campo «fuente»: admite como máximo 300 caracteres (tiene 5,000)" in response.content.decode()
    response = upload(people["op_inpe"], campaign, filled(template_for(people["op_inpe"], campaign), {INPE_IND: {6: "12.5", 11: "y" * 301}}))
    assert response.status_code == 422 and "admite como máximo 300" in response.content.decode()
    response = set_target(people["ogpm"], INPE_IND, "60", resolution="R" * 201)
    assert response.status_code == 422 and "«resolución que lo sustenta»: admite como máximo 200" in response.content.decode()
    item = Commitment.objects.first()
    response = client_for(people["analista"]).post("/compromisos/", {"id": item.pk, "version": item.version, "responsible": "z" * 301})
    assert response.status_code == 422 and "«responsable»: admite como máximo 300" in response.content.decode()
    assert _unchanged(campaign) and not core.Value.objects.filter(indicator__code=INPE_IND, year=YEAR).exists()


# 14. Error pages ------------------------------------------------------------------------------------------------


def _spanish_page(response, status: int, *texts: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="es' in html and 'href="/"' in html and "Vigía" in html
    for text in texts:
        assert text in html, text
    return html


def test_14_error_pages_are_spanish_in_the_site_layout_with_the_reason(admin_client, client, people, settings):
    _spanish_page(admin_client.get("/planes/pnp2030/?anio=2031"), 404, "Página no encontrada", "No existe el año 2031 para este plan")
    _spanish_page(client.get("/no-existe/"), 404, "La dirección no existe en Vigía")
    _spanish_page(admin_client.get("/campanas/999999/"), 404, "La dirección no existe en Vigía")  # not "No Campaign matches"
    _spanish_page(client_for(people["op_pj"]).get("/auditoria.csv"), 403, "Acceso denegado")
    _spanish_page(client.get("/", HTTP_HOST="atacante.example"), 400, "La solicitud no es válida")
    csrf = Client(enforce_csrf_checks=True)
    _spanish_page(csrf.post("/cuentas/ingresar/", {"username": "x", "password": "y"}), 403, "verificación CSRF")


def test_14_a_server_error_is_a_spanish_page(admin_client, monkeypatch):
    from vigia.web import views

    monkeypatch.setattr(views, "dashboard_context", lambda pv: 1 / 0)
    admin_client.raise_request_exception = False
    html = _spanish_page(admin_client.get("/planes/pnp2030/?anio=2022"), 500, "Error del servidor")
    assert "ZeroDivisionError" not in html and "Traceback" not in html


def test_14_lockout_is_429_with_retry_after_in_spanish(django_user_model):
    django_user_model.objects.create_user("objetivo", "", "una-clave-larga-2030")
    c = Client()
    for _ in range(5):
        c.post("/cuentas/ingresar/", {"username": "objetivo", "password": "mal"})
    response = c.post("/cuentas/ingresar/", {"username": "objetivo", "password": "una-clave-larga-2030"})
    _spanish_page(response, 429, "Demasiados intentos", "quedó bloqueado por 15 minutos")
    assert response["Retry-After"] == "900"


# 15. Headers -----------------------------------------------------------------------------------------------------


INLINE = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>|\son[a-z]+=|\sstyle=", re.IGNORECASE)


@pytest.mark.parametrize("url", ["/planes/pnp2030/", "/planes/pnp2030/matriz/", f"/planes/pnp2030/indicadores/{INPE_IND}/",
                                 "/transparencia/pnp2030/2024/", "/campanas/", "/compromisos/", "/cuentas/clave/", "/api/docs"])
def test_15_strict_csp_and_no_inline_script_or_style(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert not INLINE.findall(response.content.decode()), url


# 16. Login --------------------------------------------------------------------------------------------------------


def _fail_logins(remote: str, forwarded: str, times: int = 5):
    c = Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    for _ in range(times):
        c.post("/cuentas/ingresar/", {"username": "objetivo", "password": "mal"})
    return c.post("/cuentas/ingresar/", {"username": "objetivo", "password": "una-clave-larga-2030"})


@pytest.fixture
def target_user(django_user_model):
    from vigia.reporting.services import set_role

    user = django_user_model.objects.create_user("objetivo", "o@example.pe", "una-clave-larga-2030")
    set_role(user, "analyst")
    return user


@pytest.mark.usefixtures("target_user")
def test_16_behind_a_trusted_proxy_one_client_cannot_lock_out_the_others(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert _fail_logins("127.0.0.1", "200.1.1.1").status_code == 429  # the attacker, seen through the proxy
    assert _fail_logins("127.0.0.1", "200.1.1.2", times=0).status_code == 302  # the real user, same proxy: not locked


@pytest.mark.usefixtures("target_user")
def test_16_a_forged_forwarded_address_is_ignored_when_not_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    _fail_logins("200.9.9.9", "1.1.1.1")  # direct, forging X-Forwarded-For: locked by its own address
    assert _fail_logins("200.9.9.9", "1.1.1.2", times=0).status_code == 429
    assert _fail_logins("200.9.9.8", "1.1.1.1", times=0).status_code == 302


def test_16_every_user_changes_their_password(target_user):
    c = client_for(target_user)
    page = c.get("/cuentas/clave/")
    assert page.status_code == 200 and "Cambiar contraseña" in page.content.decode() and 'lang="es' in page.content.decode()
    response = c.post("/cuentas/clave/", {"old_password": "mal", "new_password1": "otra-clave-larga-2031", "new_password2": "otra-clave-larga-2031"})
    assert response.status_code == 200 and "contraseña antigua" in response.content.decode().lower()  # Django's message, in Spanish
    response = c.post("/cuentas/clave/", {"old_password": "una-clave-larga-2030", "new_password1": "otra-clave-larga-2031",
                                          "new_password2": "otra-clave-larga-2031"})
    assert response.status_code == 302
    target_user.refresh_from_db()
    assert target_user.check_password("otra-clave-larga-2031")


def test_16_password_reset_by_email(target_user, client):
    page = client.get("/cuentas/recuperar/")
    assert page.status_code == 200 and "Recuperar contraseña" in page.content.decode()
    mail.outbox.clear()
    assert client.post("/cuentas/recuperar/", {"email": "o@example.pe"}).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Vigía: recuperar su contraseña"
    link = re.search(r"http://testserver(/cuentas/recuperar/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Elija una contraseña nueva" in form.content.decode()
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "clave-recuperada-2031", "new_password2": "clave-recuperada-2031"})
    assert response.status_code == 302
    target_user.refresh_from_db()
    assert target_user.check_password("clave-recuperada-2031")


# 17. File permissions (uploads; the data folder and database are tested with the command line) ---------------


def test_17_evidence_files_are_private(people, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    pdf = io.BytesIO(b"%PDF-1.4 informe")
    pdf.name = "informe.pdf"
    assert client_for(people["op_inpe"]).post(report_url(campaign, INPE_IND) + "evidencia/", {"archivo": pdf}).status_code == 302
    stored = Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).evidence.get().file.path
    from pathlib import Path

    assert Path(stored).stat().st_mode & 0o777 == 0o600
    assert Path(stored).parent.stat().st_mode & 0o777 == 0o700
