"""The application in real headless Chromium (Debian's chromium, driven by Playwright), served by
`vigia serve` (gunicorn) exactly as a user starts it."""

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "clave-de-prueba-2030"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served(str):
    """The server's URL, carrying the environment that points the CLI at the same database."""

    def __new__(cls, url, env):
        obj = super().__new__(cls, url)
        obj.env = env
        return obj


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    env = {**os.environ, "VIGIA_DATA_DIR": str(tmp_path_factory.mktemp("data")), "VIGIA_ADMIN_PASSWORD": PASSWORD,
           "VIGIA_ADMIN_USER": "admin"}
    vigia = Path(sys.executable).with_name("vigia")
    proc = subprocess.Popen([str(vigia), "serve", "--port", str(port), "--workers", "2"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/transparencia/", timeout=2)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("vigia serve terminó: " + proc.stdout.read())
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("vigia serve no respondió en 90 s")
    yield Served(url, env)
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Falta Chromium (paquete Debian chromium): make test lo instala")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="es-PE")
    yield context.new_page()
    context.close()


def login(page, server, user="admin", password=PASSWORD):
    page.goto(server + "/planes/")
    assert "/cuentas/ingresar/" in page.url
    page.get_by_label("Usuario").fill(user)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(server + "/planes/")


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
    chart = page.get_by_role("img", name="Gráfico de evolución de IOP.02.01")
    chart.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", chart.element_handle())
    page.get_by_label("Año").select_option("2023")
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


def test_phone_width_has_no_page_overflow(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(server + "/transparencia/pnp2030/2024/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    context.close()


def vigia_cli(server, *args, stdin=""):
    vigia = Path(sys.executable).with_name("vigia")
    result = subprocess.run([str(vigia), *args], env=server.env, capture_output=True, text=True, timeout=60, input=stdin)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def as_user(browser, server, user, password):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE")
    page = context.new_page()
    login(page, server, user, password)
    return page


def _csp_violations(page) -> list:
    """Listen for Content-Security-Policy violations (inline script or style, foreign assets)."""
    page.add_init_script("""window.__csp = []; document.addEventListener('securitypolicyviolation',
        e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));""")
    return page


@pytest.mark.parametrize("path", ["/transparencia/pnp2030/2024/", "/planes/pnp2030/", "/planes/pnp2030/matriz/",
                                  "/planes/pnp2030/indicadores/IOP.02.01/", "/campanas/", "/cuentas/clave/"])
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
    page.get_by_label("Año").select_option("2022")
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
