"""Benchmark: the official documents of 2024, with all their charts, in DOCX, PDF and XLSX.

Times the 2024 Reporte de seguimiento of the policy and the 2024 Informe de evaluación of INPE's
PEI, each (a) in the three formats at once, as `vigia report` makes them (the PDF laid out in a
second process), and (b) one format at a time, as one click on a web download button does.
Target: under 5 s per document in its three formats (the newer official application allows 10 s
per download). The documents are checked for the golden figures.

    python benchmarks/reports.py                 # full run, prints the figures
    python benchmarks/reports.py --smoke --check # smoke run (used by the test suite)
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time

TARGET_SECONDS = 5.0
OFFICIAL_LIMIT_SECONDS = 10.0
GOLDEN = {
    "pnp2030": ["69.0", "68.7", "89.0", "20.0", "56.1", "94.3", "86.0"],
    "pei-inpe": ["57.62", "100.00", "0.00", "7.25"],
}
REPORTS = [("pnp2030", "seguimiento"), ("pei-inpe", "evaluacion")]


def _warm_up() -> None:
    """Import the libraries and draw once, as a running server has already done."""
    from weasyprint import HTML

    from vigia.documents import charts, word  # noqa: F401
    from vigia.methodology.bands import Band

    charts.evolution("x", [2024], [1.0], [1.0], [Band.GREEN], fmt=("svg", "png"))
    HTML(string="<p>Vigía</p>").write_pdf()


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
    return "\n".join(f"{v:.1f} {v:.2f}" if isinstance(v, (int, float)) else str(v) for v in numbers)


def _pages(content: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def run(smoke: bool) -> dict:
    from vigia import datasets, documents

    _warm_up()
    result = {"target_seconds": TARGET_SECONDS, "official_limit_seconds": OFFICIAL_LIMIT_SECONDS, "reports": []}
    reports = REPORTS[:1] if smoke else REPORTS
    formats = ["docx", "xlsx"] if smoke else list(documents.FORMATS)
    for code, kind in reports:
        ds = datasets.load(code)
        entry = {"plan": code, "kind": kind, "formats": formats}
        started = time.perf_counter()
        files = documents.generate(ds, 2024, kind, formats, parallel=len(formats) > 1)
        entry["all_formats_seconds"] = time.perf_counter() - started
        entry["charts"] = len(documents.build(documents.prepare(ds, 2024), kind).figures)
        entry["sizes_kib"] = {f: round(len(b) / 1024) for f, b in files.items()}
        if "pdf" in files:
            entry["pdf_pages"] = _pages(files["pdf"])
        entry["missing_figures"] = {f: [g for g in GOLDEN[code] if g not in _texts(f, b)] for f, b in files.items()}
        if not smoke:
            entry["one_format_seconds"] = {}
            for fmt in formats:
                t = time.perf_counter()
                documents.generate(ds, 2024, kind, [fmt])
                entry["one_format_seconds"][fmt] = time.perf_counter() - t
        result["reports"].append(entry)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="only the policy report, DOCX and XLSX (seconds, not a minute)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a golden figure is missing or a document takes longer than the official 10 s")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = run(args.smoke)
    ok = True
    for r in result["reports"]:
        ok &= not any(r["missing_figures"].values())
        ok &= r["all_formats_seconds"] < OFFICIAL_LIMIT_SECONDS
        ok &= all(s < OFFICIAL_LIMIT_SECONDS for s in r.get("one_format_seconds", {}).values())
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"Documentos oficiales 2024 (meta < {TARGET_SECONDS:.0f} s por documento; la aplicación oficial admite {OFFICIAL_LIMIT_SECONDS:.0f} s por descarga)")
        for r in result["reports"]:
            name = "Reporte de seguimiento, pnp2030" if r["kind"] == "seguimiento" else "Informe de evaluación, pei-inpe"
            meets = "cumple" if r["all_formats_seconds"] < TARGET_SECONDS else "NO cumple"
            print(f"  {name}: {r['charts']} gráficos" + (f", {r['pdf_pages']} páginas PDF" if "pdf_pages" in r else ""))
            print(f"    {'+'.join(r['formats']):<16} {r['all_formats_seconds']:6.2f} s  ({meets} la meta de {TARGET_SECONDS:.0f} s)   "
                  + ", ".join(f"{f} {kib:,} KiB" for f, kib in r["sizes_kib"].items()))
            for fmt, s in r.get("one_format_seconds", {}).items():
                print(f"    solo {fmt:<11} {s:6.2f} s  (un clic en la web, sin caché)")
            missing = {f: m for f, m in r["missing_figures"].items() if m}
            print(f"    cifras de referencia: {'todas presentes' if not missing else f'FALTAN {missing}'}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
