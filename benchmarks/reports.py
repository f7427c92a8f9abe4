"""Benchmark: the official documents of 2024, with all their charts, in DOCX, PDF and XLSX.

Times the 2024 Reporte de seguimiento of the policy, the 2024 Informe de evaluación of INPE's PEI
and the Informe de consistencia: (a) warm, in this process, all three formats and each format
alone (a running server's click); (b) cold, `vigia report` from the command line in a new
process; (c) the PDF alone with Typst (the engine kept) and WeasyPrint (the former engine, when
installed) on the same document, side by side. Target: every report in its three formats under
1.5 s warm and 3 s cold. The documents are checked for the golden figures.

    python benchmarks/reports.py                 # full run, prints the figures
    python benchmarks/reports.py --smoke --check # smoke run (used by the test suite)
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WARM_TARGET, COLD_TARGET = 1.5, 3.0
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


def _weasyprint(doc) -> float | None:
    """Seconds WeasyPrint takes to lay out the same document, or None when it is not installed."""
    sys.path.insert(0, str(HERE))
    try:
        from weasyprint import HTML  # noqa: F401

        from weasyprint_engine import render  # type: ignore[import-not-found]
    except (ImportError, OSError):
        return None
    render(doc)  # warm up
    t = time.perf_counter()
    render(doc)
    return time.perf_counter() - t


def _cold(code: str, kind: str) -> float:
    with tempfile.TemporaryDirectory() as out:
        t = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "vigia"), "report", code, "--year", "2024", "--kind", kind, "--out", out],
                       check=True, capture_output=True)
        return time.perf_counter() - t


def run(smoke: bool) -> list[dict]:
    from vigia import datasets, documents
    from vigia.documents import pdf

    documents.generate(datasets.load("pnp2030"), 2024, formats=["docx", "pdf", "xlsx"])  # warm up, as a running server
    results = []
    for code, kind in REPORTS[:1] if smoke else REPORTS:
        ds = datasets.load(code)
        entry = {"plan": code, "kind": kind}
        t = time.perf_counter()
        files = documents.generate(ds, 2024, kind)
        entry["warm"] = time.perf_counter() - t
        doc = documents.build(documents.prepare(ds, 2024), kind)
        entry["charts"] = len(doc.figures)
        entry["pages"] = int(next(ln.split()[-1] for ln in subprocess.run(["pdfinfo", "-"], input=files["pdf"], capture_output=True,
                                                                           check=True).stdout.decode().splitlines() if ln.startswith("Pages:")))
        entry["missing"] = {f: [g for g in GOLDEN[code] if g not in _texts(f, b)] for f, b in files.items()} if kind != "consistencia" else {}
        if not smoke:
            entry["one"] = {}
            for fmt in documents.FORMATS:
                t = time.perf_counter()
                documents.generate(ds, 2024, kind, [fmt])
                entry["one"][fmt] = time.perf_counter() - t
            t = time.perf_counter()
            pdf.render(doc)
            entry["typst_pdf"] = time.perf_counter() - t
            entry["weasyprint_pdf"] = _weasyprint(doc)
            entry["cold"] = _cold(code, kind)
        results.append(entry)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="only the policy report, warm (seconds)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a golden figure is missing or a target is missed")
    args = parser.parse_args()
    results = run(args.smoke)
    ok = True
    print(f"Documentos oficiales 2024 (meta: los tres formatos en < {WARM_TARGET} s en caliente y < {COLD_TARGET} s en frío desde la CLI)")
    for r in results:
        ok &= not any(r["missing"].values()) and r["warm"] < WARM_TARGET and r.get("cold", 0) < COLD_TARGET
        print(f"  {documents_name(r)}: {r['charts']} gráficos, {r['pages']} páginas PDF")
        print(f"    docx+pdf+xlsx en caliente {r['warm']:6.2f} s" + (f"   en frío (vigia report) {r['cold']:6.2f} s" if "cold" in r else ""))
        for fmt, s in r.get("one", {}).items():
            print(f"    solo {fmt:<4} {s:6.2f} s")
        if "typst_pdf" in r:
            wp = r["weasyprint_pdf"]
            print(f"    PDF del mismo documento: Typst {r['typst_pdf']:5.2f} s · WeasyPrint "
                  + (f"{wp:5.2f} s" if wp is not None else "no instalado (pip install weasyprint para compararlo)"))
        missing = {f: m for f, m in r["missing"].items() if m}
        print(f"    cifras de referencia: {'todas presentes' if not missing else f'FALTAN {missing}'}")
    return 0 if ok or not args.check else 1


def documents_name(r: dict) -> str:
    from vigia.documents import KIND_NAMES

    return f"{KIND_NAMES[r['kind']]}, {r['plan']}"


if __name__ == "__main__":
    sys.exit(main())
