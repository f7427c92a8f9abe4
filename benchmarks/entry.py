"""Benchmark: reporting at spreadsheet speed (issue 9).

Against a fresh SQLite database holding the official policy data and a 2025 campaign of all 49
indicators, through Django's whole request path (test client, sessions and CSRF middleware):

* the server time to render the entry grid of the 49 indicators (the planning office's view);
* the server time to save all 49 rows at once («Guardar todo»);
* a scripted INPE operator session that reports its 47 indicators — login, «Mis pendientes», the
  grid, one live-avance request per line typed, «Enviar a revisión», the grid again — with the
  requests it takes and their server time, beside the same work one report per page (issue 9's
  starting point: the form, «Guardar», «Enviar a revisión» and their redirects, per indicator).

    python benchmarks/entry.py                  # prints the figures (medians of 10 runs)
    python benchmarks/entry.py --check          # exit status 1 if a target is missed
    python benchmarks/entry.py --smoke --check  # 3 runs (make test): every request must succeed; targets printed, not enforced

Targets: grid under 150 ms, saving 49 rows under 500 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from campaign_db import policy_campaign

GRID_MS, SAVE_MS = 150.0, 500.0
PASSWORD = "clave-de-benchmark-2030"


def setup():
    return policy_campaign("entry", PASSWORD)


def client(user=None):
    from django.test import Client

    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def bases(user, campaign) -> dict[int, float]:
    """A valid value per report: the year before's, or 1 (the grid's previous-year column)."""
    from vigia.reporting import batch, grid

    subs = grid.reports(user, campaign)
    previous = batch.previous_actuals(campaign, subs)
    return {s.pk: previous.get(s.indicator_id) if previous.get(s.indicator_id) is not None else 1.0 for s in subs}


def grid_form(user, campaign, values: dict[int, float], action: str = "guardar") -> dict:
    """The grid as the browser posts it, with ``values`` typed into the value boxes."""
    from vigia.reporting import grid

    data = {"accion": action}
    for s in grid.reports(user, campaign):
        typed = {**grid.stored(s), "value": f"{values[s.pk]:.6g}", "justification": "Variación explicada en el informe"}
        data.update({f"r{s.pk}-{k}": v for k, v in typed.items()}, **{f"r{s.pk}-version": s.version})
    return data


def grid_and_save(office, campaign, runs: int) -> tuple[float, float]:
    url = f"/campanas/{campaign.pk}/grilla/"
    c = client(office)
    c.get(url)  # warm: the plan's data and templates are read once per process
    base = bases(office, campaign)
    renders, saves = [], []
    for k in range(runs):
        ms, response = timed(lambda: c.get(url))
        assert response.status_code == 200 and response.content.count(b'class="entry-row') == 49, response.status_code
        renders.append(ms)
        values = {pk: v * (1 - (k + 1) * 1e-4) for pk, v in base.items()}
        form = grid_form(office, campaign, values)
        ms, response = timed(lambda: c.post(url, form))
        assert response.status_code == 302, response.content[:2000]
        saves.append(ms)
    return statistics.median(renders), statistics.median(saves)


def operator_session(operator, campaign) -> tuple[int, float]:
    """Requests and server milliseconds for an operator reporting its 47 indicators from the grid."""
    from vigia.reporting import grid

    c, requests, total = client(), 0, 0.0

    def hit(method, url, data=None):
        nonlocal requests, total
        ms, response = timed(lambda: getattr(c, method)(url, data or {}))
        requests += 1
        total += ms
        assert response.status_code in (200, 302), (url, response.status_code)
        return response

    hit("get", "/cuentas/ingresar/")
    hit("post", "/cuentas/ingresar/", {"username": "op_inpe", "password": PASSWORD})
    hit("get", "/pendientes/")
    url = f"/campanas/{campaign.pk}/grilla/"
    hit("get", url)
    values = bases(operator, campaign)
    for s in grid.reports(operator, campaign):  # one live-avance request per line typed (debounced in the browser)
        hit("get", f"{url}{s.pk}/avance/", {"value": f"{values[s.pk]:.6g}"})
    hit("post", url, grid_form(operator, campaign, values, action="enviar"))
    hit("get", url)
    return requests, total


def page_per_report(operator, campaign) -> tuple[int, float]:
    """The same 47 reports one page each: the form, «Guardar», «Enviar a revisión» and their redirects."""
    from vigia.reporting import grid

    c, requests, total = client(operator), 0, 0.0
    values = bases(operator, campaign)
    for s in grid.reports(operator, campaign):
        url = f"/campanas/{campaign.pk}/reportes/{s.indicator.code}/"
        for method, data in (("get", None), ("post", {"accion": "guardar", "version": s.version, "value": f"{values[s.pk]:.6g}",
                                                      "justification": "Variación explicada"}),
                             ("get", None), ("post", {"accion": "enviar"}), ("get", None)):
            ms, _ = timed(lambda: getattr(c, method)(url, data or {}))
            requests += 1
            total += ms
    return requests, total


def run(runs: int, check: bool, smoke: bool = False) -> int:
    office, operator, campaign = setup()
    grid_ms, save_ms = grid_and_save(office, campaign, runs)
    print(f"Grilla de 49 indicadores: {grid_ms:6.1f} ms por página (meta < {GRID_MS:g} ms; mediana de {runs})")
    print(f"Guardar los 49 a la vez:  {save_ms:6.1f} ms (meta < {SAVE_MS:g} ms; mediana de {runs})")
    from vigia.reporting import campaigns as rules
    from vigia.core.models import Plan

    fresh = rules.open_campaign(office, Plan.objects.get(code="pnp2030"), {
        "year": "2026", "deadline": "2099-03-31", "entity": "INPE", "no_target_reason": "Benchmark"}).campaign
    requests, ms = operator_session(operator, fresh)
    print(f"Sesión del operador del INPE (47 indicadores desde la grilla): {requests} solicitudes, {ms / 1000:.2f} s de servidor")
    other = rules.open_campaign(office, Plan.objects.get(code="pnp2030"), {
        "year": "2027", "deadline": "2099-03-31", "entity": "INPE", "no_target_reason": "Benchmark"}).campaign
    requests, ms = page_per_report(operator, other)
    print(f"Lo mismo, un reporte por página (antes del issue 9):           {requests} solicitudes, {ms / 1000:.2f} s de servidor")
    missed = grid_ms >= GRID_MS or save_ms >= SAVE_MS
    if missed:
        print("← fuera de meta" + (" (corrida de humo: se informa, no se exige; la máquina puede estar ocupada)" if smoke else ""))
    return 1 if check and missed and not smoke else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="3 runs instead of 10 (make test)")
    parser.add_argument("--check", action="store_true", help="exit status 1 when a target is missed (not in a smoke run)")
    args = parser.parse_args()
    sys.exit(run(3 if args.smoke else 10, args.check, args.smoke))
