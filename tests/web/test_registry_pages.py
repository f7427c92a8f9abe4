"""«Registro penitenciario» pages on the hand-checkable extract: golden figures on the maps' tables,
the series and the establishment table; the portal suppresses cells under 5 persons and never shows
a person; the demonstration banner; the linked indicator pages."""

import json
import re

import pytest
from django.test import Client, override_settings

from .helpers import client_for

pytestmark = pytest.mark.django_db
PERSONS = re.compile(r"\bP\d\d\b")  # the extract's pseudonymous ids: P01…P31


@pytest.fixture
def analyst(people):
    return client_for(people["analista"])


def page(client, url, data_dir, status=200) -> str:
    with override_settings(DATA_DIR=data_dir):
        response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def payloads(html: str) -> dict:
    return {m.group(1): json.loads(m.group(2)) for m in re.finditer(r'<script id="([^"]+)-datos" type="application/json">(.*?)</script>', html, re.S)}


@pytest.mark.parametrize("which", ["kept", "discarded"])
def test_sobrepoblacion_by_department_office_and_establishment(analyst, which, request):
    html = page(analyst, "/planes/pei-inpe/registro/", request.getfixturevalue(which))
    assert 'data-testid="registro-nacional">-36.67%' in html and "(-11 / 30)" in html  # (19 − 30) / 30 on 31/12/2024
    charts = payloads(html)
    departments = {row[1]: row for row in charts["mapa-departamentos"]["csv"]["rows"]}
    assert departments["Lima"][3:] == [-56.25, -9, 16]  # EP01 + EP02: (7 − 16) / 16, summed, never averaged
    assert departments["Piura"][3:] == [pytest.approx(200 / 3), 2, 3]
    offices = {row[0]: row for row in charts["mapa-oficinas"]["csv"]["rows"]}
    assert offices["Lima"][1] == "Callao, Lima" and offices["Lima"][2:] == [-50.0, -9, 18]
    assert charts["mapa-departamentos"]["map"] == {"name": "peru", "id": "FIRST_IDDP",
                                                   "url": "/static/vigia/vendor/peru-geojson/peru_departamental_simple.geojson"}
    # IND.01.OEI.01 has a 2024 target (56 %): band colours, each department a band
    assert "Semáforo" in html and "Logro esperado 2024 de IND.01.OEI.01" in html
    series = charts["serie-mensual"]
    assert len(series["csv"]["rows"]) == 72 and series["csv"]["rows"][-1] == ["12/2024", pytest.approx(-1100 / 30)]


def test_the_establishment_table_sorts_and_the_series_follows_the_unit(analyst, kept):
    html = page(analyst, "/planes/pnp2030/registro/?medida=sin_sentencia&orden=valor&dir=desc&unidad=office:Lima", kept)
    codes = re.findall(r'<tr><th scope="row">(EP\d\d)</th>', html)
    assert codes[0] == "EP03" and codes[-1] in ("EP05", "EP04", "EP06")  # 100 % first; 0 % last
    assert 'aria-sort="descending"' in html
    assert "Población sin sentencia por mes — Oficina Regional Lima" in html
    ascending = page(analyst, "/planes/pnp2030/registro/?medida=sin_sentencia&orden=nombre&dir=asc", kept)
    names = re.findall(r'<tr><th scope="row">EP\d\d</th><td>([^<]+)</td>', ascending)
    assert names == sorted(names)


def test_a_national_measure_has_no_map(analyst, kept):
    html = page(analyst, "/planes/pei-inpe/registro/?medida=reingreso_5a", kept)
    assert "se calcula solo para la nación" in html and "mapa-departamentos" not in html and "serie-mensual" in html


def test_the_portal_suppresses_small_cells_and_never_shows_a_person(client, kept):
    for url in ["/transparencia/pnp2030/registro/?medida=sin_sentencia", "/transparencia/pei-inpe/registro/?medida=poblacion",
                "/transparencia/pei-inpe/registro/?medida=fugas", "/transparencia/pei-inpe/registro/?medida=reingreso_5a",
                "/transparencia/pei-inpe/2024/indicadores/IND.01.OEI.01/"]:
        html = page(client, url, kept)
        assert not PERSONS.search(html), url
        assert "reservado (&lt; 5 personas)" in html, url
    html = page(client, "/transparencia/pnp2030/registro/?medida=sin_sentencia", kept)
    assert 'nacional">31.58%' in html and "(6 / 19)" in html  # the nation rests on 6 and 19 persons: shown
    charts = payloads(html)
    for row in charts["mapa-departamentos"]["csv"]["rows"]:
        assert row[3:] == [None, None, None]  # every establishment is hidden, so is every department
    poblacion = payloads(page(client, "/transparencia/pei-inpe/registro/?medida=poblacion", kept))
    for row in poblacion["mapa-departamentos"]["csv"]["rows"]:
        assert row[3] is None or row[3] >= 5


def test_without_an_extract_the_page_says_how_to_import_one(analyst, tmp_path, client):
    assert "vigia registry import CARPETA" in page(analyst, "/planes/pei-inpe/registro/", tmp_path)
    public = page(client, "/transparencia/pei-inpe/registro/", tmp_path)
    assert "Todavía no se importó" in public and "vigia registry" not in public


def test_bad_addresses_are_spanish_404s(analyst, kept):
    assert "No existe la medida" in page(analyst, "/planes/pei-inpe/registro/?medida=presos", kept, 404)
    assert "Fecha no válida" in page(analyst, "/planes/pei-inpe/registro/?fecha=31-12-2024", kept, 404)
    html = page(analyst, "/planes/pei-inpe/registro/?fecha=1990-01-31&unidad=office:Nada", kept)  # outside: the cut-off date
    assert "Sobrepoblación al 31/12/2024" in html
    assert Client().get("/planes/pei-inpe/registro/").status_code == 302  # internal page: login first


def test_linked_indicator_pages_and_dashboards_lead_to_the_registry(analyst, kept, client):
    html = page(analyst, "/planes/pnp2030/indicadores/IOP.01.02/", kept)
    assert "Calculado del registro penitenciario" in html and "Población sin sentencia" in html
    assert 'href="/planes/pnp2030/registro/?medida=sin_sentencia"' in html and "mapa-oficinas" in html
    assert "Calculado del registro" not in page(analyst, "/planes/pnp2030/indicadores/IOP.02.01/", kept)
    assert 'href="/planes/pei-inpe/registro/"' in page(analyst, "/planes/pei-inpe/", kept)
    assert 'href="/transparencia/pei-inpe/registro/"' in page(client, "/transparencia/pei-inpe/2024/", kept)
    public = page(client, "/transparencia/pnp2030/2024/indicadores/IOP.01.02/", kept)
    assert "sin_sentencia" not in public.split("<main", 1)[1].split("?medida=")[0]  # no internal name in the text


def test_the_demo_marks_every_page(analyst, kept, client):
    assert "DATOS DE DEMOSTRACIÓN" not in page(client, "/transparencia/", kept)
    with override_settings(VIGIA_DEMO=True):
        for c, url in [(client, "/transparencia/"), (client, "/cuentas/ingresar/"), (analyst, "/planes/"), (analyst, "/planes/pei-inpe/registro/")]:
            assert "DATOS DE DEMOSTRACIÓN" in page(c, url, kept), url
