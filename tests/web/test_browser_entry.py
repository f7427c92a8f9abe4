"""Issue 9 in real headless Chromium: the planning office sets up a campaign with its targets in
one screen, the INPE operator reports from the grid (live avance, Enter down a column, nothing
lost on refusal, unsaved-changes warning), another INPE system posts through the API with a
token, and the analyst reviews from the queue and approves and publishes in bulk."""

import json
import re
import time
import urllib.request

import pytest

from .browsing import PASSWORD, as_user, vigia_cli

pytestmark = pytest.mark.browser


def _csp(page):
    page.add_init_script("""window.__csp = []; document.addEventListener('securitypolicyviolation',
        e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));""")
    return page


def _confirming(page):
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _line(page, code):
    return page.locator(f'tr.entry-row[data-code="{code}"]')


def test_reporting_cycle_with_the_grid_the_api_and_bulk_review(browser, server):
    vigia_cli(server, "users", "op_inpe", "--rol", "operador", "--entidad", "INPE", "--clave-stdin", stdin="clave-operador-2030\n")
    vigia_cli(server, "users", "analista", "--rol", "analista", "--clave-stdin", stdin="clave-analista-2030\n")

    # The planning office: an INPE campaign for 2025 with its targets, in one screen
    admin = _confirming(_csp(as_user(browser, server, "admin", PASSWORD)))
    admin.goto(server + "/campanas/nueva/")
    admin.get_by_label("Año", exact=True).fill("2025")
    admin.locator("#s-entity").select_option("INPE")
    admin.get_by_role("button", name="Mostrar indicadores y metas").click()
    admin.wait_for_url("**entity=INPE**")
    assert admin.locator('input[name="indicators"]:checked').count() == 47
    admin.locator("#f-objective").select_option("OP.03")
    assert admin.locator("table.setup tbody tr:visible").count() == 6
    admin.locator("#f-objective").select_option("")
    admin.get_by_label("Logro esperado 2025 de IOP.03.01").fill("60")
    admin.get_by_label("Logro esperado 2025 de IOP.02.01").fill("55")
    assert "45 sin logro esperado" in admin.locator("[data-readiness]").inner_text()
    admin.get_by_label("Plazo").fill("2099-03-31")
    admin.get_by_role("button", name="Abrir campaña").click()
    admin.get_by_text("no tienen logro esperado 2025").wait_for()  # refused: the reason is missing, and nothing typed is lost
    assert admin.get_by_label("Logro esperado 2025 de IOP.03.01").input_value() == "60"
    admin.get_by_label("Motivo para abrir con indicadores sin logro esperado").fill("Metas 2025 en aprobación (R.M. en trámite)")
    admin.get_by_role("button", name="Abrir campaña").click()
    admin.get_by_text("Campaña abierta con 47 indicadores; 2 logros esperados fijados").wait_for()
    campaign_url = admin.url
    campaign_id = re.search(r"/campanas/(\d+)/", campaign_url).group(1)

    # The INPE operator lands on its queue and reports from the grid
    operador = _confirming(_csp(browser.new_context(viewport={"width": 1400, "height": 900}, locale="es-PE").new_page()))
    operador.goto(server + "/cuentas/ingresar/")
    operador.get_by_label("Usuario").fill("op_inpe")
    operador.get_by_label("Contraseña").fill("clave-operador-2030")
    operador.get_by_role("button", name="Ingresar").click()
    operador.wait_for_url(server + "/pendientes/")
    assert "47" in operador.locator("header").inner_text()
    operador.get_by_role("link", name=re.compile("Abrir la grilla de registro")).click()
    operador.wait_for_url(f"**/campanas/{campaign_id}/grilla/")
    assert operador.locator("tr.entry-row").count() == 47
    value = operador.get_by_label("Valor obtenido 2025 de IOP.03.01")
    value.fill("13,2")
    line = _line(operador, "IOP.03.01")
    line.locator('[data-out="progress"]').get_by_text("22.0%").wait_for()
    assert "rojo" in line.inner_text() and "+19.9%" in line.inner_text()
    value.press("Enter")  # down the column
    assert operador.evaluate("document.activeElement.getAttribute('aria-label')") == "Valor obtenido 2025 de IOP.03.02"
    operador.get_by_label("Valor obtenido 2025 de IOP.02.01").fill("58.5")
    _line(operador, "IOP.02.01").locator('[data-out="progress"]').get_by_text("106.4%").wait_for()
    operador.get_by_label("Valor obtenido 2025 de IOP.02.02").fill("150")
    operador.locator('[data-notes-for="IOP.02.02"]').get_by_text("supera el máximo válido").wait_for()
    operador.get_by_role("button", name="Enviar a revisión las filas completas").click()
    operador.get_by_text("No se guardó nada: 1 problema").wait_for()
    assert operador.get_by_label("Valor obtenido 2025 de IOP.03.01").input_value() == "13,2"  # nothing typed is lost
    operador.get_by_label("Valor obtenido 2025 de IOP.02.02").fill("")
    operador.get_by_role("button", name="Enviar a revisión las filas completas").click()
    operador.get_by_text("Se guardaron 2 reportes y se enviaron 2 a revisión").wait_for()
    assert operador.evaluate("window.__csp") == []
    leaving = "() => { const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; }"
    assert operador.evaluate(leaving) is False
    operador.get_by_label("Fuente de IOP.06.02").fill("Registro")  # leaving with unsaved changes warns
    assert operador.evaluate(leaving) is True
    assert "cambios sin guardar" in operador.locator("[data-dirty-note]").inner_text()

    # Another INPE system posts through the API with a token
    token = vigia_cli(server, "tokens", "create", "op_inpe").strip().splitlines()[-1]
    request = urllib.request.Request(
        f"{server}/api/campanas/{campaign_id}/reportes/", method="POST",
        data=json.dumps([{"indicator": "IOP.05.01", "value": 36.5, "source": "Sistema INPE", "version": 0, "submit": True}]).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": "inpe-2025-1"})
    answer = json.load(urllib.request.urlopen(request))
    assert (answer["saved"], answer["submitted"], answer["results"][0]["state"]) == (1, 1, "submitted")

    # The analyst reviews from the queue, then approves and publishes in bulk
    analista = _confirming(_csp(as_user(browser, server, "analista", "clave-analista-2030")))
    analista.goto(server + "/pendientes/")
    queue = analista.locator('[data-queue="revisar"]')
    assert "(3)" in queue.locator("h2").inner_text()
    queue.get_by_role("link", name="IOP.02.01").click()
    analista.get_by_text("1 de 3 en «revisar»").wait_for()
    main = analista.locator("main").inner_text()
    assert "58.50%" in main and "55.00%" in main and "106.4%" in main and "verde" in main
    chart = analista.get_by_role("img", name=re.compile("Gráfico de evolución de IOP.02.01"))
    analista.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle(), timeout=30000)
    analista.get_by_role("link", name=re.compile("Siguiente")).click()
    analista.get_by_text("2 de 3 en «revisar»").wait_for()
    analista.goto(server + "/pendientes/")
    analista.locator('[data-queue="revisar"]').get_by_label("Seleccionar todos").check()
    analista.get_by_role("button", name="Aprobar seleccionados").click()
    analista.get_by_text("3 reportes aprobados").wait_for()
    analista.locator('[data-queue="publicar"]').get_by_label("Seleccionar todos").check()
    analista.get_by_role("button", name="Publicar seleccionados").click()
    analista.get_by_text("3 reportes publicados").wait_for()
    assert analista.evaluate("window.__csp") == []

    public = browser.new_context().new_page()
    for _ in range(20):  # the portal's cache learns of a publication within a second
        public.goto(server + "/transparencia/pnp2030/2025/indicadores/IOP.03.01/")
        text = public.locator("main").inner_text()
        if "22.0%" in text:
            break
        time.sleep(0.5)
    assert "13.20%" in text and "22.0%" in text and "rojo" in text and "validado" in text
    public.goto(server + "/transparencia/pnp2030/")  # three of 49 published: 2025 is only «en curso»
    public.wait_for_url("**/transparencia/pnp2030/2024/")
    assert "2025 en curso (3 de 49 indicadores publicados)" in public.locator("main").inner_text()


@pytest.mark.parametrize("path", ["/pendientes/", "/campanas/nueva/", "/cuenta/"])
def test_new_pages_keep_the_content_security_policy(browser, server, path):
    page = _csp(as_user(browser, server, "admin", PASSWORD))
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
    unlabeled = page.evaluate("""() => [...document.querySelectorAll('select, input:not([type=hidden]), textarea')]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).length""")
    assert unlabeled == 0
