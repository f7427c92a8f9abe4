"""`vigia plan`: a plan as an Excel workbook, exported, edited by the planning office and loaded back
as a new plan or as a new version of one."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console

from vigia import sources

app = typer.Typer(help="El plan como libro de Excel: exportarlo, editarlo y cargarlo como plan nuevo o como nueva versión.",
                  no_args_is_help=True)
console = Console(width=None if sys.stdout.isatty() else 150)


@app.command("export")
def plan_export(
    plan: str = typer.Argument(..., metavar="PLAN", help="Código del plan (incluido o cargado en la base de datos)."),
    file: Path = typer.Argument(..., metavar="ARCHIVO", help="Libro de Excel a escribir (.xlsx)."),
) -> None:
    """Escribe el plan en un libro de Excel: la matriz de CEPLAN (jerarquía, línea de base, logros esperados y valores
    obtenidos por año), las fichas, los niveles, los textos y todas sus cifras con su fuente, más las instrucciones."""
    from vigia.datasets import workbook

    try:
        ds = sources.dataset(plan)
        data = workbook.write(ds)
    except ValueError as exc:  # DatasetError too: an unknown plan, a malformed folder
        _fail(str(exc))
    file.write_bytes(data)
    console.print(f"{file}: {ds.spec.name} — {len(ds.plan.elements)} elementos, {len(ds.plan.indicators)} indicadores, "
                  f"{len(ds.records)} cifras.")


@app.command("import")
def plan_import(
    file: Path = typer.Argument(..., metavar="ARCHIVO", help="Libro del plan (.xlsx), como lo escribe «vigia plan export»."),
    code: str = typer.Option(None, "--code", help="Código del plan nuevo, si no es el del libro (p. ej. para una copia)."),
    version_of: str = typer.Option(None, "--version-of", help="Registra el libro como nueva versión de este plan (una modificación)."),
    legal_reference: str = typer.Option(None, "--legal-reference", help="Norma que aprueba el plan o su modificación (p. ej. «RM N° 0123-2025-JUS»)."),
    applies_from: str = typer.Option(None, "--applies-from", help="Fecha desde la que rige la nueva versión (AAAA-MM-DD)."),
    preview: bool = typer.Option(False, "--preview", help="Solo muestra lo que cambiaría, sin guardar nada."),
) -> None:
    """Carga un plan desde su libro de Excel, como plan nuevo o como nueva versión de uno existente: valida cada fila
    (hoja, fila y columna de cada error) y guarda todo o nada."""
    import datetime as dt

    from django.core.files import File

    from vigia import server

    if not file.is_file():
        _fail(f"{file}: " + ("es una carpeta, no un libro de Excel." if file.is_dir() else "el archivo no existe."))
    if version_of and code and code != version_of:
        _fail("use --code para un plan nuevo o --version-of para una nueva versión, no ambos.")
    try:
        since = dt.date.fromisoformat(applies_from) if applies_from else None
    except ValueError:
        _fail(f"--applies-from: «{applies_from}» no es una fecha AAAA-MM-DD.")
    if version_of and not preview and not (legal_reference and since):
        _fail("una nueva versión necesita --legal-reference (la norma que la aprueba) y --applies-from (desde cuándo rige).")
    server.setup()
    server.migrate()
    from vigia.datasets.workbook import WorkbookError
    from vigia.reporting import plan_workbook

    source = f"{legal_reference} (libro del plan)" if legal_reference else None
    try:
        with file.open("rb") as fh:
            reading = plan_workbook.read(File(fh, name=file.name), code=version_of or code, **({"source": source} if source else {}))
        plan = plan_workbook.preview(reading, version_of)
        _warn(reading)
        if preview:
            _changes(plan)
            return
        if version_of:
            version, _ = plan_workbook.new_version(reading, version_of, legal_reference, since)
        else:
            plan_workbook.create(reading, legal_reference or "", since)
    except WorkbookError as exc:
        _refused(exc)
    ds = reading.dataset
    if version_of:
        console.print(f"{ds.code}: versión {version.number} registrada ({version.legal_reference}), rige desde el "
                      f"{version.applies_from:%d/%m/%Y}; {len(version.changes)} cambios en estructura, fichas y metas.")
    else:
        console.print(f"Plan {ds.code} creado: {ds.spec.name} — {len(ds.plan.elements)} elementos, {len(ds.plan.indicators)} "
                      f"indicadores, {len(ds.records)} cifras.")


def _fail(message: str) -> None:
    console.print(f"[bold red]Error:[/] {message}")
    raise typer.Exit(2)


def _changes(plan) -> None:
    if plan.existing is None:
        ds = plan.dataset
        console.print(f"Se crearía el plan {ds.code}: {ds.spec.name} — {len(ds.plan.elements)} elementos, "
                      f"{len(ds.plan.indicators)} indicadores, {len(ds.records)} cifras.")
        return
    if not plan.changes:
        console.print(f"El libro no cambia nada de {plan.existing.code}.")
    for c in plan.changes:
        detail = f" {c.field}: {c.old or '—'} → {c.new or '—'}" if c.field else ""
        console.print(f"  · {c.section} {c.code} {c.action}{detail}", markup=False, highlight=False)


def _refused(exc) -> None:
    console.print(f"[bold red]No se cargó nada.[/] El libro tiene {len(exc.problems)} problema(s):")
    for p in exc.problems:
        console.print(f"  · {p}", markup=False, highlight=False)
    raise typer.Exit(2)


def _warn(reading) -> None:
    for w in reading.warnings:
        console.print(f"[yellow]Aviso:[/] {w}", highlight=False)
