"""What a browser transfers to show a dashboard: first visit (empty cache) and a later visit.

Drives Debian's chromium (Playwright) against `vigia serve` and counts the bytes on the wire
(compressed, as Chrome's network layer reports them) until every chart is drawn.

    python benchmarks/page_weight.py            # prints KB per page; --check: exit 1 over budget

Targets: a first visit under 600 KB compressed; a later visit fetches only the page itself.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import PASSWORD, served  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PAGES = [
    ("tablero política", "/planes/pnp2030/", True),
    ("tablero PEI", "/planes/pei-inpe/", True),
    ("indicador", "/planes/pnp2030/indicadores/IOP.02.01/", True),
    ("portal plan", "/transparencia/pnp2030/2024/", False),
    ("portal indicador", "/transparencia/pnp2030/2024/indicadores/IOP.02.01/", False),
]
BUDGET_KB = 600


class Wire:
    """Bytes and requests that went over the network for one page load (CDP Network events)."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.bytes, self.urls, self.cached = 0, {}, set()
        self.cdp.on("Network.responseReceived", lambda e: self.urls.__setitem__(e["requestId"], e["response"]["url"]))
        self.cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        self.cdp.on("Network.loadingFinished", self._finished)
        self.fetched = []

    def _finished(self, e):
        if e["requestId"] in self.cached or e.get("encodedDataLength", 0) == 0:
            return
        self.bytes += e["encodedDataLength"]
        self.fetched.append(self.urls.get(e["requestId"], "?"))

    def reset(self):
        self.bytes, self.fetched = 0, []


def load(page, wire: Wire, url: str) -> tuple[float, list[str]]:
    wire.reset()
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("() => [...document.querySelectorAll('[data-vchart]')].every(f => f.classList.contains('vchart-ready'))")
    time.sleep(0.3)
    return wire.bytes / 1024, list(wire.fetched)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a first visit is over budget or a later one fetches more than the page")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with served() as (base, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        for name, path, private in PAGES:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-PE")
            page = context.new_page()
            wire = Wire(page)
            if private:
                page.goto(base + "/cuentas/ingresar/")
                page.fill("#id_username", "admin")
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state()
            load(page, wire, base + path)  # the server renders it once; measure as the next visitor sees it
            wire.cdp.send("Network.clearBrowserCache")
            first, first_urls = load(page, wire, base + path)
            later, later_urls = load(page, wire, base + path)
            rows.append({"page": name, "first_kb": round(first, 1), "first_requests": len(first_urls),
                         "later_kb": round(later, 1), "later_requests": len(later_urls),
                         "later_fetched": [u.replace(base, "") for u in later_urls]})
            context.close()
        browser.close()

    print("Transferencia por página (Chromium, bytes comprimidos en la red)")
    print(f"  {'página':<20}{'1.ª visita KB':>14}{'pedidos':>9}{'luego KB':>10}{'pedidos':>9}")
    for r in rows:
        print(f"  {r['page']:<20}{r['first_kb']:>14.1f}{r['first_requests']:>9}{r['later_kb']:>10.1f}{r['later_requests']:>9}")
    print("JSON " + json.dumps(rows, ensure_ascii=False))
    ok = all(r["first_kb"] < BUDGET_KB and r["later_requests"] <= 1 for r in rows)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
