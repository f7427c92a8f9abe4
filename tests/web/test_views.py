"""Pages as users see them, on the real official data (SQLite and PostgreSQL)."""

import csv
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_sends_anonymous_users_to_the_portal(client):
    assert client.get("/")["Location"] == "/transparencia/"


def _patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def test_every_internal_page_requires_login(client):
    """Every route outside the portal, login, admin and API redirects an anonymous user to login."""
    sample = {"plan": "pnp2030", "code": "IOP.02.01", "fmt": "csv", "year": "2024", "pk": "1", "evidence_id": "1", "submission_id": "1", "notification_id": "1", "proposal_id": "1"}
    checked = 0
    for route, _ in _patterns(get_resolver()):
        if route.startswith(("transparencia/", "cuentas/", "admin/", "api/")) or route in ("",):
            continue
        url = "/" + route
        for key, value in sample.items():
            for conv in ("slug", "str", "int"):
                url = url.replace(f"<{conv}:{key}>", value)
        response = client.get(url)
        assert response.status_code == 302 and "/cuentas/ingresar/" in response["Location"], url
        checked += 1
    assert checked >= 6


def test_policy_dashboard_shows_index_ops_counts_and_alerts(admin_client):
    html = text(admin_client.get("/planes/pnp2030/"))
    assert "69.0%" in html and "Índice de gestión" in html
    for op, value in {"OP.01": "68.7", "OP.02": "89.0", "OP.03": "20.0", "OP.04": "56.1", "OP.05": "94.3", "OP.06": "86.0"}.items():
        assert op in html and f"{value}%" in html
    assert "Indicadores de objetivos que no se han podido medir" in html
    assert "4.0%" in html and "4,0%" not in html  # decimal point, as the seeds write it


def test_year_selector_changes_the_figures(admin_client):
    html = text(admin_client.get("/planes/pnp2030/?anio=2023"))
    assert 'value="2023" selected' in html
    assert "Índice de gestión de la política nacional 2023" in html


def test_unknown_plan_year_and_indicator_are_404(admin_client):
    assert admin_client.get("/planes/nada/").status_code == 404
    assert admin_client.get("/planes/pnp2030/?anio=1990").status_code == 404
    assert admin_client.get("/planes/pnp2030/indicadores/IOP.99.99/").status_code == 404


def test_pei_dashboard_has_tables_3_and_7_and_operations(admin_client):
    html = text(admin_client.get("/planes/pei-inpe/"))
    assert "57.62%" in html and "Tabla 3" in html and "Tabla 7" in html
    assert "7.25%" in html and "AOI00051700243" in html and "no programado" in html


def test_pp_view_shows_the_logical_framework(admin_client):
    html = text(admin_client.get("/planes/pp-creo/"))
    assert "Marco lógico" in html and "PROD.04" in html


def test_matrix_filters_by_band_and_objective(admin_client):
    html = text(admin_client.get("/planes/pnp2030/matriz/?banda=rojo"))
    assert "17 indicadores mostrados" in html
    html = text(admin_client.get("/planes/pnp2030/matriz/?objetivo=OP.02&banda=verde"))
    assert 'data-code="IOP.02.01"' in html and 'data-code="IOP.02.02"' not in html


def test_matrix_htmx_returns_only_the_table(admin_client):
    response = admin_client.get("/planes/pnp2030/matriz/?banda=verde", HTTP_HX_REQUEST="true")
    html = text(response)
    assert "<html" not in html and "<table" in html


def test_matrix_sorted_by_progress(admin_client):
    html = text(admin_client.get("/planes/pnp2030/matriz/?orden=avance"))
    first = html.index('data-code="IOP.06.02"')
    assert first < html.index('data-code="ISS.03.01.02.01"') < html.index('data-code="IOP.03.01"')


def test_matrix_csv_is_what_is_shown(admin_client):
    response = admin_client.get("/planes/pnp2030/matriz.csv?banda=amarillo")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["Código"] for r in rows if r["Semáforo"] == "amarillo" and r["Nivel"] in ("IOP", "ISS")} == {
        "IOP.05.01", "ISS.02.04.01.01", "ISS.04.01.01.01", "ISS.04.01.03.01", "ISS.04.01.10.01", "ISS.05.03.01.01"}
    iop = next(r for r in rows if r["Código"] == "IOP.05.01")
    assert iop["Avance 2024 (%)"] == "94.3" and iop["Valor obtenido 2024"] == "33.0"


def test_matrix_xlsx_keeps_numbers_as_numbers(admin_client):
    response = admin_client.get("/planes/pnp2030/matriz.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "IOP.02.01")
    assert row[header.index("Avance 2024 (%)")] == 125.7
    assert row[header.index("Valor obtenido 2024")] == 65.37
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref


def test_indicator_page_and_chart(admin_client):
    html = text(admin_client.get("/planes/pnp2030/indicadores/IOP.02.01/"))
    assert "125.7%" in html and "Ficha" in html and "30.90%" in html and "Trayectoria" in html
    assert '<option value="2019">' in html and '<option value="2024" selected>' in html  # every year to switch to
    svg = admin_client.get("/planes/pnp2030/indicadores/IOP.02.01/grafico.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content and "Logro esperado" in svg.content.decode()


def test_indicator_page_shows_its_checks(admin_client):
    html = text(admin_client.get("/planes/pnp2030/indicadores/ISS.04.05.01.01/"))
    assert "insumos_redondeados" in html


def test_portal_works_logged_out(client):
    html = text(client.get("/transparencia/"))
    assert "69.0%" in html
    html = text(client.get("/transparencia/pnp2030/2024/"))
    assert "Índice de gestión 2024" in html and 'data-code="IOP.02.01"' in html
    assert text(client.get("/transparencia/pnp2030/2024/indicadores/IOP.02.01/")).count("125.7%") >= 1
    data = client.get("/transparencia/pnp2030/2024/datos.json").json()
    assert next(r for r in data if r["Código"] == "INDEX" or r["Código"] == "OP.02")["Avance 2024 (%)"] == 89.0


def test_portal_downloads_have_stable_urls(client):
    for fmt, kind in (("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("json", "application/json")):
        response = client.get(f"/transparencia/pnp2030/2024/datos.{fmt}")
        assert response.status_code == 200 and kind in response["Content-Type"]
    assert client.get("/transparencia/pnp2030/2024/datos.exe").status_code == 404
    assert client.get("/transparencia/pnp2030/")["Location"] == "/transparencia/pnp2030/2024/"


def test_login_page_is_spanish_and_csrf_protected(client):
    html = text(client.get("/cuentas/ingresar/"))
    assert "Contraseña" in html and "csrfmiddlewaretoken" in html
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/cuentas/ingresar/", {"username": "x", "password": "y"}).status_code == 403


def test_admin_is_spanish(admin_client):
    html = text(admin_client.get("/admin/"))
    assert "Vigía — administración" in html and "Indicadores" in html


# Dashboards and portal (issue 10) -----------------------------------------------------------------


def _publish_2025_value():
    """One 2025 value published, as a campaign would after the analyst's approval."""
    from django.db.models import F

    from vigia.core import models as m

    ind = m.Indicator.objects.get(plan__code="pnp2030", code="IOP.03.01")
    vintage = m.Vintage.objects.get(plan=ind.plan, code=ind.plan.current_vintage)
    m.Value.objects.create(indicator=ind, vintage=vintage, year=2025, kind="actual", value=13.2, source="Registro 2025")
    m.Plan.objects.filter(pk=ind.plan_id).update(version=F("version") + 1)


def test_portal_opens_on_the_latest_complete_year_and_labels_the_year_in_progress(client):
    _publish_2025_value()
    assert client.get("/transparencia/pnp2030/")["Location"] == "/transparencia/pnp2030/2024/"
    home = text(client.get("/transparencia/"))
    assert "Índice de gestión 2024" in home and "69.0%" in home
    assert "en curso (1 de 49 indicadores publicados)" in home
    plan = text(client.get("/transparencia/pnp2030/2025/"))
    assert "2025 en curso (1 de 49 indicadores publicados)." in plan
    assert 'href="/transparencia/pp-creo/2026/' not in home and "Sin datos publicados" in home


def test_a_plan_without_values_says_so_and_links_no_year(client, admin_client):
    html = text(client.get("/transparencia/pp-creo/"))
    assert "Sin datos publicados" in html and "Marco lógico" in html and "Años:" not in html
    assert client.get("/transparencia/pp-creo/2026/").status_code == 404
    plans = text(admin_client.get("/planes/"))
    assert "Sin datos registrados" in plans and "Último año con datos: 2026" not in plans


def test_portal_search_finds_indicators_by_code_words_and_objective(client):
    html = text(client.get("/transparencia/buscar/?buscar=salud"))
    assert "ISS.02.01.02.01" in html and "/transparencia/pnp2030/2024/indicadores/ISS.02.01.02.01/" in html
    html = text(client.get("/transparencia/buscar/?buscar=hacinamiento"))  # the words of its objective, OP.01
    assert "IOP.01.02" in html
    html = text(client.get("/transparencia/pnp2030/2024/?buscar=iop.02"))
    assert "2 indicadores mostrados" in html


def test_dashboards_and_portal_carry_charts_as_json_blocks_without_inline_code(client, admin_client):
    import json
    import re

    for url, keys in [("/transparencia/pnp2030/2024/", ["grafico-objetivos", "grafico-indice", "grafico-semaforo", "grafico-perspectiva"]),
                      ("/transparencia/pei-inpe/2024/", ["grafico-objetivos", "grafico-aei", "grafico-semaforo"]),
                      ("/transparencia/pnp2030/2024/indicadores/IOP.02.01/", ["grafico-iop-02-01"])]:
        html = text(client.get(url))
        for key in keys:
            block = re.search(rf'<script id="{key}-datos" type="application/json">(.*?)</script>', html, re.S)
            assert block, (url, key)
            payload = json.loads(block.group(1))
            assert payload["option"]["series"] and payload["csv"]["rows"] and payload["description"]
        assert not re.search(r"<script(?![^>]*(src=|application/json))", html), url  # no inline code
        assert " style=" not in html and "<style" not in html and " on" + "change=" not in html, url
    html = text(admin_client.get("/planes/pnp2030/"))
    assert 'id="grafico-indice-datos"' in html and "Perspectiva al 2030" in html


def test_outlook_table_filters_by_class_and_objective(client):
    html = text(client.get("/transparencia/pnp2030/2024/?perspectiva=sin-meta&perspectiva_objetivo=OP.02"))
    table = html[html.index('id="perspectiva-tabla"'):]
    table = table[:table.index("</table>")]
    assert "IOP.02.01" in table and "IOP.01.02" not in table and "sin meta a 2030" in table  # the policy sets no 2030 target


def test_citizen_pages_name_documents_not_internal_codes(client):
    html = text(client.get("/transparencia/pnp2030/2024/indicadores/IOP.01.02/"))
    assert "Nota sobre las cifras oficiales" in html and "como si el indicador debiera subir" in html
    for jargon in ("sentido_invertido", "003 matriz", "000 Tabla", "(003)", "pnp2030</"):
        assert jargon not in html, jargon
    assert "Reporte de seguimiento 2024 (formato CEPLAN), matriz 2024" in html
    plan = text(client.get("/transparencia/pnp2030/2024/"))
    assert "Alerta a (003)" not in plan and "Alerta a (" not in plan
    assert "34% en 2023 → 24% en 2024" in plan


def test_one_number_style_and_nd_once(client):
    html = text(client.get("/transparencia/pnp2030/2024/"))
    assert "1,666.7%" in html and "1666.7" not in html
    assert "ND ND" not in html and "○</span> ND</span>" in html
    assert html.count("Rojo: avance &lt; 75 %") >= 2 and "[0-75%&gt;" not in html


def test_pei_dashboard_is_figures_first_and_explains_its_codes(admin_client):
    html = text(admin_client.get("/planes/pei-inpe/"))
    assert html.index("grafico-aei") < html.index("Tabla 7") < html.index("Actividades operativas e inversiones")
    assert "AEI críticas" in html and "AEI.01.03" in html
    assert "código de la actividad operativa en el POI" in html and "7,964 PPL atendidas" in html
    assert "<strong>AOI00051700269</strong> EJECUCIÓN DE OBRA" in html  # what it depends on, by name


def test_matrix_xlsx_shows_percentages_with_their_sign(admin_client):
    response = admin_client.get("/planes/pnp2030/matriz.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "IOP.02.01")
    cell = row[header.index("Valor obtenido 2024")]
    assert cell.value == 65.37 and "%" in cell.number_format
    assert row[header.index("Unidad")].value == "porcentaje (%)"
