"""Issue 9: the entry grid, the work queues and bulk review, the richer review page, campaign
set-up with targets, the Excel round trip and notifications — on the real official data."""

import html
import io
import re

import pytest

from vigia.core import models as core
from vigia.methodology import POLICY
from vigia.presentation import numbers
from vigia.reporting import figures, grid
from vigia.reporting.models import Campaign, Notification, State, Submission, Transition
from vigia.reporting.permissions import audience

from .helpers import INPE_IND, PJ_IND, YEAR, act, client_for, filled, report_url, save, set_target, template_for, upload

pytestmark = pytest.mark.django_db


def grid_url(campaign):
    return f"/campanas/{campaign.pk}/grilla/"


def sub(campaign, code):
    return Submission.objects.get(campaign=campaign, indicator__code=code)


def grid_post(user, campaign, values: dict, action="guardar", follow=False):
    """The grid form as the browser posts it: every line's inputs, with ``values`` typed in."""
    data = {"accion": action}
    for s in grid.reports(user, campaign):
        stored = grid.stored(s)
        typed = {**stored, **values.get(s.indicator.code, {})}
        data[f"r{s.pk}-version"] = s.version
        data.update({f"r{s.pk}-{k}": v for k, v in typed.items()})
    return client_for(user).post(grid_url(campaign), data, follow=follow)


def text(response):
    return html.unescape(response.content.decode())


# Grid ----------------------------------------------------------------------------------------------


def test_grid_lists_the_entitys_indicators_with_target_and_previous_value(people, campaign):
    set_target(people["ogpm"], INPE_IND, "60")
    page = text(client_for(people["op_inpe"]).get(grid_url(campaign)))
    rows = re.findall(r'<tr class="entry-row[^"]*" id="fila-([^"]+)"', page)
    assert len(rows) == 47 and INPE_IND in rows and PJ_IND not in rows
    line = page[page.index(f'id="fila-{INPE_IND}"'):page.index(f'data-notes-for="{INPE_IND}"')]
    assert "11.01%" in line and "60.00%" in line  # 2024 value and 2025 target, in the house style
    assert "sin definir" in page  # other indicators still lack a 2025 target
    assert client_for(people["op_pj"]).get(grid_url(campaign)).content.decode().count('class="entry-row') == 2
    assert client_for(people["analista"]).get(grid_url(campaign)).status_code == 403


def test_guardar_todo_saves_only_what_changed(people, campaign):
    response = grid_post(people["op_inpe"], campaign, {INPE_IND: {"value": "12,5"}, "IOP.02.01": {"status": "ND", "reason": "Estudio"}},
                         follow=True)
    assert response.redirect_chain[0][1] == 302
    page = text(response)
    assert "Se guardaron 2 reportes; 45 sin cambios." in page
    assert (sub(campaign, INPE_IND).value, sub(campaign, "IOP.02.01").status) == (12.5, "ND")
    assert Submission.objects.filter(campaign=campaign, version__gt=0).count() == 2


def test_a_refused_save_changes_nothing_and_keeps_every_input(people, campaign):
    response = grid_post(people["op_inpe"], campaign, {INPE_IND: {"value": "12,5", "source": "Registro INPE"},
                                                       "IOP.02.01": {"value": "mucho"}, "IOP.02.02": {"value": "150"}})
    page = text(response)
    assert response.status_code == 422
    assert "«mucho» no es un número" in page and "supera el máximo válido" in page and "2 problemas" in page
    assert 'value="12,5"' in page and 'value="Registro INPE"' in page and 'value="mucho"' in page
    assert not Submission.objects.filter(campaign=campaign, version__gt=0).exists()


def test_a_conflict_names_the_row_shows_the_other_change_and_the_next_save_goes_through(people, campaign):
    before = {s.pk: s.version for s in grid.reports(people["op_inpe"], campaign)}
    save(people["ogpm"], campaign, INPE_IND, value="12")
    data = {"accion": "guardar"}
    for s in grid.reports(people["op_inpe"], campaign):
        data.update({f"r{s.pk}-{k}": "" for k in grid.INPUTS}, **{f"r{s.pk}-version": before[s.pk]})
        if s.indicator.code == INPE_IND:
            data[f"r{s.pk}-value"] = "13"
    response = client_for(people["op_inpe"]).post(grid_url(campaign), data)
    page = text(response)
    assert response.status_code == 409 and f"Otra persona cambió {INPE_IND}" in page and "ogpm" in page and "12" in page
    assert 'value="13"' in page and sub(campaign, INPE_IND).value == 12
    again = grid_post(people["op_inpe"], campaign, {INPE_IND: {"value": "13"}})
    assert again.status_code == 302 and sub(campaign, INPE_IND).value == 13


def test_enviar_saves_then_sends_every_complete_row(people, campaign):
    response = grid_post(people["op_inpe"], campaign, {INPE_IND: {"value": "12.5"}, "IOP.02.01": {"status": "ND", "reason": "Estudio"}},
                         action="enviar")
    assert response.status_code == 302
    assert (sub(campaign, INPE_IND).state, sub(campaign, "IOP.02.01").state, sub(campaign, "IOP.02.02").state) == (
        State.SUBMITTED, State.SUBMITTED, State.DRAFT)
    notice = Notification.objects.get(user=people["analista"], kind="enviado")
    assert "envió 2 indicadores" in notice.text and campaign.name in notice.text
    page = text(client_for(people["op_inpe"]).get(grid_url(campaign)))
    assert "En revisión" in page


def test_single_form_enviar_before_guardar_saves_then_sends_or_keeps_the_input(people, campaign):
    s = sub(campaign, INPE_IND)
    c = client_for(people["op_inpe"])
    refused = c.post(report_url(campaign, INPE_IND), {"accion": "enviar", "version": s.version, "value": "30", "source": "Registro"})
    page = text(refused)
    assert refused.status_code == 422 and "justificación" in page and 'value="30"' in page and 'value="Registro"' in page
    sent = c.post(report_url(campaign, INPE_IND), {"accion": "enviar", "version": s.version, "value": "12.5", "source": "Registro"})
    assert sent.status_code == 302 and sub(campaign, INPE_IND).state == State.SUBMITTED
    assert sub(campaign, INPE_IND).value == 12.5


@pytest.mark.parametrize("value", ["13.2", "60", "75", "0", "12,5"])
def test_the_live_avance_is_the_dashboards_avance(people, campaign, value):
    set_target(people["ogpm"], INPE_IND, "60")
    s = sub(campaign, INPE_IND)
    shown = client_for(people["op_inpe"]).get(f"/campanas/{campaign.pk}/grilla/{s.pk}/avance/", {"value": value}).json()
    assert shown["errors"] == [] or "justificación" in shown["errors"][0]  # the avance shows before the justification is written
    save(people["op_inpe"], campaign, INPE_IND, value=value, justification="Cambio real")
    row = figures.evaluation("pnp2030", YEAR, audience=audience(people["op_inpe"])).row(INPE_IND)
    assert shown["progress"] == numbers.progress(row.progress, POLICY)
    assert shown["band"] == row.band.value


def test_live_preview_shows_the_validation_and_the_change(people, campaign):
    s = sub(campaign, INPE_IND)
    c = client_for(people["op_inpe"])
    bad = c.get(f"/campanas/{campaign.pk}/grilla/{s.pk}/avance/", {"value": "150"}).json()
    assert any("supera el máximo válido" in e for e in bad["errors"]) and bad["progress"] == "ND"
    jump = c.get(f"/campanas/{campaign.pk}/grilla/{s.pk}/avance/", {"value": "30"}).json()
    assert jump["change"] == "+172.5%" and any("justificación" in e for e in jump["errors"])
    assert client_for(people["op_pj"]).get(f"/campanas/{campaign.pk}/grilla/{s.pk}/avance/").status_code == 403


# Queues and review ------------------------------------------------------------------------------------


def _sent(people, campaign, codes):
    grid_post(people["op_inpe"], campaign, {c: {"value": v} for c, v in codes.items()}, action="enviar")


def test_each_role_lands_on_its_queue(people, campaign, client):
    _sent(people, campaign, {INPE_IND: "12.5"})
    act(people["analista"], campaign, INPE_IND, "observar", "La fuente no coincide")
    login = client.post("/cuentas/ingresar/", {"username": "x", "password": "y"})
    assert login.status_code == 200
    operador = text(client_for(people["op_inpe"]).get("/pendientes/"))
    assert "Observados" in operador and "La fuente no coincide" in operador and 'Por reportar <span class="count">(46)</span>' in operador
    assert "Abrir la grilla de registro" in operador
    nav = text(client_for(people["op_inpe"]).get("/planes/"))
    assert 'aria-label="47 pendientes"' in nav
    analista = text(client_for(people["analista"]).get("/pendientes/"))
    assert 'Enviados: por revisar <span class="count">(0)</span>' in analista
    admin = text(client_for(people["ogpm"]).get("/pendientes/"))
    assert "sin logro esperado 2025" in admin and "Metas 2025 en aprobación" in admin


def test_bulk_approve_records_each_report_and_skips_four_eyes(people, campaign):
    _sent(people, campaign, {INPE_IND: "12.5", "IOP.02.01": "60", "IOP.02.02": "30"})
    save(people["ogpm"], campaign, "IOP.03.02", value="1")  # the planning office reports one itself
    act(people["ogpm"], campaign, "IOP.03.02", "enviar")
    ids = list(Submission.objects.filter(campaign=campaign, state=State.SUBMITTED).values_list("pk", flat=True))
    response = client_for(people["ogpm"]).post("/pendientes/aprobar/", {"ids": ids}, follow=True)
    page = text(response)
    assert "3 reportes aprobados" in page and "1 sin aprobar: IOP.03.02: usted lo guardó o envió" in page
    assert Transition.objects.filter(target=State.APPROVED, user=people["ogpm"]).count() == 3
    assert sub(campaign, "IOP.03.02").state == State.SUBMITTED
    approved = list(Submission.objects.filter(campaign=campaign, state=State.APPROVED).values_list("pk", flat=True))
    client_for(people["analista"]).post("/pendientes/publicar/", {"ids": approved})
    assert Submission.objects.filter(campaign=campaign, state=State.PUBLISHED).count() == 3
    assert client_for(people["op_inpe"]).post("/pendientes/aprobar/", {"ids": ids}).status_code == 403


def test_review_page_shows_figures_chart_and_walks_the_queue(people, campaign):
    set_target(people["ogpm"], INPE_IND, "60")
    _sent(people, campaign, {INPE_IND: "13.2", "IOP.02.01": "60"})
    page = text(client_for(people["analista"]).get(report_url(campaign, INPE_IND) + "?cola=revisar"))
    for expected in ("13.20%", "60.00%", "11.01%", "+19.9%", "22.0%", "rojo", "Años anteriores", "grafico.svg", "2 de 2 en «revisar»",
                     "Anterior (IOP.02.01)", 'class="danger"', 'class="approve"'):
        assert expected in page, expected
    act(people["analista"], campaign, INPE_IND, "observar", "Revise la fuente de diciembre")
    operador = text(client_for(people["op_inpe"]).get(report_url(campaign, INPE_IND)))
    assert operador.index("Revise la fuente de diciembre") < operador.index('name="value"')


def test_a_decision_from_the_queue_goes_on_to_the_next_report(people, campaign):
    _sent(people, campaign, {INPE_IND: "13.2", "IOP.02.01": "60", "IOP.02.02": "30"})
    analyst = client_for(people["analista"])
    first = analyst.post(report_url(campaign, "IOP.02.01"), {"accion": "aprobar", "cola": "revisar"})
    assert first.status_code == 302 and first["Location"] == report_url(campaign, "IOP.02.02") + "?cola=revisar"
    last = analyst.post(report_url(campaign, INPE_IND), {"accion": "aprobar", "cola": "revisar"}, follow=True)
    page = text(last)  # the last of the queue: it stays, and points to what is left
    assert f"{INPE_IND}: reporte aprobado." in page and "Ya no está en «revisar» (quedan 1)" in page and "Siguiente (IOP.02.02)" in page


# Notifications -----------------------------------------------------------------------------------------


def test_notifications_name_campaign_and_indicator_and_are_read_when_opened_or_acted_on(people, campaign):
    _sent(people, campaign, {INPE_IND: "12.5"})
    act(people["analista"], campaign, INPE_IND, "observar", "Falta la fuente")
    notice = Notification.objects.get(user=people["op_inpe"], kind="observado")
    assert INPE_IND in notice.text and campaign.name in notice.text and not notice.read
    response = client_for(people["op_inpe"]).get(f"/notificaciones/{notice.pk}/")
    assert response.status_code == 302 and response["Location"] == report_url(campaign, INPE_IND)
    notice.refresh_from_db()
    assert notice.read
    grid_post(people["op_inpe"], campaign, {INPE_IND: {"value": "12.6"}}, action="enviar")
    analyst_notice = Notification.objects.filter(user=people["analista"], kind="enviado").first()
    client_for(people["analista"]).get(report_url(campaign, INPE_IND))
    act(people["analista"], campaign, INPE_IND, "aprobar")
    assert not Notification.objects.filter(user=people["analista"], link=report_url(campaign, INPE_IND), read=False).exists()
    assert analyst_notice is not None
    assert client_for(people["op_pj"]).get(f"/notificaciones/{notice.pk}/").status_code == 404


# Campaign set-up ----------------------------------------------------------------------------------------


def _setup(user, **data):
    base = {"plan": "pnp2030", "year": YEAR, "period": "anual", "deadline": "2099-03-31", "opens": "2026-01-05"}
    return client_for(user).post("/campanas/nueva/", {**base, **data})


def test_setup_opens_an_entity_campaign_with_its_targets_in_one_screen(people):
    page = text(client_for(people["ogpm"]).get("/campanas/nueva/?plan=pnp2030&year=2025&entity=INPE"))
    assert page.count('name="indicators"') == 49 and page.count("checked") >= 47 and 'data-objective="OP.03"' in page
    response = _setup(people["ogpm"], entity="Poder Judicial", indicators=[PJ_IND, "ISS.01.05.01.01"],
                      **{f"meta-{PJ_IND}": "35", "meta-ISS.01.05.01.01": "5000"})
    assert response.status_code == 302, text(response)[:3000]
    c = Campaign.objects.get(entity__code="Poder Judicial")
    assert sorted(c.indicators.values_list("code", flat=True)) == [PJ_IND, "ISS.01.05.01.01"]
    target = core.Value.objects.get(indicator__code=PJ_IND, year=YEAR, kind="target")
    assert target.value == 35 and target.history.first().history_user == people["ogpm"]
    assert "Reporte 2025 Poder Judicial" in c.name and c.no_target_reason == ""


def test_setup_readiness_check_needs_the_reason_and_keeps_what_was_typed(people):
    response = _setup(people["ogpm"], entity="Poder Judicial", indicators=[PJ_IND, "ISS.01.05.01.01"], name="PJ 2025",
                      **{f"meta-{PJ_IND}": "35"})
    page = text(response)
    assert response.status_code == 422 and "ISS.01.05.01.01 no tiene logro esperado 2025" in page
    assert 'value="35"' in page and 'value="PJ 2025"' in page and not Campaign.objects.exists()
    assert not core.Value.objects.filter(indicator__code=PJ_IND, year=YEAR, kind="target").exists()
    ok = _setup(people["ogpm"], entity="Poder Judicial", indicators=[PJ_IND, "ISS.01.05.01.01"], no_target_reason="Meta en revisión por el PJ")
    assert ok.status_code == 302
    history = Campaign.objects.get().history.first().history_change_reason
    assert "ISS.01.05.01.01" in history and "Meta en revisión por el PJ" in history


def test_several_campaigns_per_period_unless_they_share_an_indicator(people):
    reason = {"no_target_reason": "Metas en aprobación"}
    assert _setup(people["ogpm"], entity="INPE", indicators=["IOP.03.01", "IOP.02.01"], **reason).status_code == 302
    assert _setup(people["ogpm"], entity="Poder Judicial", indicators=[PJ_IND], **reason).status_code == 302
    clash = _setup(people["ogpm"], indicators=["IOP.02.01", "IOP.05.01"], **reason)
    assert clash.status_code == 422 and "IOP.02.01 ya está en la campaña" in text(clash)
    typo = _setup(people["ogpm"], indicators=["IOP.05.01", "IOP.05.99"], **reason)
    assert typo.status_code == 422 and "IOP.05.99 no es un indicador de pnp2030" in text(typo)
    listed = text(client_for(people["op_pj"]).get("/campanas/"))
    assert "Poder Judicial" in listed and "Reporte 2025 INPE" not in listed


def test_indicators_of_an_open_campaign_can_be_added_and_unreported_ones_removed(people):
    _setup(people["ogpm"], entity="INPE", indicators=["IOP.03.01", "IOP.02.01"], no_target_reason="Metas en aprobación")
    c = Campaign.objects.get()
    save(people["op_inpe"], c, "IOP.03.01", value="12")
    url = f"/campanas/{c.pk}/configurar/"
    refused = client_for(people["ogpm"]).post(url, {"indicators": ["IOP.02.01"], "no_target_reason": "x"})
    assert refused.status_code == 422 and "IOP.03.01 ya tiene un reporte" in text(refused)
    ok = client_for(people["ogpm"]).post(url, {"indicators": ["IOP.03.01", "IOP.05.01"], "no_target_reason": "Metas en aprobación",
                                               "meta-IOP.05.01": "80"})
    assert ok.status_code == 302
    assert sorted(c.indicators.values_list("code", flat=True)) == ["IOP.03.01", "IOP.05.01"]
    assert c.submissions.count() == 2 and core.Value.objects.get(indicator__code="IOP.05.01", year=YEAR, kind="target").value == 80


def test_indicator_page_links_to_its_target_page(people):
    page = text(client_for(people["ogpm"]).get("/planes/pnp2030/indicadores/IOP.03.01/?anio=2024"))
    assert "/planes/pnp2030/indicadores/IOP.03.01/logro/2024/" in page and "/logro/2025/" in page


# Excel round trip ------------------------------------------------------------------------------------


def test_reuploading_an_unchanged_template_changes_nothing(people, campaign):
    set_target(people["ogpm"], "IOP.02.01", "55")
    save(people["op_inpe"], campaign, "IOP.02.01", value="58.5")
    for who, action in (("op_inpe", "enviar"), ("analista", "aprobar"), ("analista", "publicar")):
        act(people[who], campaign, "IOP.02.01", action)
    save(people["op_inpe"], campaign, INPE_IND, value="12.5")
    act(people["op_inpe"], campaign, INPE_IND, "enviar")  # waiting for review: an unchanged row is no error either
    versions = dict(Submission.objects.filter(campaign=campaign).values_list("pk", "version"))
    f = io.BytesIO(filled(template_for(people["op_inpe"], campaign), {}))
    f.name = "plantilla.xlsx"
    response = client_for(people["op_inpe"]).post(f"/campanas/{campaign.pk}/cargar/", {"archivo": f}, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert "Nada cambió: las 2 filas son iguales a lo guardado." in text(response)
    assert (sub(campaign, "IOP.02.01").state, sub(campaign, INPE_IND).state) == (State.PUBLISHED, State.SUBMITTED)
    assert dict(Submission.objects.filter(campaign=campaign).values_list("pk", "version")) == versions


def test_upload_reads_justifications_counts_real_changes_and_may_send(people, campaign):
    wb = template_for(people["op_inpe"], campaign)
    content = filled(wb, {INPE_IND: {6: "30", 13: "Nuevo penal de Ica"}, "IOP.02.01": {6: "60"}})
    f = io.BytesIO(content)
    f.name = "plantilla.xlsx"
    response = client_for(people["op_inpe"]).post(f"/campanas/{campaign.pk}/cargar/", {"archivo": f, "enviar": "1"}, follow=True)
    page = text(response)
    assert "Se guardaron 2 reportes y se enviaron 2 a revisión." in page and "Nuevo penal" not in page.split("Avisos")[0]
    assert sub(campaign, INPE_IND).state == State.SUBMITTED and sub(campaign, INPE_IND).justification == "Nuevo penal de Ica"


def test_upload_lists_every_row_error_together(people, campaign):
    wb = template_for(people["op_inpe"], campaign)
    wb["Reporte"].append(["NO.EXISTE", "", "", YEAR, "anual", None, 5])
    response = upload(people["op_inpe"], campaign, filled(wb, {INPE_IND: {6: "mucho"}, "IOP.02.01": {6: "150"}}))
    page = text(response)
    assert response.status_code == 422
    assert "no es un indicador de esta campaña" in page and "«mucho» no es un número" in page and "supera el máximo" in page
    assert not Submission.objects.filter(campaign=campaign, version__gt=0).exists()




def test_a_change_after_publication_records_where_it_came_from(people, campaign):
    set_target(people["ogpm"], INPE_IND, "60")
    grid_post(people["op_inpe"], campaign, {INPE_IND: {"value": "13.2"}}, action="enviar")
    for action in ("aprobar", "publicar"):
        act(people["analista"], campaign, INPE_IND, action)
    grid_post(people["op_inpe"], campaign, {INPE_IND: {"value": "13.4"}})
    last = sub(campaign, INPE_IND).transitions.last()
    assert (last.source, last.target, sub(campaign, INPE_IND).state) == (State.PUBLISHED, State.DRAFT, State.DRAFT)


def test_cli_opens_a_campaign_with_the_same_rules(people, monkeypatch):
    from typer.testing import CliRunner

    from vigia import cli, server

    monkeypatch.setattr(server, "database_problem", lambda: None)  # the test database is already set up
    run = CliRunner().invoke
    base = ["campaigns", "open", "pnp2030", "--year", "2025", "--entity", "INPE", "--deadline", "2099-03-31", "--as", "ogpm"]
    refused = run(cli.app, base)
    assert refused.exit_code == 2 and "no tienen logro esperado 2025" in refused.output
    typo = run(cli.app, [*base, "--indicators", "IOP.03.01,IOP.99", "--no-target-reason", "Metas en aprobación"])
    assert typo.exit_code == 2 and "IOP.99 no es un indicador de pnp2030" in typo.output
    assert run(cli.app, [*base[:-2], "--as", "analista", "--no-target-reason", "x"]).exit_code == 2
    opened = run(cli.app, [*base, "--no-target-reason", "Metas en aprobación"])
    assert opened.exit_code == 0 and "47 indicadores" in opened.output, opened.output
    c = Campaign.objects.get()
    assert c.entity.code == "INPE" and c.opened_by == people["ogpm"] and c.no_target_reason == "Metas en aprobación"
    clash = run(cli.app, ["campaigns", "open", "pnp2030", "--year", "2025", "--indicators", INPE_IND, "--deadline", "2099-03-31",
                          "--as", "ogpm", "--no-target-reason", "x"])
    assert clash.exit_code == 2 and f"{INPE_IND} ya está en la campaña" in clash.output
    assert "Reporte 2025 INPE" in run(cli.app, ["campaigns", "list"]).output
