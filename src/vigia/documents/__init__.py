"""Official documents and their charts.

``generate`` turns one evaluation of a plan into the Reporte de seguimiento (policy, seeds 000 and
003), the Informe de evaluación (PEI, seed 002) or the Informe de consistencia (any plan, for the
reviewer) as DOCX, PDF and XLSX. It works on any ``Dataset`` (the bundled files for the CLI,
``store.dataset`` for the web), so both give the same document from the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from vigia.datasets import Dataset
from vigia.methodology import Evaluation

from .source import ReportError, Source, prepare

KINDS = ("seguimiento", "evaluacion", "consistencia")
KIND_NAMES = {"seguimiento": "Reporte de seguimiento", "evaluacion": "Informe de evaluación", "consistencia": "Informe de consistencia"}
FORMATS = ("docx", "pdf", "xlsx")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = ["CONTENT_TYPES", "FORMATS", "KINDS", "KIND_NAMES", "ReportError", "Source", "build", "default_kind", "filename",
           "generate", "prepare", "render"]


def default_kind(ds: Dataset) -> str:
    return "evaluacion" if ds.spec.kind == "pei" else "seguimiento"


def build(src: Source, kind: str):
    """The document's blocks (format-neutral) for ``kind``."""
    if kind == "seguimiento":
        from . import seguimiento

        return seguimiento.build(src)
    if kind == "evaluacion":
        if src.spec.kind != "pei":
            raise ReportError("El informe de evaluación sigue la estructura del PEI (OEI, AEI, AO e inversiones); "
                              f"{src.spec.name} es un plan de tipo «{src.spec.kind}»: use --kind seguimiento.")
        from . import evaluacion

        return evaluacion.build(src)
    if kind == "consistencia":
        from . import consistencia

        return consistencia.build(src)
    raise ReportError(f"Tipo de documento desconocido: «{kind}» (use {', '.join(KINDS)}).")


def filename(src: Source, kind: str, fmt: str) -> str:
    parts = [src.ds.code, kind, str(src.year)]
    if src.period != "anual":
        parts.append(src.period)
    if not src.current:
        parts.append(src.vintage)
    if src.preliminary:
        parts.append("preliminar")
    return "-".join(parts) + f".{fmt}"


def generate(
    ds: Dataset,
    year: int,
    kind: str | None = None,
    formats: Iterable[str] = FORMATS,
    *,
    period: str = "anual",
    vintage: str | None = None,
    preliminary: bool = False,
    data_version: int | None = None,
    analyses: Mapping[str, str] | None = None,
    ev: Evaluation | None = None,
    number: str | None = None,
    issued: date | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, bytes]:
    """The requested files {format: bytes}; ``on_progress(label, done, total)`` follows the work, one unit per file.

    ``number`` and ``issued`` override the document number and date the plan's texts give."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ReportError(f"Formato no disponible: {', '.join(unknown)} (use {', '.join(FORMATS)}).")
    kind = kind or default_kind(ds)
    if kind not in KINDS:
        raise ReportError(f"Tipo de documento desconocido: «{kind}» (use {', '.join(KINDS)}).")
    src = prepare(ds, year, period, vintage, preliminary, data_version, analyses, ev, number, issued)
    doc = build(src, kind)
    return render(src, kind, doc, formats, on_progress)


def render(src: Source, kind: str, doc, formats: list[str], on_progress=None) -> dict[str, bytes]:
    """The files of a built document. Typst (the PDF, and the charts' PNG for Word) works outside Python's lock, so it
    runs in background threads while Python writes the workbook and the Word file: on two cores the three formats
    take about as long as the slowest one."""
    from concurrent.futures import ThreadPoolExecutor

    from . import pdf

    total, done = len(formats), 0

    def progress(label: str) -> None:
        nonlocal done
        if on_progress:
            on_progress(label, done, total)
        done += 1

    with ThreadPoolExecutor(max_workers=2) as pool:
        pdf_file = pool.submit(pdf.render, doc) if "pdf" in formats else None
        pngs = pool.submit(pdf.rasterise, doc.figures) if "docx" in formats else None
        from . import excel, word  # openpyxl and python-docx load while Typst works

        out: dict[str, bytes] = {}
        for fmt in sorted(formats, key=["xlsx", "docx", "pdf"].index):  # Python's work first, while Typst runs
            progress(f"Generando {fmt.upper()}")
            if fmt == "xlsx":
                out[fmt] = excel.render(src, kind, doc)
            elif fmt == "docx":
                out[fmt] = word.render(doc, pngs.result())
            else:
                out[fmt] = pdf_file.result()
    if on_progress:
        on_progress("Listo", total, total)
    return {fmt: out[fmt] for fmt in formats}
