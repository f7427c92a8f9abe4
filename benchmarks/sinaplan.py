"""Benchmark: progress, aggregation, index, bands and alerts for a synthetic national SINAPLAN.

40 national policies × 100 indicators and 2,500 institutional plans × 60 indicators, 12 years
each (≈ 1.85 million indicator-years), on one core. Targets: under 2 s, under 1 GiB peak.

    python benchmarks/sinaplan.py            # full scale
    python benchmarks/sinaplan.py --scale 0.01 --check   # smoke run (used by the test suite)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the target says
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from vigia.methodology import PEI, POLICY  # noqa: E402
from vigia.methodology import aggregation, alerts, progress  # noqa: E402
from vigia.methodology.bands import bands_of  # noqa: E402

YEARS = 12


def build(n_plans: int, objectives: int, children: int, grandchildren: int, n_ind: int, top_share: float, rng):
    """Element tree and indicators for ``n_plans`` plans of the same shape (arrays only)."""
    per_plan = objectives * (1 + children * (1 + grandchildren))
    parent_local, depth_local = [], []
    for o in range(objectives):
        o_idx = len(parent_local)
        parent_local.append(-1)
        depth_local.append(0)
        for _ in range(children):
            c_idx = len(parent_local)
            parent_local.append(o_idx)
            depth_local.append(1)
            for _ in range(grandchildren):
                parent_local.append(c_idx)
                depth_local.append(2)
    parent_local, depth_local = np.array(parent_local), np.array(depth_local)
    offsets = np.arange(n_plans)[:, None] * per_plan
    parent = np.where(parent_local[None, :] >= 0, parent_local[None, :] + offsets, -1).ravel()
    depth = np.tile(depth_local, n_plans)
    tops, leaves = np.flatnonzero(depth_local == 0), np.flatnonzero(depth_local == depth_local.max())
    n_top = int(round(n_ind * top_share))
    local = np.concatenate([rng.choice(tops, (n_plans, n_top)), rng.choice(leaves, (n_plans, n_ind - n_top))], axis=1)
    ind_element = (local + offsets).ravel()
    ind_plan = np.repeat(np.arange(n_plans), n_ind)
    is_top = np.tile(np.r_[np.ones(n_top, bool), np.zeros(n_ind - n_top, bool)], n_plans)
    return parent, depth, ind_element, ind_plan, is_top


def values(n: int, rng):
    target = rng.uniform(1, 100, (n, YEARS))
    actual = target * rng.uniform(0.3, 1.6, (n, YEARS))
    target[rng.random((n, YEARS)) < 0.03] = 0.0
    actual[rng.random((n, YEARS)) < 0.10] = np.nan
    target[rng.random((n, YEARS)) < 0.05] = np.nan
    direction = (rng.random(n) < 0.2).astype(np.int8)
    additive = rng.random(n) < 0.1
    return target, actual, direction, additive


def run(scale: float) -> dict:
    rng = np.random.default_rng(2030)
    n_pol, n_inst = max(1, round(40 * scale)), max(1, round(2500 * scale))
    pol = build(n_pol, 6, 3, 3, 100, 0.15, rng)
    inst = build(n_inst, 4, 4, 0, 60, 0.2, rng)
    data = {"policy": (pol, values(len(pol[2]), rng), POLICY), "pei": (inst, values(len(inst[2]), rng), PEI)}
    n_values = sum(v[0].size for _, v, _ in data.values())

    timings = {"progress": 0.0, "aggregation": 0.0, "index_bands": 0.0, "alerts": 0.0}
    summary = {}
    t_all = time.perf_counter()
    for name, ((parent, depth, ind_el, ind_plan, is_top), (target, actual, direction, additive), rules) in data.items():
        t = time.perf_counter()
        prog, _ = progress.compute(target, actual, direction, rules, additive=additive)
        timings["progress"] += time.perf_counter() - t

        t = time.perf_counter()
        el_prog = aggregation.aggregate(prog, ind_el, parent)
        timings["aggregation"] += time.perf_counter() - t

        t = time.perf_counter()
        tops = np.flatnonzero(parent < 0)
        n_plans = int(ind_plan.max()) + 1
        plan_of_top = tops // (len(parent) // n_plans)
        index = aggregation.group_mean(el_prog[tops], plan_of_top, n_plans) if rules.index else None
        band_counts = np.bincount(bands_of(prog[:, -1], rules) + 4 * ind_plan, minlength=4 * n_plans).reshape(n_plans, 4)
        timings["index_bands"] += time.perf_counter() - t

        t = time.perf_counter()
        lower = direction == progress.DESC
        found = (
            alerts.unmeasured(prog[:, -1], is_top).sum()
            + alerts.unreported(target[:, -1], actual[:, -1], is_top).sum()
            + alerts.worsened(actual[:, -1], actual[:, -2], lower, is_top).sum()
            + len(alerts.lowest(prog[:, -1], ind_plan, 4, rules.yellow))
        )
        timings["alerts"] += time.perf_counter() - t
        summary[name] = {
            "plans": n_plans,
            "indicators": len(ind_el),
            "elements": len(parent),
            "mean_index_last_year": None if index is None else float(np.nanmean(index[:, -1])),
            "bands_last_year": band_counts.sum(axis=0).tolist(),
            "alert_items": int(found),
        }
    total = time.perf_counter() - t_all
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"values": n_values, "seconds": {k: round(v, 3) for k, v in timings.items()}, "total_seconds": round(total, 3), "peak_rss_mib": round(peak_mib, 1), "plans": summary}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national size (1.0 = 1.85 M values)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args.scale)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"SINAPLAN sintético: {result['values']:,} valores indicador-año (escala {args.scale})")
        for k, v in result["seconds"].items():
            print(f"  {k:<12} {v:7.3f} s")
        print(f"  {'total':<12} {result['total_seconds']:7.3f} s   (meta < 2 s)")
        print(f"  memoria pico {result['peak_rss_mib']:7.1f} MiB (meta < 1024 MiB)")
        for name, s in result["plans"].items():
            print(f"  {name}: {s['plans']} planes, {s['indicators']:,} indicadores, {s['elements']:,} elementos, bandas último año (rojo/amarillo/verde/ND) {s['bands_last_year']}, {s['alert_items']:,} ítems de alerta")
    ok = result["total_seconds"] < 2.0 and result["peak_rss_mib"] < 1024
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
