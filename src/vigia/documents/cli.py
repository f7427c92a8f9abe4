"""`vigia report`: the official documents of a plan and year as DOCX, PDF and XLSX files."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from vigia import sources
from vigia.cli_support import fail, os_error

from . import FORMATS, KINDS, ReportError, default_kind, filename, generate, prepare

console = Console(stderr=True)


def report(
    plan: str = typer.Argument(..., metavar="PLAN", help="Código del plan: pnp2030 (política) o pei-inpe (PEI)."),
    year: int = typer.Option(..., "--year", "-y", help="Año evaluado."),
    period: str = typer.Option("anual", "--period", help="anual o S1 (primer semestre)."),
    kind: str = typer.Option(None, "--kind", "-k", help="seguimiento (reporte de seguimiento) o evaluacion (informe de evaluación del PEI); por defecto, el que corresponde al plan."),
    formats: str = typer.Option("docx,pdf,xlsx", "--format", "-f", help="Formatos separados por comas: docx, pdf, xlsx."),
    out: Path = typer.Option(Path("."), "--out", "-o", help="Carpeta de salida (se crea si no existe)."),
    preliminary: bool = typer.Option(False, "--preliminary", help="Incluye datos no aprobados; cada página dice PRELIMINAR."),
    vintage: str = typer.Option(None, "--vintage", help="Edición de los datos (p. ej. RS-2020); por defecto la vigente."),
) -> None:
    """Genera el Reporte de seguimiento o el Informe de evaluación del plan en DOCX, PDF y XLSX.

    Lee el plan de la base de datos si hay una configurada (VIGIA_DATA_DIR o DATABASE_URL) y lo
    tiene; si no, los conjuntos de datos oficiales incluidos."""
    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    if plan not in sources.available():
        fail(f"no existe el plan «{plan}» (planes: {', '.join(sources.available())}).")
    ds = sources.dataset(plan, preliminary=preliminary, year=year, period=period)  # the version in force that year
    if kind is not None and kind not in KINDS:
        fail(f"tipo de documento desconocido «{kind}» (use {' o '.join(KINDS)}).")
    if [f for f in wanted if f not in FORMATS] or not wanted:
        fail(f"formatos no válidos «{formats}» (use {', '.join(FORMATS)}).")
    if out.exists() and not out.is_dir():
        fail(f"«{out}» no es una carpeta: indique en --out la carpeta donde guardar los documentos.")
    kind = kind or default_kind(ds)
    started = time.perf_counter()
    try:
        src = prepare(ds, year, period, vintage, preliminary)
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console, transient=True) as bar:
            task = bar.add_task("Preparando", total=None)

            def progress(label: str, done: int, total: int) -> None:
                bar.update(task, description=label, completed=done, total=total)

            files = generate(ds, year, kind, wanted, period=period, vintage=vintage, preliminary=preliminary,
                             ev=src.ev, on_progress=progress, parallel=len(wanted) > 1)
    except ReportError as exc:
        fail(str(exc))
    try:
        out.mkdir(parents=True, exist_ok=True)
        for fmt, content in files.items():
            path = out / filename(src, kind, fmt)
            path.write_bytes(content)
            typer.echo(f"{path}  ({len(content) / 1024:,.0f} KiB)")
    except OSError as exc:
        fail(f"no se pudo escribir en «{out}»: {os_error(exc)}.")
    console.print(f"{'Reporte de seguimiento' if kind == 'seguimiento' else 'Informe de evaluación'} de {ds.spec.name}, "
                  f"{src.period_label}: {len(files)} archivo(s) en {time.perf_counter() - started:.1f} s"
                  + (" [bold](PRELIMINAR)[/]" if preliminary else "") + ".")
