"""Load benchmark of the web application served by `vigia serve` (gunicorn), loopback only.

For each page and API endpoint, wrk (Debian package) opens 50 and then 300 concurrent
connections for a bounded time and reports p50/p95/p99 latency, throughput and errors. Also
times a cold `vigia load` of every bundled dataset into a new SQLite database.

    python benchmarks/web_load.py                 # SQLite (embedded)
    scripts/with-postgres python benchmarks/web_load.py   # PostgreSQL (DATABASE_URL)
    python benchmarks/web_load.py --seconds 2 --clients 10  # smoke run

Targets on a 2-core machine: p95 < 150 ms at 50 clients, no errors at 300, cold load < 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import login, served, vigia  # noqa: E402

LUA = r"""
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d %d %.3f %.3f %.3f\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""
ENDPOINTS = [
    ("tablero", "/planes/pnp2030/?anio=2024", True),
    ("matriz", "/planes/pnp2030/matriz/?anio=2024", True),
    ("indicador", "/planes/pnp2030/indicadores/IOP.02.01/?anio=2024", True),
    ("portal", "/transparencia/pnp2030/2024/", False),
    ("api avance", "/api/publico/planes/pnp2030/avance/2024", False),
    ("api indicadores", "/api/publico/planes/pnp2030/indicadores?limit=50", False),
]


def cold_load(env: dict) -> tuple[float, float]:
    """Seconds to create an empty database (migrations), then to load every bundled dataset into it."""
    data = tempfile.mkdtemp(prefix="vigia-bench-load-")
    env = {**env, "VIGIA_DATA_DIR": data}
    try:
        start = time.perf_counter()
        subprocess.run([vigia(), "manage", "migrate", "-v", "0"], env=env, check=True, capture_output=True)
        migrated = time.perf_counter()
        subprocess.run([vigia(), "load"], env=env, check=True, capture_output=True)
        return migrated - start, time.perf_counter() - migrated
    finally:
        shutil.rmtree(data, ignore_errors=True)


def wrk(url: str, clients: int, seconds: int, cookie: str | None, script: str) -> dict:
    cmd = ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--timeout", "5s", "-s", script, url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    fields = next(line.split()[1:] for line in out.splitlines() if line.startswith("RESULT"))
    requests, c, r, w, status, timeout, duration_us = (int(x) for x in fields[:7])
    p50, p95, p99 = (float(x) for x in fields[7:])
    return {"requests": requests, "rps": round(requests / (duration_us / 1e6), 1), "p50_ms": p50, "p95_ms": p95,
            "p99_ms": p99, "errors": c + r + w + status + timeout}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="duration of each wrk run")
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 300])
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--only", nargs="+", help="endpoints to measure (default: all)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn processes (default: vigia serve's)")
    parser.add_argument("--threads", type=int, default=None, help="threads per process (default: vigia serve's)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("Falta wrk (paquete Debian wrk): apt-get install wrk", file=sys.stderr)
        return 2
    env = dict(os.environ)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    results: dict = {"database": database, "cold_load_s": None, "migrate_s": None, "runs": []}
    if database == "SQLite":
        migrate_s, load_s = cold_load(env)
        results["migrate_s"], results["cold_load_s"] = round(migrate_s, 2), round(load_s, 2)

    options = ["--workers", str(args.workers)] if args.workers else []
    options += ["--threads", str(args.threads)] if args.threads else []
    with served(*options, env=env) as (base, data):
        script = Path(data) / "report.lua"
        script.write_text(LUA)
        cookie = login(base)
        for name, path, private in [e for e in ENDPOINTS if not args.only or e[0] in args.only]:
            urllib.request.urlopen(urllib.request.Request(base + path, headers={"Cookie": cookie} if private else {}))  # warm caches
            for clients in args.clients:
                run = wrk(base + path, clients, args.seconds, cookie if private else None, str(script))
                results["runs"].append({"endpoint": name, "clients": clients, **run})

    shape = f"{args.workers or 'def.'} procesos × {args.threads or 'def.'} hilos"
    print(f"Vigía bajo carga ({database}, gunicorn {shape}, {args.seconds} s por corrida, wrk en loopback)")
    if results["cold_load_s"] is not None:
        print(f"  carga en frío de los datos oficiales (vigia load en una base nueva): {results['cold_load_s']:.2f} s (meta < 5 s);"
              f" crear la base (migraciones, antes): {results['migrate_s']:.2f} s")
    print(f"  {'punto':<16}{'clientes':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}{'errores':>9}")
    for r in results["runs"]:
        print(f"  {r['endpoint']:<16}{r['clients']:>9}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['rps']:>9.1f}{r['errors']:>9}")
    print("JSON " + json.dumps(results))
    ok = all(r["p95_ms"] < 150 for r in results["runs"] if r["clients"] <= 50)
    ok &= all(r["errors"] == 0 for r in results["runs"])
    ok &= results["cold_load_s"] is None or results["cold_load_s"] < 5
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
