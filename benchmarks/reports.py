"""Benchmark: the official documents of 2024, with all their charts, in DOCX, PDF and XLSX.

Times the 2024 Reporte de seguimiento of the policy, the 2024 Informe de evaluación of INPE's PEI
and the Informe de consistencia, each in its three formats:
  (a) warm, first time: in a process that has already made other documents (a running server's
      first click on this report: libraries, fonts and data loaded, nothing of this report cached);
  (b) warm, again: the same report once more (Typst reuses what did not change);
  (c) each format alone (warm);
  (d) cold: `vigia report` from the command line in a new process, median of several runs;
  (e) the PDF alone, Typst (the engine kept) and WeasyPrint (the former engine, when installed), on
      the same document, each on its first layout in a fresh process and once more.
Target: every report in its three formats under 1.5 s warm and 3 s cold. The documents are checked
for the golden figures of seeds 002 and 003.

    python benchmarks/reports.py                 # full run, prints the figures
    python benchmarks/reports.py --smoke --check # smoke run (used by the test suite): figures only
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WARM_TARGET, COLD_TARGET = 1.5, 3.0
COLD_RUNS = 3
GOLDEN = {
    "pnp2030": ["69.0", "68.7", "89.0", "20.0", "56.1", "94.3", "86.0"],
    "pei-inpe": ["57.62", "100.00", "0.00", "7.25"],
}
REPORTS = [("pnp2030", "seguimiento"), ("pei-inpe", "evaluacion"), ("pei-inpe", "consistencia")]
HERE = Path(__file__).parent


def _texts(fmt: str, content: bytes) -> str:
    if fmt == "pdf":
        return subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    if fmt == "docx":
        from docx import Document

        d = Document(io.BytesIO(content))
        return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    numbers = (v for ws in wb for row in ws.iter_rows(values_only=True) for v in row)
    return "\n".join(f"{v * 100:.1f} {v * 100:.2f} {v:.1f} {v:.2f}" if isinstance(v, (int, float)) else str(v) for v in numbers)


def _engines(code: str, kind: str) -> dict:
    """The PDF of one document by Typst and by WeasyPrint, each timed on its first layout in a fresh process (no
    cache of this document yet) and once more; WeasyPrint's figures are None when it is not installed."""
    out = subprocess.run([sys.executable, __file__, "--engines", code, kind], capture_output=True, check=True, text=True)
    return json.loads(out.stdout)


def _engines_here(code: str, kind: str) -> dict:
    from vigia import datasets, documents
    from vigia.documents import pdf

    doc = documents.build(documents.prepare(datasets.load(code), 2024), kind)
    pdf.render(documents.build(documents.prepare(datasets.load("pnp2030"), 2024), "consistencia"))  # fonts loaded
    times = {"typst_first": _timed(lambda: pdf.render(doc))[0], "typst_again": _timed(lambda: pdf.render(doc))[0]}
    sys.path.insert(0, str(HERE))
    try:
        from weasyprint_engine import render  # type: ignore[import-not-found]

        times["weasyprint_first"] = _timed(lambda: render(doc))[0]
        times["weasyprint_again"] = _timed(lambda: render(doc))[0]
    except (ImportError, OSError):
        times["weasyprint_first"] = times["weasyprint_again"] = None
    return times


def _cold(code: str, kind: str) -> float:
    """Median wall time of `vigia report` in a new process (import, data load, the three files written). Vigía's own
    modules are byte-compiled first, as a normal installation leaves them after its first run (a sandbox that sets
    PYTHONDONTWRITEBYTECODE would otherwise recompile them on every run)."""
    import compileall

    import vigia

    compileall.compile_dir(Path(vigia.__file__).parent, quiet=1)
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(COLD_RUNS):
            t = time.perf_counter()
            subprocess.run([str(Path(sys.executable).parent / "vigia"), "report", code, "--year", "2024", "--kind", kind,
                            "--out", out], check=True, capture_output=True)
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def _timed(f):
    t = time.perf_counter()
    result = f()
    return time.perf_counter() - t, result


def run(smoke: bool) -> list[dict]:
    from vigia import datasets, documents

    documents.generate(datasets.load("pnp2030"), 2024, "consistencia")  # a running server: libraries and fonts loaded
    results = []
    for code, kind in REPORTS[:1] if smoke else REPORTS:
        ds = datasets.load(code)
        entry = {"plan": code, "kind": kind}
        entry["warm"], files = _timed(lambda: documents.generate(ds, 2024, kind))
        doc = documents.build(documents.prepare(ds, 2024), kind)
        entry["charts"] = len(doc.figures)
        info = subprocess.run(["pdfinfo", "-"], input=files["pdf"], capture_output=True, check=True).stdout.decode()
        entry["pages"] = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")))
        entry["missing"] = {f: [g for g in GOLDEN[code] if g not in _texts(f, b)] for f, b in files.items()} if kind != "consistencia" else {}
        if not smoke:
            entry["again"], _ = _timed(lambda: documents.generate(ds, 2024, kind))
            entry["one"] = {fmt: _timed(lambda: documents.generate(ds, 2024, kind, [fmt]))[0] for fmt in documents.FORMATS}
            entry["engines"] = _engines(code, kind)
            entry["cold"] = _cold(code, kind)
        results.append(entry)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="only the policy report, warm, and its golden figures")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if a golden figure is missing, or (full run) a time target is missed")
    parser.add_argument("--engines", nargs=2, metavar=("PLAN", "KIND"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engines:
        print(json.dumps(_engines_here(*args.engines)))
        return 0
    from vigia.documents import KIND_NAMES

    results = run(args.smoke)
    ok = True
    print(f"Documentos oficiales 2024 (meta: los tres formatos en < {WARM_TARGET} s en caliente y < {COLD_TARGET} s en frío desde la CLI)")
    for r in results:
        ok &= not any(r["missing"].values())
        if not args.smoke:
            ok &= r["warm"] < WARM_TARGET and r["cold"] < COLD_TARGET
        print(f"  {KIND_NAMES[r['kind']]}, {r['plan']}: {r['charts']} gráficos, {r['pages']} páginas PDF")
        print(f"    docx+pdf+xlsx en caliente, primera vez {r['warm']:5.2f} s" + (f" · otra vez {r['again']:5.2f} s" if "again" in r else ""))
        if "cold" in r:
            print(f"    docx+pdf+xlsx en frío (vigia report, mediana de {COLD_RUNS}) {r['cold']:5.2f} s")
        if "one" in r:
            print("    un formato (caliente): " + " · ".join(f"{fmt} {s:4.2f} s" for fmt, s in r["one"].items()))
        if "engines" in r:
            e = r["engines"]
            wp = (f"{e['weasyprint_first']:5.2f} s (otra vez {e['weasyprint_again']:4.2f} s)" if e["weasyprint_first"] is not None
                  else "no instalado (pip install weasyprint para compararlo)")
            print(f"    solo el PDF, mismo documento: Typst {e['typst_first']:5.2f} s (otra vez {e['typst_again']:4.2f} s)"
                  f" · WeasyPrint {wp}")
        missing = {f: m for f, m in r["missing"].items() if m}
        print(f"    cifras de referencia: {'todas presentes' if not missing else f'FALTAN {missing}'}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
