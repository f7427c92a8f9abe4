"""The `vigia` command line."""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum

import typer
from rich.console import Console
from rich.table import Table

from vigia import datasets, formatting
from vigia.methodology.bands import ORDER, Band, displayed
from vigia.methodology.evaluation import INDEX_CODE, Evaluation, evaluate
from vigia.methodology.rules import ruleset

app = typer.Typer(help="Vigía: seguimiento y evaluación de políticas nacionales y planes (CEPLAN).", no_args_is_help=True)
console = Console(width=None if sys.stdout.isatty() else 150)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _dataset(plan: str) -> datasets.Dataset:
    try:
        return datasets.load(plan)
    except datasets.DatasetError as exc:
        console.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(2) from None


def _evaluation(plan: str, year: int, vintage: str | None, period: str) -> tuple[datasets.Dataset, Evaluation]:
    ds = _dataset(plan)
    if vintage and vintage not in ds.vintages:
        console.print(f"[bold red]Error:[/] la edición '{vintage}' no existe en {plan} (ediciones: {', '.join(ds.vintages)})")
        raise typer.Exit(2)
    return ds, evaluate(ds.plan, ds.series(vintage, period), year, ruleset(ds.spec.ruleset), period)


PlanArg = typer.Argument(..., help="Código del plan: pnp2030, pei-inpe, pp-creo.")
YearOpt = typer.Option(..., "--year", "-y", help="Año evaluado.")
VintageOpt = typer.Option(None, "--vintage", help="Edición de los datos (p. ej. RS-2020); por defecto la vigente.")
PeriodOpt = typer.Option("anual", "--period", help="anual o S1 (primer semestre).")


@app.command()
def plans() -> None:
    """Lista los planes incluidos."""
    table = Table("Código", "Tipo", "Nombre", "Elementos", "Indicadores", "Ediciones")
    for code in datasets.available():
        ds = _dataset(code)
        table.add_row(code, ds.spec.kind, ds.spec.name, str(len(ds.plan.elements)), str(len(ds.plan.indicators)), ", ".join(ds.vintages))
    console.print(table)


@app.command()
def progress(
    plan: str = PlanArg,
    year: int = YearOpt,
    output: Format = typer.Option(Format.table, "--format", "-f", help="table, csv o json."),
    vintage: str = VintageOpt,
    period: str = PeriodOpt,
) -> None:
    """Avance de cada elemento e indicador del plan en el año, con semáforo e índice."""
    ds, ev = _evaluation(plan, year, vintage, period)
    if output is Format.csv:
        _progress_csv(ev)
    elif output is Format.json:
        print(json.dumps(_progress_json(ev), ensure_ascii=False, indent=2))
    else:
        _progress_table(ds, ev)


def _row_dict(ev: Evaluation, row) -> dict:
    ind = row.indicator
    return {
        "code": row.code,
        "level": row.level,
        "name": row.name,
        "parent": ind.element if ind else (row.element.parent if row.element else None),
        "entity": None,
        "direction": ind.direction.value if ind else None,
        "unit": ind.unit if ind else None,
        "target": row.target,
        "actual": row.actual,
        "progress": displayed(row.progress, ev.rules),
        "progress_exact": row.progress,
        "band": row.band.value,
        "reason": row.reason.text if ind else "",
    }


def _rows(ev: Evaluation, ds: datasets.Dataset | None = None) -> list[dict]:
    out = []
    for row in ev.rows:
        d = _row_dict(ev, row)
        if row.indicator and ds:
            d["entity"] = ds.indicator_spec(row.code).entity
        out.append(d)
    return out


def _progress_csv(ev: Evaluation) -> None:
    ds = datasets.load(ev.plan.code)
    rows = _rows(ev, ds)
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: "" if v is None else v for k, v in r.items()})


def _progress_json(ev: Evaluation) -> dict:
    ds = datasets.load(ev.plan.code)
    return {
        "plan": ev.plan.code,
        "name": ev.plan.name,
        "year": ev.year,
        "period": ev.period,
        "ruleset": ev.rules.name,
        "rows": _rows(ev, ds),
        "objectives": [_row_dict(ev, r) for r in ev.objectives],
        "index": displayed(ev.index, ev.rules),
        "index_exact": ev.index,
        "band_counts": {lv: {b.value: n for b, n in counts.items()} for lv, counts in ev.band_counts.items()},
    }


def _band_cell(band: Band, text: str) -> str:
    return f"[{formatting.BAND_STYLE[band]}]{text} · {band.value}[/]"


def _progress_table(ds: datasets.Dataset, ev: Evaluation) -> None:
    rules = ev.rules
    table = Table(title=f"{ev.plan.name} — avance {ev.year} ({ev.period})", show_lines=False, expand=False)
    for col, kw in (("Código", {"no_wrap": True}), ("Nivel", {}), ("Nombre", {"min_width": 30, "max_width": 70}),
                    ("Esperado", {"justify": "right"}), ("Obtenido", {"justify": "right"}), ("Avance % · semáforo", {"justify": "right", "no_wrap": True})):
        table.add_column(col, **kw)
    for row in ev.rows:
        if row.code == INDEX_CODE:
            continue
        unit = row.indicator.unit if row.indicator else "number"
        name = ("  " * row.depth) + row.name
        style = "bold" if row.depth == 0 else None
        table.add_row(
            row.code,
            row.level,
            name,
            formatting.number(row.target, unit) if row.indicator else "",
            formatting.number(row.actual, unit) if row.indicator else "",
            _band_cell(row.band, formatting.progress(row.progress, rules)),
            style=style,
        )
    console.print(table)

    summary = Table(title="Resumen: avance por objetivo", expand=False)
    summary.add_column("Código", no_wrap=True)
    summary.add_column("Objetivo", max_width=70)
    summary.add_column("Avance % · semáforo", justify="right", no_wrap=True)
    for row in ev.objectives:
        summary.add_row(row.code, row.name, _band_cell(row.band, formatting.progress(row.progress, rules)))
    if rules.index:
        idx = ev.row(INDEX_CODE)
        summary.add_row(INDEX_CODE, idx.name, _band_cell(idx.band, formatting.progress(idx.progress, rules)), style="bold")
    console.print(summary)

    counts = Table(title="Semáforo: número de elementos por nivel", expand=False)
    counts.add_column("Nivel")
    for band in ORDER:
        counts.add_column(f"{band.range} ({band.value})", justify="right")
    for level, c in ev.band_counts.items():
        counts.add_row(level, *(f"[{formatting.BAND_STYLE[b]}]{c[b]}[/]" for b in ORDER))
    console.print(counts)


def main() -> None:
    app()
