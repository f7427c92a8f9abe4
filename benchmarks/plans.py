"""Benchmark: a plan through its workbook, as the planning office uses it (issue 13).

For the bundled policy (pnp2030) and for a plan of about 2,000 indicators (the policy's hierarchy
repeated, the size ``reporting.plan_workbook.MAX_ROWS`` is made for), against a fresh SQLite
database holding the policy:

* export: ``vigia plan export`` (the workbook written from the database), seconds and size;
* read: the upload read in bounded streaming mode and validated row by row (what «Revisar el
  libro» waits for), seconds and the peak memory it added;
* preview: what would change against the stored plan (the diff shown before confirming);
* store: the confirmed load — a new version of pnp2030 with its 2025-2030 targets, a new plan for
  the large one — in one transaction;
* round trip: the plan read back is the exported one, figure for figure (always checked).

    python benchmarks/plans.py                  # prints the figures
    python benchmarks/plans.py --indicators 300 --check   # smaller, exit 1 if a target is missed (make test)

Targets (``--check``): for pnp2030 every step under 5 s; for the large plan each step under 60 s
and 500 MB of extra memory; the round trip exact for both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from dataclasses import replace

import memory

TARGET_SMALL_SECONDS = 5.0
TARGET_LARGE_SECONDS = 60.0
TARGET_MB = 500.0


def setup():
    os.environ["VIGIA_DATA_DIR"] = tempfile.mkdtemp(prefix="vigia-bench-plans-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("VIGIA_LOG_LEVEL", "ERROR")
    from vigia import server

    server.setup()
    server.migrate()
    server.load_all(["pnp2030"])


def with_targets_to_2030(ds):
    """The policy with 2025-2030 targets for every indicator that has a 2024 one (3 % a year toward its direction)."""
    from vigia.datasets import Dataset, Record

    directions = {i.code: i.direction for i in ds.indicator_specs}
    added = []
    for r in ds.records:
        if (r.kind, r.year, r.period, r.vintage) == ("target", 2024, "anual", ds.spec.current_vintage) and r.value is not None:
            step = 0.03 if directions[r.indicator] != "descending" else -0.03
            for k, year in enumerate(range(2025, 2031), 1):
                value = r.value * (1 + step * k)
                added.append(Record(r.indicator, year, "anual", "target", min(value, 100.0) if r.value <= 100 else value,
                                    None, r.vintage, "RM N° 0123-2025-JUS", "", 0))
    return Dataset(None, ds.spec, ds.indicator_specs, ds.records + tuple(added))


def scaled(ds, indicators: int, code: str):
    """``ds`` with its whole hierarchy repeated until it has about ``indicators`` indicators (codes suffixed -2, -3…)."""
    from vigia.datasets import Dataset

    copies = max(1, -(-indicators // len(ds.indicator_specs)))

    def renamed(c: str | None, k: int) -> str | None:
        return c if c is None or k == 1 else f"{c}-{k}"

    elements, specs, records = [], [], []
    for k in range(1, copies + 1):
        elements += [e.model_copy(update={"code": renamed(e.code, k), "parent": renamed(e.parent, k), "aligned_to": []})
                     for e in ds.spec.elements]
        specs += [i.model_copy(update={"code": renamed(i.code, k), "element": renamed(i.element, k), "aligned_to": []})
                  for i in ds.indicator_specs]
        records += [replace(r, indicator=renamed(r.indicator, k)) for r in ds.records if r.indicator != "INDEX"]
    spec = ds.spec.model_copy(update={"code": code, "name": f"{ds.spec.name} (×{copies})", "elements": elements})
    return Dataset(None, spec, tuple(specs), tuple(records))


def figures(ds) -> list[tuple]:
    return sorted((r.key, r.value, r.status, r.note) for r in ds.records)


def run(indicators: int, check: bool) -> int:
    setup()
    from django.core.files import File

    from vigia.core import store
    from vigia.datasets import workbook
    from vigia.reporting import plan_workbook

    failures = 0
    policy = store.dataset("pnp2030", published_only=True)
    large = scaled(policy, indicators, "plan-grande")
    print(f"{'plan':28} {'paso':12} {'s':>7} {'MB extra':>9}  detalle")

    def step(plan: str, name: str, limit: float, work, detail=lambda result: ""):
        nonlocal failures
        rss = memory.status("VmRSS")
        memory.reset_peak()
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
        extra = max(0.0, memory.status("VmHWM") - rss)
        ok = seconds < limit and extra < TARGET_MB
        failures += not ok
        print(f"{plan:28} {name:12} {seconds:7.2f} {extra:9.1f}  {detail(result)}" + ("" if ok else "  ← fuera de meta"))
        return result

    cases = [("pnp2030 (nueva versión)", with_targets_to_2030(policy), "pnp2030", TARGET_SMALL_SECONDS),
             (f"{len(large.indicator_specs)} indicadores (nuevo)", large, None, TARGET_LARGE_SECONDS)]
    for label, ds, version_of, limit in cases:
        data = step(label, "exportar", limit, lambda: workbook.write(ds),
                    lambda d: f"{len(d) / 1024:,.0f} KB, {len(ds.plan.elements)} elementos, {len(ds.records):,} cifras")
        reading = step(label, "leer", limit, lambda: plan_workbook.read(File(io.BytesIO(data), name="plan.xlsx"), code=version_of),
                       lambda r: f"{len(r.warnings)} avisos")
        exact = figures(reading.dataset) == figures(ds) and reading.dataset.indicator_specs == ds.indicator_specs
        failures += not exact
        print(f"{label:28} {'ida y vuelta':12} {'':>7} {'':>9}  {'exacta' if exact else 'NO EXACTA ← fuera de meta'}")
        planned = step(label, "revisar", limit, lambda: plan_workbook.preview(reading, version_of), lambda p: f"{len(p.changes):,} cambios")
        if version_of:
            step(label, "guardar", limit, lambda: plan_workbook.new_version(reading, version_of, "RM N° 0123-2025-JUS", dt.date(2025, 1, 1)),
                 lambda result: f"versión {result[0].number}, {len(planned.changes):,} cambios registrados")
        else:
            step(label, "guardar", limit, lambda: plan_workbook.create(reading, "RD N° 001-2025"),
                 lambda result: f"{result.created:,} filas creadas")
    print(f"Metas: pnp2030 menos de {TARGET_SMALL_SECONDS:g} s por paso; el plan grande menos de {TARGET_LARGE_SECONDS:g} s; "
          f"menos de {TARGET_MB:g} MB adicionales; ida y vuelta exacta.")
    return 1 if check and failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=2000, help="indicators of the large plan (default 2000)")
    parser.add_argument("--check", action="store_true", help="exit status 1 when a target is missed")
    args = parser.parse_args()
    sys.exit(run(args.indicators, args.check))
