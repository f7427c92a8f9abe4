"""The application in real headless Chromium (Debian's chromium, driven by Playwright), served by
`vigia serve` (gunicorn) exactly as a user starts it."""

import csv
import io
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from .browsing import PASSWORD, as_user, charts_drawn, login, open_campaign, vigia_cli

pytestmark = pytest.mark.browser


def test_dashboard_to_indicator_chart_and_year_switch(page, server):
    login(page, server)
    page.get_by_role("link", name="Política Nacional Penitenciaria al 2030").click()
    assert "69.0%" in page.get_by_test_id("index").inner_text()
    op2 = page.locator('article.op[data-code="OP.02"]')
    assert "89.0%" in op2.inner_text()
    op2.get_by_role("link", name="OP.02", exact=True).click()
    page.wait_for_url("**/matriz/**objetivo=OP.02**")
    page.get_by_role("link", name="IOP.02.01", exact=True).click()
    page.wait_for_url("**/indicadores/IOP.02.01/**")
    assert "125.7%" in page.locator("main").inner_text()
    charts_drawn(page)
    assert page.locator("#grafico-iop-02-01 svg path").count() > 10
    page.get_by_label("Año", exact=True).select_option("2023")  # vigia.js sends the form
    page.wait_for_url("**anio=2023**")
    assert "Avance 2023" in page.locator("main").inner_text() and "111.6%" in page.locator("main").inner_text()


def test_matrix_filter_by_band_and_csv_download(page, server):
    login(page, server)
    page.goto(server + "/planes/pnp2030/matriz/")
    page.get_by_label("Semáforo").select_option("rojo")
    page.wait_for_url("**banda=rojo**")  # HTMX pushed the filtered URL
    page.get_by_text("17 indicadores mostrados").wait_for()
    bands = page.locator("tr.ind").evaluate_all("rows => rows.map(r => r.dataset.band)")
    assert len(bands) == 17 and set(bands) == {"rojo"}
    with page.expect_download() as info:
        page.get_by_test_id("download-csv").click()
    content = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(content)) if r["Nivel"] in ("IOP", "ISS")]
    assert len(rows) == 17 and {r["Semáforo"] for r in rows} == {"rojo"}
    assert next(r for r in rows if r["Código"] == "IOP.01.02")["Avance 2024 (%)"] == "68.7"


def test_portal_works_logged_out(page, server):
    page.goto(server + "/")
    page.wait_for_url(server + "/transparencia/")
    assert "69.0%" in page.get_by_test_id("portal-index-pnp2030").inner_text()
    page.get_by_role("link", name="Política Nacional Penitenciaria al 2030").click()
    page.wait_for_url("**/transparencia/pnp2030/2024/")
    page.get_by_role("link", name="IOP.06.02").first.click()
    assert "4.0%" in page.locator("main").inner_text()


def test_keyboard_and_labels(page, server):
    page.goto(server + "/transparencia/pnp2030/2024/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Saltar al contenido"
    unlabeled = page.evaluate("""() => [...document.querySelectorAll('select, input:not([type=hidden])')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).length""")
    assert unlabeled == 0
    assert page.evaluate("() => [...document.images].every(i => i.alt)")


def _csp_violations(page) -> list:
    """Listen for Content-Security-Policy violations (inline script or style, foreign assets)."""
    page.add_init_script("""window.__csp = []; document.addEventListener('securitypolicyviolation',
        e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));""")
    return page


@pytest.mark.parametrize("path", ["/transparencia/pnp2030/2024/", "/planes/pnp2030/", "/planes/pnp2030/matriz/",
                                  "/planes/pnp2030/indicadores/IOP.02.01/", "/campanas/", "/cuentas/clave/", "/gestion/planes/pnp2030/",
                                  "/gestion/planes/pnp2030/metas/?elemento=OP.01", "/gestion/planes/pnp2030/estructura/"])
def test_no_page_breaks_the_content_security_policy(page, server, path):
    """Issue 8, item 15: a strict CSP (no inline script or style) and every page still works."""
    _csp_violations(page)
    login(page, server)
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    assert page.evaluate("() => typeof htmx") == "object"  # the local scripts ran


def test_swagger_ui_works_under_the_policy(page, server):
    _csp_violations(page)
    page.goto(server + "/api/docs")
    page.get_by_text("Vigía API").first.wait_for()
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 16
    assert page.evaluate("window.__csp") == []


def test_year_selector_and_report_buttons_work_without_inline_script(page, server):
    _csp_violations(page)
    login(page, server)
    page.goto(server + "/planes/pnp2030/")
    page.get_by_label("Año", exact=True).select_option("2022")
    page.wait_for_url("**anio=2022**")
    with page.expect_download(timeout=60000) as info:
        page.get_by_role("link", name="Descargar Excel (XLSX)").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    assert "Listo:" in page.locator(".report-status").inner_text()
    assert page.evaluate("window.__csp") == []


def test_gunicorn_neither_names_itself_nor_answers_in_english(server):
    """Issue 8, items 14-15: no Server header; gunicorn's own error page for a malformed request is Spanish."""
    response = urllib.request.urlopen(server + "/transparencia/")
    assert response.headers.get("Server") is None
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"GET / HTTP/9.9\r\nHost: x\r\n\r\n")
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and b"Server:" not in head
    assert "La solicitud no es válida" in body.decode() and "Bad Request" not in body.decode()


def test_the_planning_office_maintains_its_plans(page, own_server, tmp_path):
    """Done when of issue 13: export the policy, add 2025-2030 targets in Excel, load them as a new
    version citing its resolution, see the 2030 outlook change, lock 2024, set up another entity's plan."""
    server = own_server
    import plan_books
    from openpyxl import load_workbook

    login(page, server)
    page.get_by_role("link", name="Gestión de planes").click()
    page.get_by_role("link", name="Política Nacional Penitenciaria al 2030").click()
    page.wait_for_url(server + "/gestion/planes/pnp2030/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar el libro del plan (.xlsx)").click()
    book = tmp_path / "politica.xlsx"
    download.value.save_as(book)
    wb = load_workbook(book)
    ws = wb["Matriz"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "IOP.02.01")
    for year, value in zip(range(2025, 2031), [55, 58, 61, 64, 67, 70]):
        row[header.index(f"Logro esperado {year}")].value = value
    wb.save(book)

    page.get_by_label("Libro del plan (.xlsx)").set_input_files(str(book))
    page.get_by_label("Norma que aprueba la modificación").fill("Resolución Ministerial N° 0123-2025-JUS")
    page.get_by_label("Rige desde").fill("2025-03-15")
    page.get_by_role("button", name="Revisar el libro").click()
    assert "logro esperado 2030 (RS-2024)" in page.content()
    page.get_by_role("button", name="Registrar la nueva versión").click()
    assert "Versión 2 de pnp2030 registrada" in page.content()

    page.goto(server + "/planes/pnp2030/")
    outlook = page.locator("#perspectiva").inner_text()
    assert "En camino" in outlook and "IOP.02.01" in outlook

    page.goto(server + "/gestion/planes/pnp2030/")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="2024", exact=True))
    row.get_by_label("Motivo").fill("Reporte de seguimiento 2024 publicado")
    row.get_by_role("button", name="Bloquear").click()
    assert "2024: bloqueado" in page.content()

    new_plan = tmp_path / "pronacej.xlsx"
    new_plan.write_bytes(plan_books.xlsx())
    page.goto(server + "/gestion/planes/")
    page.get_by_label("Libro del plan (.xlsx)").set_input_files(str(new_plan))
    page.get_by_role("button", name="Revisar el libro").click()
    page.get_by_role("button", name="Crear el plan").click()
    page.goto(server + "/planes/pronacej-pei/")
    assert "Actividad: elementos e indicadores" in page.content()
