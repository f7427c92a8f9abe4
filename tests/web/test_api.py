"""The JSON API (/api/): real figures, pagination, filters, both audiences and Spanish errors."""

import json

import pytest
from typer.testing import CliRunner
from django.db.models import F

from vigia import cli, datasets
from vigia.core import models as m
from vigia.methodology import alerts as alert_rules
from vigia.methodology import evaluate, ruleset

pytestmark = pytest.mark.django_db

PUBLIC = "/api/publico"
INTERNAL = "/api"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users the tests log in with need no slow password hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def ok(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def error(client, url, status, **params):
    response = client.get(url, params)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    return response.json()["detail"]


# Figures ------------------------------------------------------------------------------------------


def test_public_progress_reproduces_the_2024_policy_report(client):
    body = ok(client, f"{PUBLIC}/planes/pnp2030/avance/2024")
    assert (body["plan"], body["year"], body["period"], body["vintage"], body["ruleset"]) == ("pnp2030", 2024, "anual", "RS-2024", "policy")
    assert body["index"] == 69.0
    assert round(body["index_exact"], 1) == 69.0
    objectives = {r["code"]: r for r in body["objectives"]}
    assert list(objectives) == ["OP.01", "OP.02", "OP.03", "OP.04", "OP.05", "OP.06"]
    assert objectives["OP.02"]["progress"] == 89.0
    assert objectives["OP.02"]["band"] == "amarillo"
    assert body["band_counts"]["IOP"] == {"rojo": 6, "amarillo": 1, "verde": 2, "ND": 4}
    rows = {r["code"]: r for r in body["rows"]}
    assert rows["IOP.02.01"]["progress"] == 125.7  # no cap in the policy rules
    assert rows["IOP.01.01"]["band"] == "ND" and rows["IOP.01.01"]["progress"] is None
    assert rows["INDEX"]["progress"] == 69.0
    assert {r["code"] for r in body["rules"]} >= {"TIPO_I_ASC", "NO_CAP", "INDEX_MEAN"}


def test_progress_rows_are_the_cli_json(client):
    """The API and `vigia progress --format json` give the same figures for the same data."""
    result = CliRunner().invoke(cli.app, ["progress", "pnp2030", "--year", "2024", "--format", "json"])
    expected = json.loads(result.output)
    body = ok(client, f"{PUBLIC}/planes/pnp2030/avance/2024")
    fields = list(expected["rows"][0])
    assert [{k: r[k] for k in fields} for r in body["rows"]] == expected["rows"]
    assert (body["index"], body["band_counts"]) == (expected["index"], expected["band_counts"])


def test_pei_progress_uses_two_decimals_and_the_cap(client):
    body = ok(client, f"{PUBLIC}/planes/pei-inpe/avance/2024")
    rows = {r["code"]: r for r in body["rows"]}
    assert rows["OEI.01"]["progress"] == 57.62
    assert body["index"] is None and body["ruleset"] == "pei"
    assert all(r["progress_exact"] is None or r["progress_exact"] <= 100 for r in body["rows"] if r["direction"])
    semester = ok(client, f"{PUBLIC}/planes/pei-inpe/avance/2024", periodo="S1")
    assert semester["period"] == "S1" and semester["rows"] != body["rows"]


def test_progress_of_an_older_edition(client):
    body = ok(client, f"{PUBLIC}/planes/pnp2030/avance/2020", edicion="RS-2020")
    assert body["vintage"] == "RS-2020"
    ds = datasets.load("pnp2030")
    ev = evaluate(ds.plan, ds.series("RS-2020"), 2020, ruleset("policy"))
    assert body["index_exact"] == ev.index


def test_alerts_are_the_methodology_alerts(client):
    body = ok(client, f"{PUBLIC}/planes/pnp2030/alertas/2024")
    ds = datasets.load("pnp2030")
    expected = alert_rules.alerts(evaluate(ds.plan, ds.series(), 2024, ruleset("policy")), ds.series())
    assert [a["kind"] for a in body["alerts"]] == [a.kind for a in expected] == ["a", "b", "c", "d"]
    for got, want in zip(body["alerts"], expected):
        assert got["title"] == want.title and got["text"].startswith(want.title)
        assert [i["code"] for i in got["items"]] == [i.code for i in want.items]
    worsened = body["alerts"][2]["text"]  # figures with the ficha's unit and decimals, sources by name
    assert "(34% en 2023 → 24% en 2024)" in worsened  # ISS.04.05.01.01 as 003 prints it (no decimals)
    assert "(8.24% en 2023 → 7.60% en 2024)" in worsened
    assert "(003)" not in " ".join(a["text"] for a in body["alerts"])
    lowest = body["alerts"][3]["items"]
    assert [i["figures"]["avance"] for i in lowest] == sorted(i["figures"]["avance"] for i in lowest)


# Plans, elements, indicators ----------------------------------------------------------------------


def test_plans_list_with_vintages_and_working_links(client):
    plans = ok(client, f"{PUBLIC}/planes")
    assert [p["code"] for p in plans] == ["pnp2030", "pei-inpe", "pp-creo"]
    policy = plans[0]
    assert (policy["kind"], policy["entity"], policy["period_start"], policy["period_end"], policy["current_vintage"]) == (
        "policy", "MINJUSDH", 2020, 2030, "RS-2024")
    assert [v["code"] for v in policy["vintages"]] == ["RS-2024", "RS-2020", "RS-2021"]
    assert policy["vintages"][0]["date"] == "2025-06-02"
    assert policy["links"]["self"] == f"{PUBLIC}/planes/pnp2030"
    for name in ("self", "elementos", "indicadores", "valores"):
        ok(client, policy["links"][name])
    ok(client, policy["links"]["avance"].replace("{anio}", "2024"))
    ok(client, policy["links"]["alertas"].replace("{anio}", "2024"))


def test_plan_detail_gives_levels_and_text_keys(client):
    plan = ok(client, f"{PUBLIC}/planes/pnp2030")
    assert [lv["code"] for lv in plan["levels"]] == ["OP", "LN", "SS"]
    assert plan["levels"][2] == {"code": "SS", "name": plan["levels"][2]["name"], "parents": ["LN"], "indicator_prefix": "ISS"}
    assert "problem" in plan["texts"] and "editions" in plan["texts"]
    assert all(isinstance(k, str) for k in plan["texts"])  # the keys, not the texts
    assert (plan["element_count"], plan["indicator_count"]) == (69, 49)


def test_elements_are_paginated(client):
    url = f"{PUBLIC}/planes/pnp2030/elementos"
    everything = ok(client, url, limit=1000)
    assert everything["count"] == len(everything["items"]) == m.Element.objects.filter(plan__code="pnp2030").count() == 69
    first, second = ok(client, url, limit=5), ok(client, url, limit=5, offset=5)
    assert first["count"] == second["count"] == 69
    assert [e["code"] for e in first["items"] + second["items"]] == [e["code"] for e in everything["items"][:10]]
    last = ok(client, url, limit=5, offset=67)
    assert len(last["items"]) == 2
    assert ok(client, url, offset=500)["items"] == []
    assert len(ok(client, url)["items"]) == 69  # default limit 100


def test_element_filters(client):
    url = f"{PUBLIC}/planes/pnp2030/elementos"
    objectives = ok(client, url, nivel="OP")
    assert objectives["count"] == 6 and {e["level"] for e in objectives["items"]} == {"OP"}
    assert objectives["items"][0]["indicators"][0] == "IOP.01.01"
    children = ok(client, url, padre="OP.01")
    assert children["count"] > 0 and {e["parent"] for e in children["items"]} == {"OP.01"}
    assert ok(client, url, nivel="SS", padre="OP.01")["count"] == 0
    assert ok(client, url, nivel="XX")["count"] == 0


def test_indicator_filters(client):
    url = f"{PUBLIC}/planes/pnp2030/indicadores"
    assert ok(client, url)["count"] == 49
    iop = ok(client, url, nivel="OP")
    assert iop["count"] == 13 and {i["level"] for i in iop["items"]} == {"IOP"}
    assert ok(client, url, nivel="SS")["count"] == 36
    judicial = ok(client, url, entidad="poder judicial")
    assert judicial["count"] == 2 and {i["entity"] for i in judicial["items"]} == {"Poder Judicial"}
    assert ok(client, url, entidad="INPE")["count"] == 47
    own = ok(client, url, elemento="OP.01")
    assert own["count"] > 0 and {i["element"] for i in own["items"]} == {"OP.01"}
    found = ok(client, url, q="alimentacion")  # without the accent
    assert "ISS.02.01.01.01" in [i["code"] for i in found["items"]]
    codes = [i["code"] for i in ok(client, url, q="iop.01.0")["items"]]
    assert codes and all(c.startswith("IOP.01.0") for c in codes)
    assert ok(client, url, q="alimentacion", nivel="OP")["count"] == 0
    page = ok(client, url, nivel="SS", limit=10, offset=30)
    assert page["count"] == 36 and len(page["items"]) == 6


def test_indicator_ficha_with_its_path(client):
    ficha = ok(client, f"{PUBLIC}/planes/pnp2030/indicadores/ISS.02.01.01.01")
    assert ficha["element"] == "SS.02.01.01" and ficha["level"] == "ISS"
    assert [p["code"] for p in ficha["path"]] == ["OP.02", "LN.02.01", "SS.02.01.01"]
    assert [p["level"] for p in ficha["path"]] == ["OP", "LN", "SS"]
    spec = datasets.load("pnp2030").indicator_spec("ISS.02.01.01.01")
    for field, value in json.loads(spec.model_dump_json()).items():
        assert ficha[field] == value, field
    top = ok(client, f"{PUBLIC}/planes/pnp2030/indicadores/IOP.01.01")
    assert [p["code"] for p in top["path"]] == ["OP.01"] and top["unit_label"] == "m² por interno"


# Values -------------------------------------------------------------------------------------------


def test_values_long_format_and_filters(client):
    url = f"{PUBLIC}/planes/pnp2030/valores"
    assert ok(client, url, limit=1)["count"] == m.Value.objects.filter(indicator__plan__code="pnp2030").count()
    rows = ok(client, url, indicador="IOP.03.01", anio=2024, edicion="RS-2024")["items"]
    assert {(r["kind"], r["value"]) for r in rows} == {("target", 55.0), ("actual", 11.01)}
    assert all(r["vintage"] == "RS-2024" and r["period"] == "anual" and r["source"] and r["state"] == "published" for r in rows)
    actual = ok(client, url, indicador="IOP.03.01", anio=2024, tipo="actual", edicion="RS-2024")
    assert actual["count"] == 1 and actual["items"][0]["value"] == 11.01 and actual["items"][0]["status"] is None
    missing = ok(client, url, indicador="IOP.01.01", anio=2024, tipo="actual", edicion="RS-2024")["items"][0]
    assert (missing["value"], missing["status"]) == (None, "ND")
    older = ok(client, url, edicion="RS-2020", limit=1000)
    assert older["count"] > 0 and {r["vintage"] for r in older["items"]} == {"RS-2020"}
    semester = ok(client, f"{PUBLIC}/planes/pei-inpe/valores", periodo="S1", limit=1000)
    assert semester["count"] > 0 and {r["period"] for r in semester["items"]} == {"S1"}
    assert ok(client, url, indicador="NO.EXISTE")["count"] == 0
    page1, page2 = ok(client, url, limit=50), ok(client, url, limit=50, offset=50)
    assert not {json.dumps(r, sort_keys=True) for r in page1["items"]} & {json.dumps(r, sort_keys=True) for r in page2["items"]}


def test_public_router_serves_only_published_values(client, admin_client):
    """A value under review (the coming workflow's draft state) is invisible to the public API,
    in the values and in every figure computed from them, and visible to a logged-in user."""
    value = m.Value.objects.get(indicator__plan__code="pnp2030", indicator__code="IOP.03.01", vintage__code="RS-2024",
                                year=2024, period="anual", kind="actual")
    m.Value.objects.filter(pk=value.pk).update(value=27.5, state="draft")
    m.Plan.objects.filter(code="pnp2030").update(version=F("version") + 1)  # as an edit does

    params = {"indicador": "IOP.03.01", "anio": 2024, "tipo": "actual", "edicion": "RS-2024"}
    assert ok(client, f"{PUBLIC}/planes/pnp2030/valores", **params)["count"] == 0
    internal = ok(admin_client, f"{INTERNAL}/planes/pnp2030/valores", **params)["items"]
    assert [(r["value"], r["state"]) for r in internal] == [(27.5, "draft")]

    public_row = next(r for r in ok(client, f"{PUBLIC}/planes/pnp2030/avance/2024")["rows"] if r["code"] == "IOP.03.01")
    internal_row = next(r for r in ok(admin_client, f"{INTERNAL}/planes/pnp2030/avance/2024")["rows"] if r["code"] == "IOP.03.01")
    assert (public_row["actual"], public_row["band"]) == (None, "ND")
    assert (internal_row["actual"], internal_row["progress"]) == (27.5, 50.0)


# Audiences ----------------------------------------------------------------------------------------


INTERNAL_PATHS = [
    "/planes", "/planes/pnp2030", "/planes/pnp2030/elementos", "/planes/pnp2030/indicadores",
    "/planes/pnp2030/indicadores/IOP.01.01", "/planes/pnp2030/valores", "/planes/pnp2030/avance/2024",
    "/planes/pnp2030/alertas/2024",
]


@pytest.mark.parametrize("path", INTERNAL_PATHS)
def test_authenticated_router_refuses_anonymous_users(client, path):
    detail = error(client, f"{INTERNAL}{path}", 401)
    assert "iniciar sesión" in detail and "/api/publico/" in detail


@pytest.mark.parametrize("path", INTERNAL_PATHS)
def test_authenticated_router_serves_a_logged_in_user(admin_client, client, path):
    assert ok(admin_client, f"{INTERNAL}{path}") == _with_internal_links(ok(client, f"{PUBLIC}{path}"))


def _with_internal_links(body):
    """The public answer as the authenticated router words it: same data, its own links."""
    text = json.dumps(body).replace(f'"{PUBLIC}/planes', f'"{INTERNAL}/planes')
    return json.loads(text)


def test_a_user_needs_a_role_for_the_authenticated_router(client, django_user_model):
    from vigia.reporting.services import set_role

    user = django_user_model.objects.create_user("analista", "a@example.pe", None)
    client.force_login(user)
    assert client.get(f"{INTERNAL}/planes/pnp2030/avance/2024").status_code == 401  # logged in, but no role
    set_role(user, "analyst")
    assert ok(client, f"{INTERNAL}/planes/pnp2030/avance/2024")["index"] == 69.0


# Errors -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "/elementos", "/indicadores", "/indicadores/IOP.01.01", "/valores", "/avance/2024", "/alertas/2024"])
def test_unknown_plan_is_a_spanish_404(client, path):
    assert error(client, f"{PUBLIC}/planes/no-existe{path}", 404) == "No existe el plan 'no-existe'."


def test_unknown_indicator_is_a_spanish_404(client):
    assert error(client, f"{PUBLIC}/planes/pnp2030/indicadores/IOP.99", 404) == "No existe el indicador 'IOP.99' en el plan 'pnp2030'."


def test_unknown_vintage_or_period_is_a_spanish_400(client):
    detail = error(client, f"{PUBLIC}/planes/pnp2030/avance/2024", 400, edicion="RS-1999")
    assert detail == "La edición 'RS-1999' no existe en el plan 'pnp2030'. Ediciones: RS-2024, RS-2020, RS-2021."
    assert error(client, f"{PUBLIC}/planes/pnp2030/avance/2024", 400, periodo="S2") == "El periodo 'S2' no es válido: use anual o S1."
    assert "RS-1999" in error(client, f"{PUBLIC}/planes/pnp2030/alertas/2024", 400, edicion="RS-1999")
    assert "RS-1999" in error(client, f"{PUBLIC}/planes/pnp2030/valores", 400, edicion="RS-1999")
    assert "'trimestral'" in error(client, f"{PUBLIC}/planes/pnp2030/valores", 400, periodo="trimestral")


@pytest.mark.parametrize(("url", "params", "parameter", "message"), [
    ("/planes/pnp2030/avance/dos-mil", {}, "year", "debe ser un número entero"),
    ("/planes/pnp2030/avance/1800", {}, "year", "debe ser mayor o igual que 1990"),
    ("/planes/pnp2030/alertas/3000", {}, "year", "debe ser menor o igual que 2100"),
    ("/planes/pnp2030/elementos", {"limit": 0}, "limit", "debe ser mayor o igual que 1"),
    ("/planes/pnp2030/elementos", {"limit": "diez"}, "limit", "debe ser un número entero"),
    ("/planes/pnp2030/indicadores", {"limit": 1001}, "limit", "debe ser menor o igual que 1000"),
    ("/planes/pnp2030/valores", {"offset": -1}, "offset", "debe ser mayor o igual que 0"),
    ("/planes/pnp2030/valores", {"anio": "2024a"}, "anio", "debe ser un número entero"),
    ("/planes/pnp2030/valores", {"tipo": "progress"}, "tipo", "valor no permitido"),
    ("/planes/pnp2030/indicadores", {"q": "x" * 201}, "q", "admite como máximo 200 caracteres"),
])
def test_invalid_parameters_are_a_spanish_422_naming_the_parameter(client, url, params, parameter, message):
    response = client.get(f"{PUBLIC}{url}", params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert f"parámetro '{parameter}'" in body["detail"] and message in body["detail"]
    assert body["detail"].startswith("Solicitud no válida:")
    assert any(e["parameter"] == parameter and e["message"].startswith(message) for e in body["errors"])


def test_the_422_lists_every_invalid_parameter(client):
    body = client.get(f"{PUBLIC}/planes/pnp2030/valores", {"anio": 1, "limit": "x"}).json()
    assert {e["parameter"] for e in body["errors"]} == {"anio", "limit"}
    assert {e["location"] for e in body["errors"]} == {"consulta"}
    tipo = client.get(f"{PUBLIC}/planes/pnp2030/valores", {"tipo": "x"}).json()["detail"]
    assert "'baseline'" in tipo and " or " not in tipo


# Documentation ------------------------------------------------------------------------------------


def test_openapi_schema_lists_both_routers(client):
    schema = ok(client, "/api/openapi.json")
    assert schema["info"]["title"] == "Vigía API"
    assert "seguimiento y evaluación" in schema["info"]["description"]
    operations = ["/planes", "/planes/{plan}", "/planes/{plan}/elementos", "/planes/{plan}/indicadores",
                  "/planes/{plan}/indicadores/{code}", "/planes/{plan}/valores", "/planes/{plan}/avance/{year}",
                  "/planes/{plan}/alertas/{year}"]
    registry = ["/registro", "/registro/medidas", "/registro/unidades", "/registro/cifras"]  # the penitentiary registry
    reads = {f"{prefix}{op}" for prefix in (PUBLIC, INTERNAL) for op in operations + registry}
    writes = {"/api/campanas/": {"get"}, "/api/campanas/{campaign_id}/reportes/": {"get", "post"}}  # entities' systems
    assert set(schema["paths"]) == reads | set(writes)
    ids = [op["operationId"] for path in schema["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)) == 27
    assert all(set(schema["paths"][path]) == {"get"} for path in reads)  # the plan data is read-only
    assert all(set(schema["paths"][path]) == methods for path, methods in writes.items())
    public = schema["paths"][f"{PUBLIC}/planes/{{plan}}/avance/{{year}}"]["get"]
    internal = schema["paths"][f"{INTERNAL}/planes/{{plan}}/avance/{{year}}"]["get"]
    assert "security" not in public and internal["security"] == [{"RoleSession": []}]
    assert set(public["responses"]) == {"200", "400", "404", "422"}
    assert set(internal["responses"]) == {"200", "400", "401", "404", "422"}
    assert public["responses"]["404"]["description"] == "Plan o indicador inexistente"
    values = schema["paths"][f"{PUBLIC}/planes/{{plan}}/valores"]["get"]
    assert {p["name"] for p in values["parameters"]} == {"plan", "indicador", "anio", "tipo", "edicion", "periodo", "limit", "offset"}
    assert values["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PagedValueOut"}


def test_docs_use_local_assets(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Vigía API</title>" in html and "/api/openapi.json" in html
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert "cdn" not in html.lower() and "https://" not in html and "http://" not in html
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-init.js"):
        assert client.get(f"/static/ninja/{asset}").status_code == 200


def test_api_root_points_to_the_docs(client):
    body = ok(client, "/api/")
    assert body["docs"] == "/api/docs" and body["publico"] == f"{PUBLIC}/planes"


@pytest.mark.parametrize("url", ["/api/no-existe", f"{PUBLIC}/planes/", f"{PUBLIC}/planes/pnp2030/avance"])
def test_unknown_api_paths_are_a_json_404(client, url):
    assert error(client, url, 404) == f"No existe la ruta '{url}' en la API. Vea la documentación en /api/docs."


def test_a_figure_the_source_never_gave_is_absent_not_nd(client):
    """ND is what a source states; a figure the source simply does not give is «absent» (sin dato en la fuente)."""
    rows = {r["code"]: r for r in ok(client, f"{PUBLIC}/planes/pei-inpe/avance/2023")["rows"]}
    assert rows["IND.01.OEI.01"]["target"] is None and rows["IND.01.OEI.01"]["target_status"] == "absent"
    assert rows["IND.01.AEI.01.05"]["actual"] == 6.42 and rows["IND.01.AEI.01.05"]["actual_status"] is None
    policy = {r["code"]: r for r in ok(client, f"{PUBLIC}/planes/pnp2030/avance/2024")["rows"]}
    assert policy["IOP.01.01"]["target_status"] == "ND"  # 003 states ND
