"""Official documents and their charts.

``generate`` turns one evaluation of a plan into the Reporte de seguimiento (policy, seeds 000 and
003) or the Informe de evaluación (PEI, seed 002) as DOCX, PDF and XLSX. It works on any
``Dataset`` (the bundled files for the CLI, ``store.dataset`` for the web), so both give the same
document from the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from vigia.datasets import Dataset
from vigia.methodology import Evaluation

from .source import ReportError, Source, prepare

KINDS = ("seguimiento", "evaluacion")
FORMATS = ("docx", "pdf", "xlsx")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IMAGE_FORMAT = {"docx": "png", "pdf": "svg"}  # charts: PNG inside Word, SVG (vector) inside the PDF

__all__ = ["CONTENT_TYPES", "FORMATS", "KINDS", "ReportError", "Source", "build", "default_kind", "filename", "generate", "prepare"]


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
    raise ReportError(f"Tipo de documento desconocido: «{kind}» (use {' o '.join(KINDS)}).")


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
    on_progress: Callable[[str, int, int], None] | None = None,
    parallel: bool = False,
) -> dict[str, bytes]:
    """The requested files {format: bytes}.

    ``on_progress(label, done, total)`` follows the work: one unit per chart image and one per
    file. With ``parallel`` (the CLI, several formats) the PDF is laid out in a forked process
    while this one draws the Word charts and writes the DOCX and XLSX: two cores, half the wait."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ReportError(f"Formato no disponible: {', '.join(unknown)} (use {', '.join(FORMATS)}).")
    kind = kind or default_kind(ds)
    src = prepare(ds, year, period, vintage, preliminary, data_version, analyses, ev)
    doc = build(src, kind)
    images = [IMAGE_FORMAT[f] for f in formats if f in IMAGE_FORMAT]
    total = len(doc.figures) * len(images) + len(formats)
    done = 0

    def tick(label: str, advance: int = 1) -> None:
        nonlocal done
        done += advance
        if on_progress:
            on_progress(label, done, total)

    tick("Evaluación lista", 0)
    child = _fork_pdf(doc) if parallel and "pdf" in formats and len(formats) > 1 else None
    out: dict[str, bytes] = {}

    def drain(block: bool = False) -> None:
        while child and "pdf" not in out and (block or child[0].poll()):
            try:
                message, payload = child[0].recv()
            except EOFError:
                raise ReportError("El proceso que genera el PDF terminó sin entregarlo.") from None
            if message == "tick":
                tick(payload)
            elif message == "error":
                raise ReportError(f"No se pudo generar el PDF: {payload}")
            else:
                out["pdf"] = payload
                tick("PDF listo")

    local_images = tuple(dict.fromkeys(i for f, i in IMAGE_FORMAT.items() if f in formats and not (child and f == "pdf")))
    if local_images:
        doc.render_figures(local_images, lambda fig: (tick(f"Gráfico {fig.number} de {len(doc.figures)}", len(local_images)), drain()))
    for fmt in formats:
        if fmt == "pdf" and child:
            continue
        tick(f"Generando {fmt.upper()}", 0)
        if fmt == "docx":
            from . import word

            out[fmt] = word.render(doc)
        elif fmt == "pdf":
            from . import pdf

            out[fmt] = pdf.render(doc)
        else:
            from . import excel

            out[fmt] = excel.render(src, kind)
        tick(f"{fmt.upper()} listo")
        drain()
    if child:
        if "pdf" not in out:
            tick("Componiendo las páginas del PDF", 0)
        drain(block=True)
        child[1].join()
    return {f: out[f] for f in formats}


def _fork_pdf(doc):
    """Lay out the PDF in a forked child (it inherits ``doc``); returns (connection, process) or None."""
    import multiprocessing
    import warnings

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: stay sequential
        return None
    receiver, sender = ctx.Pipe(duplex=False)

    def work() -> None:
        try:
            from . import pdf

            doc.render_figures(("svg",), lambda fig: sender.send(("tick", f"Gráfico {fig.number} de {len(doc.figures)} (PDF)")))
            sender.send(("done", pdf.render(doc)))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent in Spanish
            sender.send(("error", f"{type(exc).__name__}: {exc}"))
        finally:
            sender.close()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with a progress-bar thread alive: the child never touches it
        process = ctx.Process(target=work, daemon=True, name="vigia-pdf")
        process.start()
    sender.close()
    return receiver, process
