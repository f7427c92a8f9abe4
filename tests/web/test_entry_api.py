"""Issue 9: the write API for entities' systems — tokens, permissions, validation, idempotency and
conflicts — through the same services as the web (runs on SQLite and on PostgreSQL)."""

import json

import pytest
from django.test import Client
from typer.testing import CliRunner

from vigia import cli
from vigia.reporting import tokens
from vigia.reporting.models import ApiCall, ApiToken, State, Submission

from .helpers import INPE_IND, PJ_IND, client_for, save

pytestmark = pytest.mark.django_db
URL = "/api/campanas/"


@pytest.fixture
def token(people):
    return tokens.create(people["op_inpe"])


def call(token, method, path, body=None, **headers):
    c = Client()
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if method == "get":
        return c.get(path, **extra)
    return c.post(path, body if isinstance(body, str) else json.dumps(body), content_type="application/json", **extra)


def reports_url(campaign):
    return f"{URL}{campaign.pk}/reportes/"


def version(campaign, code):
    return Submission.objects.get(campaign=campaign, indicator__code=code).version


def test_tokens_are_stored_hashed_shown_once_and_revocable(people, campaign, token):
    stored = ApiToken.objects.get(user=people["op_inpe"])
    assert token.startswith("vigia_") and len(token) > 40
    assert stored.digest == tokens.digest(token) and token not in stored.digest and stored.prefix == token[:10]
    assert call(token, "get", URL).status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    tokens.revoke(people["op_inpe"])
    response = call(token, "get", URL)
    assert response.status_code == 401 and "token" in response.json()["detail"]


def test_the_administration_lists_tokens_without_their_text_and_revokes_them(admin_client, people, campaign, token):
    listing = admin_client.get("/admin/reporting/apitoken/")
    assert listing.status_code == 200 and token[:10] in listing.content.decode() and token not in listing.content.decode()
    pk = ApiToken.objects.get(user=people["op_inpe"]).pk
    detail = admin_client.get(f"/admin/reporting/apitoken/{pk}/change/").content.decode()
    assert tokens.digest(token) not in detail
    done = admin_client.post("/admin/reporting/apitoken/", {"action": "revoke", "_selected_action": [pk]}, follow=True)
    assert "1 token revocado" in done.content.decode()
    assert call(token, "get", URL).status_code == 401


def test_no_token_or_a_wrong_one_is_401_in_spanish(campaign):
    for token in (None, "vigia_falso", "x" * 500):
        response = call(token, "get", URL)
        assert response.status_code == 401 and "Authorization: Bearer" in response.json()["detail"]


def test_cli_creates_and_revokes_tokens(people, campaign, monkeypatch):
    from vigia import server

    monkeypatch.setattr(server, "database_problem", lambda: None)  # the test database is already set up
    runner = CliRunner()
    created = runner.invoke(cli.app, ["tokens", "create", "op_inpe"])
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert call(token, "get", URL).status_code == 200
    revoked = runner.invoke(cli.app, ["tokens", "revoke", "op_inpe"])
    assert revoked.exit_code == 0 and "1 token de op_inpe revocado" in revoked.output
    assert call(token, "get", URL).status_code == 401
    assert runner.invoke(cli.app, ["tokens", "create", "nadie"]).exit_code == 2


def test_campaigns_and_reports_of_the_token_user(people, campaign, token):
    listed = call(token, "get", URL).json()
    assert [(c["id"], c["indicators"]) for c in listed] == [(campaign.pk, 47)]
    rows = call(token, "get", reports_url(campaign)).json()
    codes = [r["indicator"] for r in rows]
    assert INPE_IND in codes and PJ_IND not in codes and len(rows) == 47
    row = next(r for r in rows if r["indicator"] == INPE_IND)
    assert {k: row[k] for k in ("value", "status", "state", "version", "target", "previous")} == {
        "value": None, "status": None, "state": "draft", "version": 0, "target": None, "previous": 11.01}
    pj = tokens.create(people["op_pj"])
    assert len(call(pj, "get", reports_url(campaign)).json()) == 2


def test_post_saves_and_sends_like_the_web(people, campaign, token):
    body = [{"indicator": INPE_IND, "value": 12.5, "source": "Registro INPE", "version": 0, "submit": True},
            {"indicator": "IOP.02.01", "status": "ND", "reason": "Estudio en curso", "version": 0}]
    response = call(token, "post", reports_url(campaign), body)
    assert response.status_code == 200, response.content
    out = response.json()
    assert (out["saved"], out["submitted"], out["unchanged"]) == (2, 1, 0)
    assert [(r["row"], r["indicator"], r["state"], r["version"]) for r in out["results"]] == [
        (1, INPE_IND, "submitted", 2), (2, "IOP.02.01", "draft", 1)]
    s = Submission.objects.get(campaign=campaign, indicator__code=INPE_IND)
    assert (s.value, s.source, s.state) == (12.5, "Registro INPE", State.SUBMITTED)
    assert [(t.source, t.target, t.user.username) for t in s.transitions.all()] == [("draft", "submitted", "op_inpe")]
    assert s.history.first().history_user == people["op_inpe"]
    assert ApiCall.objects.filter(user=people["op_inpe"], method="POST", status=200).count() == 1
    audit = client_for(people["analista"]).get("/auditoria.csv").content.decode("utf-8-sig")
    assert "api" in audit and f"/api/campanas/{campaign.pk}/reportes/" in audit
    # four eyes: the token's user cannot approve what it sent, and the same delivery again changes nothing
    again = call(token, "post", reports_url(campaign), [{"indicator": "IOP.02.01", "status": "ND", "reason": "Estudio en curso", "version": 1}])
    assert again.json()["unchanged"] == 1 and version(campaign, "IOP.02.01") == 1


def test_a_repeated_delivery_of_sent_reports_changes_nothing(campaign, token):
    body = [{"indicator": INPE_IND, "value": 12.5, "source": "Registro", "version": 0, "submit": True}]
    first = call(token, "post", reports_url(campaign), body)
    assert first.status_code == 200 and first.json()["results"][0]["state"] == "submitted"
    again = call(token, "post", reports_url(campaign), body)  # a nightly sync sending the same figures
    assert again.status_code == 200, again.content
    assert (again.json()["saved"], again.json()["unchanged"], again.json()["submitted"]) == (0, 1, 0)
    assert version(campaign, INPE_IND) == first.json()["results"][0]["version"]
    changed = call(token, "post", reports_url(campaign), [{**body[0], "value": 13, "version": version(campaign, INPE_IND)}])
    assert changed.status_code == 422 and "espere la revisión" in changed.json()["detail"]


def test_a_malformed_row_is_named_by_its_position(campaign, token):
    response = call(token, "post", reports_url(campaign), [{"indicator": INPE_IND, "value": 1, "version": 0}, {"indicator": INPE_IND}])
    assert response.status_code == 422
    assert response.json()["detail"] == "Solicitud no válida: fila 2, parámetro 'version': es obligatorio."
    assert response.json()["errors"][0]["row"] == 2


def test_another_entitys_indicator_is_403_naming_it(campaign, token):
    body = [{"indicator": INPE_IND, "value": 12.5, "version": 0}, {"indicator": PJ_IND, "value": 30, "version": 0}]
    response = call(token, "post", reports_url(campaign), body)
    assert response.status_code == 403 and PJ_IND in response.json()["detail"] and "Poder Judicial" in response.json()["detail"]
    assert version(campaign, INPE_IND) == 0


def test_invalid_rows_are_422_listing_each_row_field_and_message(campaign, token):
    body = [{"indicator": INPE_IND, "value": "doce", "version": 0},
            {"indicator": "IOP.02.01", "status": "ND", "version": 0},
            {"indicator": "IOP.02.02", "value": 12, "version": 0},
            {"indicator": "NO.EXISTE", "value": 1, "version": 0}]
    response = call(token, "post", reports_url(campaign), body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    found = {(e["row"], e["indicator"], e["field"]) for e in errors}
    assert {(1, INPE_IND, "value"), (2, "IOP.02.01", "reason"), (4, "NO.EXISTE", "indicator")} <= found
    assert any("«doce» no es un número" in e["message"] for e in errors)
    assert not Submission.objects.filter(campaign=campaign).exclude(value=None, status="").exists()


def test_malformed_bodies_are_4xx_in_spanish(campaign, token):
    response = call(token, "post", reports_url(campaign), "{")
    assert response.status_code == 400 and "no es JSON válido" in response.json()["detail"]
    for body in ("{}", json.dumps([{"value": 1}]), json.dumps([{"indicator": INPE_IND, "version": "x"}]),
                 json.dumps([{"indicator": INPE_IND, "version": 0, "status": "XX"}])):
        response = call(token, "post", reports_url(campaign), body)
        assert response.status_code == 422, (body, response.content)
        assert response.json()["detail"].startswith(("Solicitud no válida", "No se guardó"))


def test_a_stale_version_is_409_and_shows_the_other_change(people, campaign, token):
    save(people["op_inpe"], campaign, INPE_IND, value="12")
    response = call(token, "post", reports_url(campaign), [{"indicator": INPE_IND, "value": 13, "version": 0}])
    assert response.status_code == 409
    conflict = response.json()["conflicts"][0]
    assert (conflict["indicator"], conflict["version"], conflict["value"], conflict["updated_by"]) == (INPE_IND, 1, 12.0, "op_inpe")
    assert Submission.objects.get(campaign=campaign, indicator__code=INPE_IND).value == 12


def test_idempotency_key_makes_a_retry_safe(campaign, token):
    body = [{"indicator": INPE_IND, "value": 12.5, "version": 0, "submit": True}]
    first = call(token, "post", reports_url(campaign), body, **{"Idempotency-Key": "entrega-2025-01"})
    retry = call(token, "post", reports_url(campaign), body, **{"Idempotency-Key": "entrega-2025-01"})
    assert first.status_code == retry.status_code == 200 and first.json() == retry.json()
    assert version(campaign, INPE_IND) == 2  # written once
    other = call(token, "post", reports_url(campaign), [{**body[0], "value": 13}], **{"Idempotency-Key": "entrega-2025-01"})
    assert other.status_code == 422 and "ya se usó con otro contenido" in other.json()["detail"]


def test_closed_campaign_and_unknown_campaign_are_404(people, campaign, token):
    assert call(token, "get", f"{URL}999/reportes/").status_code == 404
    client_for(people["ogpm"]).post(f"/campanas/{campaign.pk}/cerrar/")
    assert call(token, "post", reports_url(campaign), [{"indicator": INPE_IND, "value": 1, "version": 0}]).status_code == 404


def test_write_api_is_documented(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert "/api/campanas/" in paths and "/api/campanas/{campaign_id}/reportes/" in paths
    post = paths["/api/campanas/{campaign_id}/reportes/"]["post"]
    assert {"200", "403", "409", "422", "401"} <= set(post["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
    assert "bearer" in json.dumps(schema["components"]["securitySchemes"]).lower()
