"""`vigia report`: the official documents of a plan and year as DOCX, PDF and XLSX files."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import typer
from rich.console import Console

from vigia import sources
from vigia.cli_support import fail, os_error

from . import FORMATS, KIND_NAMES, KINDS, ReportError, build, default_kind, filename, prepare, render

console = Console(stderr=True)


def report(
    plan: str = typer.Argument(..., metavar="PLAN", help="Código del plan: pnp2030 (política) o pei-inpe (PEI)."),
    year: int = typer.Option(..., "--year", "-y", help="Año evaluado."),
    period: str = typer.Option("anual", "--period", help="anual o S1 (primer semestre)."),
    kind: str = typer.Option(None, "--kind", "-k", help="seguimiento (reporte de seguimiento), evaluacion (informe de evaluación del PEI) o consistencia (informe de consistencia para el revisor); por defecto, el que corresponde al plan."),
    formats: str = typer.Option("docx,pdf,xlsx", "--format", "-f", help="Formatos separados por comas: docx, pdf, xlsx."),
    out: Path = typer.Option(Path("."), "--out", "-o", help="Carpeta de salida (se crea si no existe)."),
    preliminary: bool = typer.Option(False, "--preliminary", help="Incluye datos no aprobados; cada página dice PRELIMINAR."),
    vintage: str = typer.Option(None, "--vintage", help="Edición de los datos (p. ej. RS-2020); por defecto la vigente."),
    number: str = typer.Option(None, "--numero", help="Número del documento (p. ej. «Informe N.° 016-2025-JUS/OGPM-OPC»); por defecto, el registrado para la edición."),
    issued: str = typer.Option(None, "--fecha", help="Fecha del documento, AAAA-MM-DD; por defecto, la de la edición de los datos."),
) -> None:
    """Genera el Reporte de seguimiento, el Informe de evaluación o el Informe de consistencia del plan en DOCX, PDF y XLSX.

    Lee el plan de la base de datos si hay una configurada (VIGIA_DATA_DIR o DATABASE_URL) y lo
    tiene; si no, los conjuntos de datos oficiales incluidos."""
    wanted = [f.strip().lower() for f in formats.split(",") if f.strip()]
    if plan not in sources.available():
        fail(f"no existe el plan «{plan}» (planes: {', '.join(sources.available())}).")
    ds = sources.dataset(plan, preliminary=preliminary, year=year, period=period)  # the version in force that year
    if kind is not None and kind not in KINDS:
        fail(f"tipo de documento desconocido «{kind}» (use {', '.join(KINDS)}).")
    if [f for f in wanted if f not in FORMATS] or not wanted:
        fail(f"formatos no válidos «{formats}» (use {', '.join(FORMATS)}).")
    if out.exists() and not out.is_dir():
        fail(f"«{out}» no es una carpeta: indique en --out la carpeta donde guardar los documentos.")
    try:
        when = date.fromisoformat(issued) if issued else None
    except ValueError:
        fail(f"fecha no válida «{issued}» (use AAAA-MM-DD, p. ej. 2025-06-02).")
    kind = kind or default_kind(ds)
    started = time.perf_counter()
    try:
        src = prepare(ds, year, period, vintage, preliminary, number=number, issued=when)
        files = render(src, kind, build(src, kind), list(dict.fromkeys(wanted)))
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
    console.print(f"{KIND_NAMES[kind]} de {ds.spec.name}, {src.period_label}: {len(files)} archivo(s) en "
                  f"{time.perf_counter() - started:.1f} s" + (" [bold](PRELIMINAR)[/]" if preliminary else "") + ".")
