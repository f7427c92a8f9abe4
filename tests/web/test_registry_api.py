"""The registry in the API (/api/publico/registro, /api/registro) on the hand-checkable extract
(tests/registry/extracto): golden figures, public suppression against the staff's full figures,
the CLI's CSV, Spanish errors, ETags, the demonstration flag and no person ever in an answer."""

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigia import cli
from vigia.registry import Registry, import_extract

from .helpers import client_for

pytestmark = pytest.mark.django_db
EXTRACT = Path(__file__).parents[1] / "registry" / "extracto"
PERSONS = re.compile(rb"\bP\d\d\b")  # the extract's pseudonymous ids: P01…P31
PUBLIC, INTERNAL = "/api/publico/registro", "/api/registro"


@pytest.fixture
def data(settings, kept):
    settings.DATA_DIR = kept
    return kept


@pytest.fixture
def analyst(people):
    return client_for(people["analista"])


def get(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    return response


def rows(client, url=f"{PUBLIC}/cifras", **params) -> dict:
    body = get(client, url, **params).json()
    assert body["count"] == len(body["items"])
    return {(r["measure"], r["scope"], r["code"], r["sex"]): r for r in body["items"]}


def test_the_extract_facts_keep_the_fingerprint_internal(client, analyst, data):
    public = get(client, PUBLIC).json()
    assert (public["start"], public["cutoff"], public["establishments"], public["persons"]) == ("2019-01-15", "2024-12-31", 9, 31)
    assert public["dates"][-1] == "2024-12-31" and len(public["dates"]) == 72
    assert public["suppressed"] and not public["any_date"] and not public["demo"] and public["notice"] is None
    assert not {"sha256", "formats", "kept"} & set(public)
    assert public["links"]["cifras"] == f"{PUBLIC}/cifras"
    internal = get(analyst, INTERNAL).json()
    assert internal["sha256"] == Registry(data).info.sha256 and internal["kept"] and internal["any_date"]
    assert not internal["suppressed"]


def test_public_figures_are_suppressed_and_staff_see_them_in_full(client, analyst, people, data):
    public = rows(client, medida="poblacion", fecha="2024-12-31")
    assert public[("poblacion", "nation", "PE", "")]["value"] == 19
    ep01 = public[("poblacion", "establishment", "EP01", "")]  # 4 persons: blanked, as on the portal
    assert ep01["suppressed"] and ep01["value"] is None
    assert public[("poblacion", "nation", "PE", "F")]["suppressed"]  # 3 women, and the men who would reveal them
    for user in ("analista", "op_inpe", "decisor"):  # every role, as on the internal registry page
        full = rows(client_for(people[user]), f"{INTERNAL}/cifras", medida="poblacion")
        assert full[("poblacion", "establishment", "EP01", "")]["value"] == 4
        assert full[("poblacion", "nation", "PE", "F")]["value"] == 3
        assert not any(r["suppressed"] for r in full.values())
    assert get(client, f"{INTERNAL}/cifras", 401).json()["detail"].startswith("Se requiere iniciar sesión")
    assert get(client_for(people["sin_rol"]), f"{INTERNAL}/cifras", 401).status_code == 401


def test_filters_and_golden_figures(analyst, data):
    one = rows(analyst, f"{INTERNAL}/cifras", medida="sin_sentencia", ambito="nation", sexo="ambos")
    assert list(one) == [("sin_sentencia", "nation", "PE", "")]
    row = one[("sin_sentencia", "nation", "PE", "")]
    assert (row["numerator"], row["denominator"], row["date"]) == (6, 19, "2024-12-31")
    assert row["value"] == pytest.approx(600 / 19)
    sob = rows(analyst, f"{INTERNAL}/cifras", medida=["sobrepoblacion", "capacidad"], codigo="PE", fecha=["2024-06-30", "2024-12-31"])
    assert len(sob) == 2 and sob[("sobrepoblacion", "nation", "PE", "")]["value"] == pytest.approx(-1100 / 30)
    body = get(analyst, f"{INTERNAL}/cifras", medida="poblacion", fecha=["2024-06-30", "2024-12-31"], limit=2, offset=1).json()
    assert body["count"] > 3 and len(body["items"]) == 2
    daily = rows(analyst, f"{INTERNAL}/cifras", medida="poblacion", ambito="nation", sexo="ambos", fecha="2024-12-15")
    assert daily[("poblacion", "nation", "PE", "")]["date"] == "2024-12-15"  # any day of a kept extract, for staff


def test_csv_is_the_command_line_csv(client, analyst, data, monkeypatch):
    monkeypatch.setenv("VIGIA_DATA_DIR", str(data))
    for http, flags in ((get(analyst, f"{INTERNAL}/cifras", formato="csv", fecha="2024-12-31"), []),
                        (get(client, f"{PUBLIC}/cifras", formato="csv", fecha="2024-12-31"), ["--public"])):
        assert http["Content-Type"].startswith("text/csv") and 'filename="registro-cifras.csv"' in http["Content-Disposition"]
        result = CliRunner().invoke(cli.app, ["registry", "measures", "--date", "2024-12-31", "--format", "csv", *flags])
        assert result.exit_code == 0 and http.content.decode() == result.stdout
    header = http.content.decode().splitlines()[0]
    assert header == "measure,date,scope,code,sex,value,numerator,denominator,suppressed"


def test_units_in_force_on_a_date(client, data):
    tree = get(client, f"{PUBLIC}/unidades", fecha="2024-01-31").json()
    assert tree["code"] == "PE" and tree["date"] == "2024-01-31"
    offices = {o["code"]: o for o in tree["offices"]}
    ep02 = next(e for e in offices["Lima"]["establishments"] if e["code"] == "EP02")
    assert (ep02["capacity"], ep02["department"], ep02["department_name"], ep02["since"]) == (4, "15", "Lima", "2000-01-01")
    later = get(client, f"{PUBLIC}/unidades").json()  # the cut-off date: EP02's capacity from 01/03/2024
    assert next(e for o in later["offices"] for e in o["establishments"] if e["code"] == "EP02")["capacity"] == 6
    assert sum(len(o["establishments"]) for o in later["offices"]) == 9


def test_the_catalogue_names_the_linked_indicators_and_the_sql(client):
    catalogue = {x["name"]: x for x in get(client, f"{PUBLIC}/medidas").json()}  # needs no extract
    assert list(catalogue)[:3] == ["poblacion", "poblacion_medio_libre", "capacidad"]
    assert {"plan": "pnp2030", "code": "IOP.01.02"} in catalogue["sin_sentencia"]["indicators"]
    assert catalogue["sin_sentencia"]["unit"] == "%" and catalogue["sin_sentencia"]["by_sex"]
    assert "fecha_sentencia" in catalogue["sin_sentencia"]["definition"]


def test_errors_are_spanish_and_name_the_parameter(client, analyst, settings, tmp_path, discarded, kept):
    settings.DATA_DIR = tmp_path  # nothing imported
    for c, url in ((client, PUBLIC), (client, f"{PUBLIC}/cifras"), (analyst, f"{INTERNAL}/unidades")):
        assert get(c, url, 404).json()["detail"].startswith("Todavía no se importó ningún extracto del registro penitenciario")
    settings.DATA_DIR = kept
    outside = get(client, f"{PUBLIC}/cifras", 400, fecha="2030-12-31").json()["detail"]
    assert outside.startswith("Parámetro «fecha»: la fecha 31/12/2030 está fuera del extracto")
    assert get(client, f"{PUBLIC}/unidades", 400, fecha="1990-01-01").json()["detail"].startswith("Parámetro «fecha»")
    daily = get(client, f"{PUBLIC}/cifras", 400, fecha="2024-12-15").json()["detail"]
    assert "Parámetro «fecha»" in daily and "fin de cada mes" in daily  # the public gets the stored dates only
    unknown = get(client, f"{PUBLIC}/cifras", 422, medida="hacinamientos").json()
    assert unknown["errors"][0]["parameter"] == "medida" and "valor no permitido" in unknown["detail"]
    malformed = get(client, f"{PUBLIC}/cifras", 422, fecha="31/12/2024").json()
    assert malformed["errors"][0]["parameter"] == "fecha" and "AAAA-MM-DD" in malformed["detail"]
    assert "Parámetro «codigo»" in get(client, f"{PUBLIC}/cifras", 400, codigo="EP99").json()["detail"]
    many = [str(date(2024, 1, 1) + timedelta(days=d)) for d in range(121)]
    assert "como máximo 120 fechas" in get(analyst, f"{INTERNAL}/cifras", 400, fecha=many).json()["detail"]
    settings.DATA_DIR = discarded
    gone = get(analyst, f"{INTERNAL}/cifras", 400, fecha="2024-12-15").json()["detail"]
    assert gone.startswith("Parámetro «fecha»: el extracto se descartó tras el cálculo")
    refused = client.post(f"{PUBLIC}/cifras")
    assert refused.status_code == 405 and refused.json()["detail"].startswith("Método POST no admitido")


def test_etag_answers_304_until_another_extract(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "datos"
    import_extract(EXTRACT, settings.DATA_DIR)
    first = get(client, f"{PUBLIC}/cifras", medida="poblacion")
    assert first["Cache-Control"] == "no-cache" and first["ETag"]
    again = client.get(f"{PUBLIC}/cifras", {"medida": "poblacion"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert client.get(f"{PUBLIC}/cifras", {"medida": "capacidad"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    other = shutil.copytree(EXTRACT, tmp_path / "otro")
    with (other / "estancias.csv").open("a") as f:
        f.write("P99,EP01,M,1990-01-01,2024-12-20,,,,robo\n")
    import_extract(other, settings.DATA_DIR)  # another extract: the same address has a new ETag
    assert client.get(f"{PUBLIC}/cifras", {"medida": "poblacion"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_demo_answers_say_so(client, data, settings):
    settings.VIGIA_DEMO = True
    for url in (PUBLIC, f"{PUBLIC}/cifras", f"{PUBLIC}/unidades"):
        body = get(client, url).json()
        assert body["demo"] and body["notice"].startswith("DATOS DE DEMOSTRACIÓN")
    csv = get(client, f"{PUBLIC}/cifras", formato="csv")
    assert "DEMOSTRACION" in csv["Content-Disposition"] and csv["X-Vigia-Datos"] == "demostracion"


def test_no_person_leaves_through_the_api(client, analyst, data):
    """Every registry answer, both audiences, JSON and CSV, every date and measure: no pseudonymous id."""
    dates = ["2019-01-31", "2022-06-30", "2024-12-31"]
    answers = [get(c, f"{base}{path}", **params).content
               for c, base in ((client, PUBLIC), (analyst, INTERNAL))
               for path, params in (("", {}), ("/medidas", {}), ("/unidades", {}), ("/cifras", {"fecha": dates, "limit": 10000}),
                                    ("/cifras", {"fecha": dates, "formato": "csv"}))]
    answers.append(get(analyst, f"{INTERNAL}/cifras", fecha="2024-12-15", limit=10000).content)
    assert all(answers) and not any(PERSONS.search(a) for a in answers)
    assert b"P01" in (EXTRACT / "estancias.csv").read_bytes()  # the scan would see them


def test_the_openapi_schema_documents_the_registry_in_spanish(client):
    schema = get(client, "/api/openapi.json").json()
    figures = schema["paths"][f"{PUBLIC}/cifras"]["get"]
    assert figures["summary"] == "Cifras del registro" and "menos de 5 personas" not in figures["description"]
    assert "1 a 4 personas" in figures["description"] and "datos publicados" in figures["description"]
    assert {p["name"] for p in figures["parameters"]} == {"fecha", "medida", "ambito", "codigo", "sexo", "formato", "limit", "offset"}
    assert all(p["description"] for p in figures["parameters"])
    assert set(figures["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    assert figures["responses"]["404"]["description"] == "Ningún extracto del registro importado"
    internal = schema["paths"][f"{INTERNAL}/cifras"]["get"]
    assert internal["security"] == [{"RoleSession": []}] and "Cifras completas" in internal["description"]
    assert "sha256" in schema["components"]["schemas"]["RegistryInternalOut"]["properties"]
    assert "sha256" not in schema["components"]["schemas"]["RegistryOut"]["properties"]
