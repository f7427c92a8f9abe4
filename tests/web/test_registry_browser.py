"""The registry pages in Chromium: maps of Peru drawn from the bundled GeoJSON with their tables,
keyboard reading, sorting the establishments, choosing a measure; `vigia serve --demo`."""

from __future__ import annotations

import re

import pytest

from .browsing import PASSWORD, as_user, charts_drawn, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def analyst_page(browser, server):
    page = as_user(browser, server, "admin", PASSWORD)
    yield page
    page.context.close()


def test_maps_draw_every_department_with_a_table_beside(anonymous_page, server):
    page = anonymous_page
    page.goto(server + "/transparencia/pei-inpe/registro/")
    charts_drawn(page)
    for key in ("mapa-departamentos", "mapa-oficinas"):
        areas = page.locator(f"#{key} svg path").count()
        assert areas >= 25, (key, areas)  # the 25 departments (and the legend)
        table = page.locator("figure", has=page.locator(f"#{key}")).locator("details.vchart-data")
        assert table.get_attribute("open") is not None and table.locator("tbody tr").count() >= 5
    canvas = page.locator("#mapa-departamentos")
    canvas.focus()
    page.keyboard.press("ArrowRight")
    live = page.locator("#mapa-departamentos ~ .vchart-live").inner_text()
    assert re.match(r"^[A-ZÁÉÍÓÚÑ][\w ÁÉÍÓÚÑáéíóúñ]+: sobrepoblación ", live), live
    assert page.locator("#serie-mensual svg").count() == 1


def test_sorting_and_choosing_a_measure(analyst_page, server):
    page = analyst_page
    page.goto(server + "/planes/pei-inpe/registro/")
    charts_drawn(page)
    page.get_by_role("link", name="Valor").click()
    charts_drawn(page)
    assert "orden=valor" in page.url
    values = [float(v.replace(",", "").rstrip("%")) for v in page.locator("table.sortable tbody tr td:nth-child(6)").all_inner_texts()
              if v and v[0] in "-0123456789"]
    assert values == sorted(values, reverse=True) and len(values) > 20
    page.get_by_label("Medida").select_option("sin_sentencia")
    page.get_by_label("Serie de").select_option(index=2)
    page.get_by_role("button", name="Ver").click()
    charts_drawn(page)
    assert page.get_by_role("heading", name=re.compile("Población sin sentencia al")).count() == 1
    assert "Población sin sentencia por mes — Oficina Regional" in page.locator("#serie-mensual-titulo").inner_text()


@pytest.fixture(scope="module")
def anonymous_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE")
    yield context.new_page()
    context.close()


def test_serve_demo_uses_its_own_directory_and_says_so(tmp_path, browser):
    real = tmp_path / "vigia"
    served = serve(real, "--demo", workers=1, wait=180, VIGIA_DEMO_PEOPLE="2000")
    url = next(served)
    try:
        context = browser.new_context(locale="es-PE")
        page = context.new_page()
        for path in ["/transparencia/", "/transparencia/pei-inpe/registro/", "/cuentas/ingresar/"]:
            page.goto(url + path)
            assert page.locator(".demo-banner").inner_text().startswith("DATOS DE DEMOSTRACIÓN"), path
        assert page.goto(url + "/transparencia/pei-inpe/registro/").status == 200
        assert page.locator('[data-testid="registro-nacional"]').inner_text().endswith("%")
        context.close()
    finally:
        next(served, None)
    demo_dir = tmp_path / "vigia-demo"
    assert (demo_dir / "registro" / "registro.duckdb").exists() and (demo_dir / "vigia.sqlite3").exists()
    assert not real.exists() or not any(real.iterdir())  # the real installation is untouched
