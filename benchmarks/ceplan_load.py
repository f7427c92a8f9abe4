"""CEPLAN's load model against `vigia serve` on this machine, the load generator beside it (loopback).

The requirement published for the newer official application: 3,000 concurrent users, 1,000 of them
doing heavy work; common operations under 2 s, reports and charts under 5 s, downloads under 10 s.
Each simulated user waits a think time (uniform 5-15 s, ~10 s on average) between requests and
picks what to open by profile:

- light users (citizens, decision makers): portal home, plan page and indicator pages, open data;
- heavy users (planning officers, logged in): dashboards, the matrix with filters, indicator pages,
  matrix workbooks and the official reports (DOCX, PDF, XLSX).

Every request opens its own connection (a browser's keep-alive would have expired during the think
time) and asks for gzip. Prints p50/p95/p99 and errors per page; target p95 < 1 s and no errors.

    python benchmarks/ceplan_load.py                      # 3,000 users for 120 s
    python benchmarks/ceplan_load.py --users 120 --seconds 5 --think 1 --check --target-ms 20000   # smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import login, served  # noqa: E402

LIGHT = [  # (name, path, weight)
    ("portal inicio", "/transparencia/", 2),
    ("portal plan", "/transparencia/pnp2030/2024/", 4),
    ("portal plan filtrado", "/transparencia/pnp2030/2024/?banda=rojo", 1),
    ("portal indicador", "/transparencia/pnp2030/2024/indicadores/{indicator}/", 4),
    ("portal PEI", "/transparencia/pei-inpe/2024/", 1),
    ("datos abiertos CSV", "/transparencia/pnp2030/2024/datos.csv", 1),
]
HEAVY = [
    ("tablero política", "/planes/pnp2030/?anio=2024", 3),
    ("tablero PEI", "/planes/pei-inpe/?anio=2024", 2),
    ("matriz", "/planes/pnp2030/matriz/?anio=2024", 2),
    ("matriz filtrada", "/planes/pnp2030/matriz/?anio=2024&banda={band}", 2),
    ("indicador", "/planes/pnp2030/indicadores/{indicator}/?anio=2024", 3),
    ("matriz XLSX", "/planes/pnp2030/matriz.xlsx?anio=2024", 1),
    ("reporte PDF", "/planes/pnp2030/reporte.pdf?anio=2024&tipo=seguimiento", 1),
    ("reporte DOCX", "/planes/pnp2030/reporte.docx?anio=2024&tipo=seguimiento", 1),
    ("informe PEI XLSX", "/planes/pei-inpe/reporte.xlsx?anio=2024&tipo=evaluacion", 1),
]
BANDS = ["rojo", "amarillo", "verde", "ND"]


def indicators(base: str) -> list[str]:
    with urllib.request.urlopen(base + "/api/publico/planes/pnp2030/indicadores?limit=100") as r:
        body = json.load(r)
    items = body["items"] if isinstance(body, dict) else body
    return [i["code"] for i in items]


def warm(base: str, codes: list[str], cookie: str, every: bool = False) -> None:
    """Each page and document requested a few times at once until a round comes back quickly, so every
    server process has made it (their caches are their own), as after a publication; the indicators
    and filters drawn at random during the run start cold, unless ``every`` address is warmed too
    (the steady state of a day without publications)."""
    rng = random.Random(0)
    urls = [base + fill(path, codes, rng) for _, path, _ in LIGHT + HEAVY]
    if every:
        urls += [base + path.format(indicator=code, band=band) for _, path, _ in LIGHT + HEAVY if "{" in path
                 for code in codes for band in BANDS if "{band}" in path or band == BANDS[0]]
        urls = list(dict.fromkeys(urls))

    def get(url):
        urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=120).read()

    with ThreadPoolExecutor(4) as pool:
        for url in urls:
            for _ in range(6):
                start = time.monotonic()
                list(pool.map(get, [url] * 4))
                if time.monotonic() - start < 0.5:
                    break


def fill(path: str, codes: list[str], rng: random.Random) -> str:
    return path.format(indicator=rng.choice(codes), band=rng.choice(BANDS))


async def fetch(host: str, port: int, path: str, cookie: str | None) -> tuple[int, int]:
    """GET over a new connection; returns (status, bytes received)."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        head = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        writer.write((head + "\r\n").encode())
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    match = re.match(rb"HTTP/1\.[01] (\d{3})", data)
    return (int(match.group(1)) if match else 0), len(data)


async def user(k: int, heavy: bool, args, codes, cookies, deadline, results, port):
    rng = random.Random(k)
    mix = HEAVY if heavy else LIGHT
    names, paths, weights = zip(*mix)
    cookie = cookies[k % len(cookies)] if heavy else None
    await asyncio.sleep(rng.uniform(0, args.think * 2))  # users arrive over one think time, not all at once
    while time.monotonic() < deadline:
        i = rng.choices(range(len(mix)), weights)[0]
        start = time.monotonic()
        try:
            status, size = await asyncio.wait_for(fetch("127.0.0.1", port, fill(paths[i], codes, rng), cookie), args.timeout)
            ok = status == 200
        except (OSError, asyncio.TimeoutError):
            ok, size = False, 0
        results[names[i]].append((time.monotonic() - start, ok, size))
        await asyncio.sleep(rng.uniform(args.think * 0.5, args.think * 1.5))


async def run(args, port, codes, cookies) -> dict:
    results: dict[str, list] = defaultdict(list)
    deadline = time.monotonic() + args.seconds
    heavy = round(args.users * args.heavy)
    tasks = [user(k, k < heavy, args, codes, cookies, deadline, results, port) for k in range(args.users)]
    started = time.monotonic()
    await asyncio.gather(*tasks)
    return {"results": results, "elapsed": time.monotonic() - started}


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--heavy", type=float, default=1 / 3, help="share of users doing heavy work (1,000 of 3,000)")
    parser.add_argument("--think", type=float, default=10.0, help="mean think time between a user's requests (s)")
    parser.add_argument("--seconds", type=int, default=120, help="duration of the measured run")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--sessions", type=int, default=20, help="logged-in sessions shared by the heavy users")
    parser.add_argument("--check", action="store_true", help="exit 1 if a p95 misses the target or a request failed")
    parser.add_argument("--target-ms", type=float, default=1000.0, help="p95 target per page (CEPLAN: 1 s)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn processes (default: vigia serve's)")
    parser.add_argument("--threads", type=int, default=None, help="threads per process (default: vigia serve's)")
    parser.add_argument("--warm-all", action="store_true",
                        help="render every address before measuring (steady state) instead of only one of each page")
    args = parser.parse_args()

    options = ["--workers", str(args.workers)] if args.workers else []
    options += ["--threads", str(args.threads)] if args.threads else []
    with served(*options) as (base, _):
        cookies = [login(base) for _ in range(args.sessions)]
        codes = indicators(base)
        warm(base, codes, cookies[0], args.warm_all)
        outcome = asyncio.run(run(args, int(base.rsplit(":", 1)[1]), codes, cookies))

    rows, total, failed = [], 0, 0
    for name, _, _ in LIGHT + HEAVY:
        got = outcome["results"].get(name, [])
        if not got:
            continue
        times = sorted(t * 1000 for t, _, _ in got)
        errors = sum(not ok for _, ok, _ in got)
        total, failed = total + len(got), failed + errors
        rows.append({"page": name, "requests": len(got), "p50_ms": round(percentile(times, 50), 1),
                     "p95_ms": round(percentile(times, 95), 1), "p99_ms": round(percentile(times, 99), 1),
                     "kb": round(statistics.mean(s for _, _, s in got) / 1024, 1), "errors": errors})
    state = "todas las direcciones ya generadas" if args.warm_all else "cachés fríos salvo una dirección de cada página"
    print(f"Modelo de carga de CEPLAN: {args.users} usuarios ({round(args.users * args.heavy)} con trabajo pesado), "
          f"pausa media {args.think:g} s, {outcome['elapsed']:.0f} s, {state}; generador y servidor en esta máquina"
          f" ({os.cpu_count()} núcleos)")
    print(f"  {'página':<22}{'pedidos':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'KB':>8}{'errores':>9}")
    for r in rows:
        print(f"  {r['page']:<22}{r['requests']:>9}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['kb']:>8.1f}{r['errors']:>9}")
    print(f"  total: {total} pedidos ({total / outcome['elapsed']:.1f}/s), {failed} errores")
    print("JSON " + json.dumps({"users": args.users, "heavy": args.heavy, "think_s": args.think, "rows": rows,
                                "requests": total, "errors": failed}))
    ok = failed == 0 and all(r["p95_ms"] < args.target_ms for r in rows)
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
