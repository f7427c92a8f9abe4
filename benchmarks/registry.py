"""Benchmark: import a national registry extract (about two million stays) and compute every measure.

Generates the demo extract once (`vigia registry demo`, cached under var/benchmarks/), then times, each
in a fresh process, what `vigia registry import` does: check every row, store the extract, and compute
every measure for every month-end (120) × every establishment, office, the nation and each sex, with
the person-level rows kept and (`--discard`) without. Also times recomputing all of that from the
stored person-level rows, and reading it back as rows. Target:
import + compute under 3 s and 1 GiB peak memory on the 2-core machine. The national figures of the
demo are checked against INPE's published orders of magnitude.

    python benchmarks/registry.py                 # full run, prints the figures
    python benchmarks/registry.py --smoke --check # small extract, seconds (used by the test suite)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 3.0
TARGET_RSS_MIB = 1024
CACHE = Path(__file__).resolve().parent.parent / "var" / "benchmarks"
# National figures of the demo at its cut-off date, as INPE publishes them (domain brief, section 8).
REALISTIC = {"sobrepoblacion": (110, 160), "sin_sentencia": (33, 43), "reingreso_5a": (1.5, 3.0)}


def _extract(people: int, seed: int, fmt: str) -> tuple[Path, float | None]:
    """The cached demo extract (generated on first use: the seconds it took, else None). The cache
    is keyed on the generator's source, so a changed generator never reuses an old extract."""
    from vigia.registry import demo

    generator = hashlib.sha256(b"".join(Path(demo.__file__).with_name(n).read_bytes() for n in ("demo.py", "demo_units.csv")))
    folder = CACHE / f"registro-{people}-{seed}-{fmt}-{generator.hexdigest()[:10]}"
    if (folder / "estancias.done").exists():
        return folder, None
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    demo.generate(folder, people, seed, fmt)
    (folder / "estancias.done").touch()
    return folder, time.perf_counter() - started


def _child(task: str, extract: str, data: str, queue) -> None:
    """One measured step in its own process, so that its peak memory is its own."""
    from vigia import registry
    from vigia.registry import measures, store

    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    if task in ("import", "discard"):
        info = registry.import_extract(Path(extract), Path(data) / task, keep=task == "import")
        result = {"stays": info.stays, "persons": info.persons, "dates": info.standard_dates}
    elif task == "recompute":
        reg = registry.Registry(Path(data) / "import")
        with store.connect(reg.path, read_only=True) as con:
            measures.compute(con, reg.standard_dates())
            result = {"rows": con.execute("SELECT count(*) FROM resultado").fetchone()[0]}
    else:
        reg = registry.Registry(Path(data) / "import")
        rows = reg.measures(reg.standard_dates())
        cut = {(r.measure, r.sex): r.value for r in rows if r.scope == "nation" and r.date == reg.info.cutoff}
        result = {"rows": len(rows), "national": {m: cut[(m, "")] for m in REALISTIC}}
    result["seconds"] = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime - cpu_before
    result["peak_rss_mib"] = _peak_rss_mib()
    queue.put(result)


def _peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM, because ru_maxrss would also count the parent's
    memory at the fork that started this process."""
    try:
        line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(task: str, extract: Path, data: Path) -> dict:
    queue = multiprocessing.get_context("spawn").Queue()
    proc = multiprocessing.get_context("spawn").Process(target=_child, args=(task, str(extract), str(data), queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def run(people: int, seed: int, formats: list[str]) -> dict:
    out = {"people": people, "target_seconds": TARGET_SECONDS, "target_rss_mib": TARGET_RSS_MIB,
           "load_average": os.getloadavg()[0], "runs": []}
    for fmt in formats:
        extract, generated = _extract(people, seed, fmt)
        with tempfile.TemporaryDirectory() as data:
            entry = {"format": fmt, "generated_seconds": generated,
                     "size_mib": sum(f.stat().st_size for f in extract.iterdir()) / 2**20,
                     "import": _measure("import", extract, Path(data)),
                     "discard": _measure("discard", extract, Path(data)),
                     "recompute": _measure("recompute", extract, Path(data)),
                     "read": _measure("read", extract, Path(data))}
        out["runs"].append(entry)
    return out


def _met(entry: dict) -> bool:
    i = entry["import"]
    return i["seconds"] < TARGET_SECONDS and i["peak_rss_mib"] < TARGET_RSS_MIB


def main() -> int:
    from vigia.registry import demo

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a small extract (20,000 persons), CSV only: seconds")
    parser.add_argument("--check", action="store_true", help="exit 1 if the demo's national figures are not realistic "
                        "or, on a full run, the targets are not met")
    parser.add_argument("--people", type=int, help=f"persons in the extract (default {demo.REFERENCE_PEOPLE:,}: national scale)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["csv", "parquet", "both"], default="both", help="input format (default both)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    people = args.people or (20_000 if args.smoke else demo.REFERENCE_PEOPLE)
    formats = ["csv"] if args.smoke and args.format == "both" else (["csv", "parquet"] if args.format == "both" else [args.format])
    result = run(people, args.seed, formats)
    ok = True
    for entry in result["runs"]:
        national = entry["read"]["national"]
        ok &= all(lo <= national[m] <= hi for m, (lo, hi) in REALISTIC.items())
        ok &= args.smoke or _met(entry)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0 if ok or not args.check else 1
    print(f"Registro penitenciario: importar y calcular todas las medidas (meta < {TARGET_SECONDS:.0f} s y < {TARGET_RSS_MIB:,} MiB "
          f"en esta máquina de 2 núcleos; carga media al empezar: {result['load_average']:.1f})")
    for e in result["runs"]:
        i, r, d = e["import"], e["recompute"], e["read"]
        made = f", generado en {e['generated_seconds']:.1f} s" if e["generated_seconds"] else ", en caché"
        print(f"  Extracto {e['format'].upper()}: {i['stays']:,} estancias de {i['persons']:,} personas, {e['size_mib']:,.0f} MiB{made}")
        print(f"    importar + calcular {i['dates']} fines de mes × establecimientos, oficinas, nación y sexo: "
              f"{i['seconds']:5.2f} s (CPU {i['cpu_seconds']:.2f} s), pico {i['peak_rss_mib']:,.0f} MiB  "
              f"({'cumple' if _met(e) else 'NO cumple'} la meta)")
        x = e["discard"]
        print(f"    lo mismo sin conservar las filas por persona (--discard): {x['seconds']:5.2f} s (CPU {x['cpu_seconds']:.2f} s), "
              f"pico {x['peak_rss_mib']:,.0f} MiB")
        print(f"    recalcular todo desde las filas guardadas: {r['seconds']:5.2f} s ({r['rows']:,} cifras), pico {r['peak_rss_mib']:,.0f} MiB")
        print(f"    leer las {d['rows']:,} cifras guardadas como filas: {d['seconds']:5.2f} s")
        print("    nación al corte: " + ", ".join(f"{m} {v:.1f}" for m, v in d["national"].items()))
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
