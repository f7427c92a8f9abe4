"""`vigia registry`: import a penitentiary registry extract, see what is loaded, compute its measures,
and write a synthetic extract for demonstrations."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import typer
from rich.console import Console
from rich.table import Table

from vigia.presentation import numbers
from vigia.registry import (
    ExtractError,
    MeasureRow,
    Registry,
    RegistryError,
    demo,
    import_extract,
)
from vigia.registry import output as registry_output
from vigia.registry.measures import BY_NAME, SCOPES

app = typer.Typer(help="Registro penitenciario: importa un extracto y calcula sus medidas por establecimiento, "
                       "oficina regional, nación y sexo.", no_args_is_help=True)
out = Console(width=None if sys.stdout.isatty() else 150, soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

FORMATS = ("csv", "json", "table")
SCOPE_WORDS = {"nation": "nación", "office": "oficina regional", "establishment": "establecimiento"}


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {message}", highlight=False)
    return typer.Exit(2)


def data_dir() -> Path:
    """The data directory, as the rest of Vigía resolves it (VIGIA_DATA_DIR)."""
    return Path(os.environ.get("VIGIA_DATA_DIR") or Path.home() / ".local" / "share" / "vigia")


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(f"{option} «{text}» no es una fecha AAAA-MM-DD.") from None


def _count(text: str, option: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise _fail(f"{option} «{text}» debe ser un número entero positivo.")
    return int(text)


def _registry() -> Registry:
    try:
        return Registry(data_dir())
    except RegistryError as exc:
        raise _fail(f"{exc}.") from None
    except duckdb.Error:
        raise _fail(f"no se pudo leer el extracto importado en {data_dir() / 'registro'}: vuelva a importarlo.") from None


@app.command(name="import")
def import_cmd(
    directory: Path = typer.Argument(None, help="Carpeta con establecimientos y estancias (.csv o .parquet)."),
    discard: bool = typer.Option(False, "--discard", help="Descarta las filas por persona tras calcular: guarda solo "
                                 "los establecimientos y las cifras de fin de cada mes y de la fecha de corte."),
    cutoff: str = typer.Option(None, "--cutoff", help="Fecha de corte AAAA-MM-DD; por defecto, la última fecha de las estancias."),
    start: str = typer.Option(None, "--start", help="Primer día que el extracto cubre completo AAAA-MM-DD; por defecto, "
                              "su primer egreso."),
) -> None:
    """Revisa cada fila del extracto y, si todo está bien, reemplaza el extracto importado (todo o nada)."""
    if directory is None:
        raise _fail("indique la carpeta del extracto: vigia registry import CARPETA.")
    started = time.perf_counter()
    try:
        info = import_extract(directory, data_dir(), keep=not discard, cutoff=cutoff and _date(cutoff, "--cutoff"),
                              start=start and _date(start, "--start"))
    except ExtractError as exc:
        err.print(f"[bold red]{exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    except OSError as exc:
        raise _fail(f"no se pudo escribir en la carpeta de datos {data_dir()}: {exc.strerror or exc}.") from None
    out.print(f"Extracto importado en {time.perf_counter() - started:.1f} s: {info.stays:,} estancias de {info.persons:,} personas "
              f"en {info.establishments} establecimientos, del {info.start:%d/%m/%Y} al {info.cutoff:%d/%m/%Y}.", highlight=False)
    out.print(f"Cifras calculadas para {info.standard_dates} fechas (fin de cada mes y fecha de corte). "
              + ("Filas por persona conservadas (archivo solo legible por su dueño)." if info.kept
                 else "Filas por persona descartadas: solo quedan las cifras."), highlight=False)
    _into_workflow()


def _into_workflow() -> None:
    """Load the units into Vigía's database and propose the linked indicators' values, if Vigía has a
    database already (the registry itself needs none)."""
    from vigia import server

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigia.settings")
    from django.conf import settings

    if Path(settings.DATA_DIR) != data_dir().resolve():  # settings read in this process for another directory
        return
    if server.database_problem():
        out.print("Vigía aún no tiene base de datos: las unidades organizativas y los valores propuestos se cargarán en la "
                  "próxima importación, después de «vigia serve» o «vigia load».", highlight=False)
        return
    server.setup()
    server.migrate()
    from vigia.reporting.proposals import after_import

    counts, run = after_import(_registry())
    out.print(f"Unidades organizativas: INPE, {counts['offices']} oficinas regionales, {counts['EP']} EP y {counts['EML']} EML.",
              highlight=False)
    for where in run.proposed:
        out.print(f"Valor propuesto: {where}.", highlight=False)
    if run.unchanged:
        out.print(f"Sin cambios (ya propuestos con este extracto): {', '.join(run.unchanged)}.", highlight=False)
    for why in run.skipped:
        out.print(f"Sin propuesta: {why}.", highlight=False)


@app.command()
def status() -> None:
    """Qué extracto está importado: periodo, tamaño, huella y si conserva las filas por persona."""
    info = _registry().info
    out.print(f"Extracto del registro penitenciario importado el {info.imported:%d/%m/%Y %H:%M}", highlight=False)
    out.print(f"  Periodo: del {info.start:%d/%m/%Y} al {info.cutoff:%d/%m/%Y} (fecha de corte)", highlight=False)
    out.print(f"  Establecimientos: {info.establishments} ({info.establishment_rows} filas) · Estancias: {info.stays:,} · "
              f"Personas: {info.persons:,} · Formato: {info.formats}", highlight=False)
    out.print(f"  Cifras calculadas: {info.standard_dates} fechas (fin de cada mes y fecha de corte)", highlight=False)
    out.print("  Filas por persona: " + ("conservadas (se puede calcular cualquier fecha del periodo)" if info.kept
                                          else "descartadas tras el cálculo (solo las fechas calculadas)"), highlight=False)
    out.print(f"  SHA-256 de los archivos: {info.sha256}", highlight=False)


@app.command(name="measures")
def measures_cmd(
    dates: list[str] = typer.Option(None, "--date", help="Fecha AAAA-MM-DD (repetible); por defecto, la fecha de corte."),
    names: list[str] = typer.Option(None, "--measure", help=f"Medida (repetible): {', '.join(BY_NAME)}; por defecto, todas."),
    scopes: list[str] = typer.Option(None, "--scope", help="Ámbito (repetible): nation, office o establishment; por defecto, todos."),
    output: str = typer.Option("table", "--format", help="csv, json o table."),
    public: bool = typer.Option(False, "--public", help="Como se publicaría: oculta las celdas con menos de 5 personas."),
) -> None:
    """Las medidas en cada fecha, por establecimiento, oficina regional, nación y sexo."""
    if output not in FORMATS:
        raise _fail(f"formato «{output}» desconocido (use csv, json o table).")
    for name in names or []:
        if name not in BY_NAME:
            raise _fail(f"medida «{name}» desconocida (medidas: {', '.join(BY_NAME)}).")
    for scope in scopes or []:
        if scope not in SCOPES:
            raise _fail(f"ámbito «{scope}» desconocido (use {', '.join(SCOPES)}).")
    registry = _registry()
    wanted = [_date(d, "--date") for d in dates] if dates else [registry.info.cutoff]
    try:
        rows = registry.measures(wanted, names or None, scopes or None, public=public)
    except RegistryError as exc:
        raise _fail(f"{exc}.") from None
    if output == "csv":
        registry_output.write_csv(rows, sys.stdout, public)
    elif output == "json":
        print(json.dumps([registry_output.record(r, public) for r in rows], ensure_ascii=False, indent=2))
    else:
        _table(rows, registry)
    _note_history(wanted, names, registry)


def _note_history(dates: list[date], names: list[str] | None, registry: Registry) -> None:
    """Say why reingreso_5a is missing on dates whose five-year period starts before the extract."""
    if names and "reingreso_5a" not in names:
        return
    short = [d for d in dates if date(d.year - 4, 1, 1) < registry.info.start]
    if short:
        sys.stdout.flush()
        err.print(f"Nota: reingreso_5a necesita egresos desde el 1 de enero de cuatro años antes; el extracto empieza el "
                  f"{registry.info.start:%d/%m/%Y}, así que no se calcula para {', '.join(f'{d:%d/%m/%Y}' for d in short)}.",
                  highlight=False)


def _table(rows: list[MeasureRow], registry: Registry) -> None:
    names = {u["code"]: u["name"] for u in registry.units()}
    table = Table("Medida", "Fecha", "Ámbito", "Unidad", "Sexo", "Valor", "Numerador", "Denominador",
                  title=f"Registro penitenciario (extracto al {registry.info.cutoff:%d/%m/%Y})")
    for r in rows:
        m = BY_NAME[r.measure]
        unit = "percentage" if m.unit == "%" else "number"
        figures = ["reservado (< 5 personas)", "", ""] if r.suppressed else [
            numbers.number(r.value, unit) if r.value is not None else "sin dato",
            "" if r.numerator is None else numbers.number(r.numerator),
            "" if r.denominator is None else numbers.number(r.denominator)]
        table.add_row(r.measure, f"{r.date:%d/%m/%Y}", SCOPE_WORDS[r.scope], names.get(r.code, r.code),
                      {"": "ambos", "M": "hombres", "F": "mujeres"}[r.sex], *figures)
    out.print(table)


@app.command(name="demo")
def demo_cmd(
    people: str = typer.Option(str(demo.REFERENCE_PEOPLE), "--people", help="Personas distintas del extracto "
                               f"({demo.REFERENCE_PEOPLE:,} ≈ escala nacional, unos dos millones de estancias; "
                               "las capacidades se escalan en proporción)."),
    directory: Path = typer.Option(None, "--out", help="Carpeta donde escribir establecimientos y estancias."),
    seed: str = typer.Option("1", "--seed", help="Semilla: la misma semilla escribe los mismos archivos."),
    output: str = typer.Option("csv", "--format", help="csv o parquet."),
) -> None:
    """Escribe un extracto sintético nacional (DATOS DE DEMOSTRACIÓN, ninguna persona real) en el formato de importación."""
    if directory is None:
        raise _fail("indique la carpeta de salida con --out CARPETA.")
    if output not in ("csv", "parquet"):
        raise _fail(f"formato «{output}» desconocido (use csv o parquet).")
    n, s = _count(people, "--people"), int(seed) if seed.isdigit() else None
    if s is None:
        raise _fail(f"--seed «{seed}» debe ser un número entero no negativo.")
    started = time.perf_counter()
    summary = demo.generate(directory, n, s, output)
    out.print(f"Extracto de demostración en {summary.directory}: {summary.stays:,} estancias de {summary.persons:,} personas, "
              f"{summary.establishment_rows} filas de establecimientos, del {summary.start:%d/%m/%Y} al {summary.end:%d/%m/%Y} "
              f"({time.perf_counter() - started:.1f} s).", highlight=False)
    out.print(f"Impórtelo con: vigia registry import {summary.directory}", highlight=False)
