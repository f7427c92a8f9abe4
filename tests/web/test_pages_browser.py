"""Every page type in real Chromium: accessibility (axe-core), no horizontal overflow from 320 to
1920 px, charts under a strict Content-Security-Policy, keyboard and downloads of the charts, and
focus on the first invalid field after a rejected form."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .browsing import PASSWORD, as_user, charts_drawn, open_campaign

pytestmark = [pytest.mark.browser, pytest.mark.pages]

AXE = Path(__file__).resolve().parents[2] / ".test-assets" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = [320, 375, 390, 414, 768, 900, 1024, 1280, 1366, 1440, 1920]
PUBLIC = [
    "/transparencia/",
    "/transparencia/pnp2030/2024/",
    "/transparencia/pnp2030/2024/?banda=rojo",
    "/transparencia/pei-inpe/2024/",
    "/transparencia/pp-creo/",
    "/transparencia/pnp2030/2024/indicadores/IOP.02.01/",
    "/transparencia/pei-inpe/2024/indicadores/IND.01.AEI.01.03/",
    "/transparencia/buscar/?buscar=salud",
    "/cuentas/ingresar/",
    "/transparencia/pei-inpe/registro/",
    "/transparencia/pnp2030/registro/?medida=sin_sentencia&unidad=office:Lima",
    "/transparencia/pei-inpe/2024/indicadores/IND.01.OEI.01/",
]
INTERNAL = [
    "/gestion/planes/",
    "/gestion/planes/pnp2030/",
    "/gestion/planes/pnp2030/metas/?elemento=OP.01",
    "/gestion/planes/pnp2030/estructura/",
    "/gestion/planes/pnp2030/fichas/IOP.01.02/",
    "/planes/",
    "/planes/pnp2030/",
    "/planes/pnp2030/?anio=2021",
    "/planes/pei-inpe/",
    "/planes/pp-creo/",
    "/planes/pnp2030/matriz/",
    "/planes/pnp2030/matriz/?banda=rojo",
    "/planes/pei-inpe/matriz/",
    "/planes/pnp2030/indicadores/IOP.02.01/",
    "/planes/pnp2030/indicadores/ISS.04.05.04.01/",
    "/pendientes/",
    "/campanas/",
    "/campanas/nueva/",
    "{campaign}",
    "{campaign}grilla/",
    "{campaign}configurar/",
    "{campaign}reportes/IND.01.OEI.01/",
    "/cuenta/",
    "/planes/pei-inpe/indicadores/IND.01.OEI.01/logro/2026/",
    "/planes/pnp2030/matriz/importar/",
    "/compromisos/",
    "/notificaciones/",
    "/planes/pei-inpe/registro/",
    "/planes/pnp2030/registro/?medida=m2_por_interno&orden=valor&dir=desc",
    "/planes/pei-inpe/registro/?medida=reingreso_5a",
    "/planes/pnp2030/indicadores/IOP.01.02/",
]
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


@pytest.fixture(scope="module")
def admin(browser, server):
    page = as_user(browser, server, "admin", PASSWORD, bypass_csp=True, accept_downloads=True)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def campaign(admin, server):
    """A campaign of the PEI for 2026, opened in the page as the planning office does."""
    url = open_campaign(admin, server, "pei-inpe", "Evaluación PEI 2026 (pruebas de páginas)", 2026, "2027-01-04", "2027-03-31")
    return url.split(server, 1)[1]


@pytest.fixture(scope="module")
def anonymous(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE", bypass_csp=True)
    yield context.new_page()
    context.close()


def _pages(campaign):
    return [("anonymous", p) for p in PUBLIC] + [("admin", p.format(campaign=campaign)) for p in INTERNAL]


def _open(page, url):
    response = page.goto(url)
    assert response.status < 400, (url, response.status)
    charts_drawn(page)


def _axe(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("Falta axe-core: ejecute scripts/test-assets (make test lo hace)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        if (r.passes.length < 10) return [{id: 'axe-did-not-run', impact: 'critical', nodes: []}];
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
          .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return result


def test_every_page_passes_axe_without_serious_violations(admin, anonymous, campaign, server):
    found = {}
    for who, path in _pages(campaign):
        page = admin if who == "admin" else anonymous
        _open(page, server + path)
        violations = _axe(page)
        if violations:
            found[path] = violations
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_no_page_overflows_horizontally_from_320_to_1920_px(admin, anonymous, campaign, server):
    overflowing = []
    for who, path in _pages(campaign):
        page = admin if who == "admin" else anonymous
        page.set_viewport_size({"width": 1280, "height": 900})
        _open(page, server + path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            try:  # the layout settles (charts redraw on resize); a page that stays wide is the failure
                page.wait_for_function("w => document.documentElement.scrollWidth <= w", arg=width, timeout=3000)
            except PlaywrightTimeout:
                pass
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                culprit = page.evaluate("""w => [...document.querySelectorAll('main *')]
                    .filter(e => e.getBoundingClientRect().right > w + 1).slice(-1)
                    .map(e => e.tagName + '.' + e.className)[0]""", width)
                overflowing.append(f"{path} a {width} px: {wide} px ({culprit})")
    admin.set_viewport_size({"width": 1280, "height": 900})
    anonymous.set_viewport_size({"width": 1280, "height": 900})
    assert not overflowing, "\n".join(overflowing)


def test_charts_draw_under_a_strict_content_security_policy(browser, server):
    """No inline code or styles: with the policy the hardening adds, charts draw and nothing is blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE")
    context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                            " e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));")

    def with_csp(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    context.route(lambda url: "/static/" not in url, with_csp)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in ["/transparencia/pnp2030/2024/", "/transparencia/pnp2030/2024/indicadores/IOP.02.01/", "/transparencia/pei-inpe/2024/",
                 "/transparencia/pei-inpe/registro/"]:
        _open(page, server + path)
        drawn = page.locator(".vchart-ready .vchart-canvas > div > svg").count()
        assert drawn >= 1 and drawn == page.locator("[data-vchart]").count(), path
        page.locator(".vchart-canvas").first.hover()
        page.mouse.move(700, 400)
        page.wait_for_timeout(200)
        assert page.evaluate("window.__csp") == [], (path, page.evaluate("window.__csp"))
    assert not errors
    context.close()


def test_chart_keyboard_tooltip_and_downloads(anonymous, server):
    _open(anonymous, server + "/transparencia/pnp2030/2024/")
    bars = anonymous.locator("#grafico-objetivos")
    bars.focus()
    anonymous.keyboard.press("ArrowRight")
    live = anonymous.locator("#grafico-objetivos ~ .vchart-live")
    assert live.inner_text().startswith("OP.01 ") and "68.7%" in live.inner_text()
    anonymous.keyboard.press("ArrowRight")
    assert "OP.02" in live.inner_text() and "89.0%" in live.inner_text()
    figure = anonymous.locator("figure", has=bars)
    with anonymous.expect_download() as info:
        figure.get_by_role("button", name="Datos CSV").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["codigo", "denominacion", "avance", "semaforo"] and rows[1][0] == "OP.01" and rows[1][2] == "68.7"
    with anonymous.expect_download() as info:
        figure.get_by_role("button", name="Imagen SVG").click()
    assert "<svg" in Path(info.value.path()).read_text(encoding="utf-8")
    with anonymous.expect_download() as info:
        figure.get_by_role("button", name="Imagen PNG").click()
    assert Path(info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    figure.get_by_text("Ver los datos del gráfico").click()
    assert "OP.06" in figure.get_by_role("table").inner_text()


def test_phone_shows_the_index_and_objective_bars_first(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-PE")
    page = context.new_page()
    _open(page, server + "/transparencia/pnp2030/2024/")
    index_top = page.get_by_test_id("index").bounding_box()["y"]
    bars_top = page.locator("#grafico-objetivos").bounding_box()["y"]
    bands_top = page.locator("#grafico-semaforo").bounding_box()["y"]
    matrix_top = page.locator("#matriz").bounding_box()["y"]
    assert index_top < 400 and index_top < bars_top < bands_top < matrix_top
    card = page.locator('tr.ind[data-code="IOP.02.01"]')  # the matrix as cards: the avance is in view
    assert card.bounding_box()["width"] <= 390 and "125.7%" in card.inner_text()
    context.close()


def test_matrix_keeps_the_avance_in_view_on_a_laptop(admin, server):
    admin.set_viewport_size({"width": 1366, "height": 768})
    _open(admin, server + "/planes/pnp2030/matriz/?banda=rojo")
    header = admin.get_by_role("columnheader", name="Avance 2024")
    assert header.bounding_box()["x"] + header.bounding_box()["width"] <= 1366
    admin.locator(".matrix-wrap").evaluate("el => el.scrollBy(600, 400)")  # header and code stay put
    code = admin.locator("thead th.sticky-1").bounding_box()
    first = admin.locator("tbody th.sticky-1").first.bounding_box()
    wrap = admin.locator(".matrix-wrap").bounding_box()
    assert abs(code["y"] - wrap["y"]) < 2 and abs(first["x"] - wrap["x"]) < 2
    admin.set_viewport_size({"width": 1280, "height": 900})


def test_focus_moves_to_the_first_invalid_field(admin, anonymous, campaign, server):
    admin.goto(server + campaign + "reportes/IND.01.OEI.01/")
    admin.get_by_label("Valor obtenido 2026").fill("abc")
    admin.get_by_role("button", name="Guardar").click()
    admin.locator(".error[role=alert]").wait_for()
    focused = admin.evaluate("""() => ({id: document.activeElement.id, invalid: document.activeElement.getAttribute('aria-invalid'),
        described: (document.activeElement.getAttribute('aria-describedby') || '').split(' ')
          .map(i => document.getElementById(i)).filter(Boolean).map(e => e.textContent).join(' ')})""")
    assert focused["id"] == "value" and focused["invalid"] == "true" and "valor obtenido" in focused["described"]
    anonymous.goto(server + "/cuentas/ingresar/")
    anonymous.get_by_label("Usuario").fill("nadie")
    anonymous.get_by_label("Contraseña").fill("clave-equivocada")
    anonymous.get_by_role("button", name="Ingresar").click()
    anonymous.locator(".error[role=alert]").wait_for()
    assert anonymous.evaluate("document.activeElement.id") == "id_username"
    assert anonymous.get_by_label("Contraseña").get_attribute("aria-invalid") == "true"


def test_outlook_table_filters_in_place(anonymous, server):
    _open(anonymous, server + "/transparencia/pnp2030/2024/")
    anonymous.get_by_label("Perspectiva", exact=True).select_option("sin-datos")
    anonymous.wait_for_function("""() => { const tags = [...document.querySelectorAll('#perspectiva-tabla tbody .outlook-tag')];
        return tags.length > 0 && tags.every(t => t.textContent === 'sin datos suficientes'); }""")
    labels = anonymous.locator("#perspectiva-tabla tbody .outlook-tag").all_inner_texts()
    assert labels and set(labels) == {"sin datos suficientes"}
    assert anonymous.url.endswith("/transparencia/pnp2030/2024/")  # the page stayed; only the table changed
