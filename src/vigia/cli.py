"""The `vigia` command line."""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import asdict
from enum import Enum

import typer
from rich.console import Console
from rich.table import Table

from vigia import cli_registry, datasets
from vigia.documents import cli as documents_cli
from vigia.methodology import alerts as alert_rules
from vigia.methodology import checks
from vigia.methodology import trajectory as traj
from vigia.methodology.bands import ORDER, Band
from vigia.methodology.evaluation import INDEX_CODE, Evaluation, evaluate
from vigia.methodology.rules import ruleset
from vigia.presentation import numbers
from vigia.presentation.payload import progress_payload

app = typer.Typer(help="Vigía: seguimiento y evaluación de políticas nacionales y planes (CEPLAN).", no_args_is_help=True)
console = Console(width=None if sys.stdout.isatty() else 150)
BAND_STYLE = {Band.GREEN: "bold green", Band.YELLOW: "bold yellow", Band.RED: "bold red", Band.ND: "dim"}


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
        _progress_csv(ev, ds)
    elif output is Format.json:
        print(json.dumps(progress_payload(ds, ev, vintage or ds.spec.current_vintage), ensure_ascii=False, indent=2))
    else:
        _progress_table(ds, ev)


def _progress_csv(ev: Evaluation, ds: datasets.Dataset) -> None:
    rows = progress_payload(ds, ev, "")["rows"]
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: "" if v is None else v for k, v in r.items()})


def _band_cell(band: Band, text: str) -> str:
    return f"[{BAND_STYLE[band]}]{text} · {band.value}[/]"


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
            numbers.number(row.target, unit) if row.indicator else "",
            numbers.number(row.actual, unit) if row.indicator else "",
            _band_cell(row.band, numbers.progress(row.progress, rules)) if row.measured else "[dim]sin indicadores[/]",
            style=style,
        )
    console.print(table)

    summary = Table(title="Resumen: avance por objetivo", expand=False)
    summary.add_column("Código", no_wrap=True)
    summary.add_column("Objetivo", max_width=70)
    summary.add_column("Avance % · semáforo", justify="right", no_wrap=True)
    for row in ev.objectives:
        summary.add_row(row.code, row.name, _band_cell(row.band, numbers.progress(row.progress, rules)))
    if rules.index:
        idx = ev.row(INDEX_CODE)
        summary.add_row(INDEX_CODE, idx.name, _band_cell(idx.band, numbers.progress(idx.progress, rules)), style="bold")
    console.print(summary)

    counts = Table(title="Semáforo: número de elementos por nivel", expand=False)
    counts.add_column("Nivel")
    for band in ORDER:
        counts.add_column(f"{band.range} ({band.value})", justify="right")
    for level, c in ev.band_counts.items():
        counts.add_row(level, *(f"[{BAND_STYLE[b]}]{c[b]}[/]" for b in ORDER))
    console.print(counts)


@app.command()
def alerts(
    plan: str = PlanArg,
    year: int = YearOpt,
    output: Format = typer.Option(Format.table, "--format", "-f", help="table o json."),
    lowest: int = typer.Option(4, help="Cuántos indicadores de menor avance lista la alerta (d)."),
    vintage: str = VintageOpt,
) -> None:
    """Alertas (a)-(d) del año, generadas a partir de los datos."""
    ds, ev = _evaluation(plan, year, vintage, "anual")
    found = alert_rules.alerts(ev, ds.series(vintage), n=lowest)
    if output is Format.json:
        print(json.dumps([asdict(a) for a in found], ensure_ascii=False, indent=2))
        return
    if not found:
        console.print(f"Sin alertas para {year}.")
    for a in found:
        console.rule(f"[bold]({a.kind}) {a.title}")
        console.print(a.text)


@app.command(name="check")
def check_cmd(
    plan: str = PlanArg,
    output: Format = typer.Option(Format.table, "--format", "-f", help="table o json."),
) -> None:
    """Revisa la consistencia de los documentos oficiales con sus propias cifras."""
    ds = _dataset(plan)
    findings = checks.check(ds.plan, ruleset(ds.spec.ruleset), ds.editions(), ds.spec.current_vintage)
    if output is Format.json:
        print(json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2, default=str))
        return
    table = Table("Gravedad", "Regla", "Código", "Edición", "Hallazgo", title=f"Revisión de consistencia: {ds.spec.name}")
    styles = {checks.Severity.ERROR: "bold red", checks.Severity.WARNING: "yellow", checks.Severity.INFO: "dim"}
    order = list(checks.Severity)
    for f in sorted(findings, key=lambda f: order.index(f.severity)):
        table.add_row(f"[{styles[f.severity]}]{f.severity.value}[/]", f.rule, f.code, f.edition, f.text)
    console.print(table)
    counts = {s: sum(f.severity is s for f in findings) for s in order}
    console.print(", ".join(f"{n} {s.value}" for s, n in counts.items()))


@app.command()
def trajectory(
    plan: str = PlanArg,
    output: Format = typer.Option(Format.table, "--format", "-f", help="table, csv o json."),
    horizon: int = typer.Option(None, help="Año horizonte; por defecto el fin del plan."),
) -> None:
    """Proyección de la tendencia de cada indicador al horizonte del plan: ¿se cumplirá la meta?"""
    ds = _dataset(plan)
    end = horizon or ds.spec.period.end or max((r.year for r in ds.records), default=None)
    if end is None:
        console.print(f"{ds.spec.name} no tiene valores ni horizonte: no hay trayectoria que proyectar.")
        return
    series = ds.series()
    found = [t for i in ds.plan.indicators if (t := traj.project(i, series[i.code], end) if i.code in series else None)]
    if output is Format.json:
        print(json.dumps([asdict(t) for t in found], ensure_ascii=False, indent=2, default=str))
        return
    if output is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["code", "method", "rate", "last_year", "last_value", "final_year", "final_target", "projected", "outlook", "target_assumed"])
        for t in found:
            writer.writerow([t.code, t.method, f"{t.rate:.6f}", t.last_year, t.last_value, t.final_year, t.final_target, f"{t.projected_final:.4f}", t.outlook.value, t.target_assumed])
        return
    table = Table("Código", "Método", "Ritmo anual", "Último valor", "Meta", "Proyectado", "Perspectiva", title=f"Trayectoria al {end}: {ds.spec.name}")
    styles = {traj.Outlook.ACHIEVED: "bold green", traj.Outlook.ON_TRACK: "green", traj.Outlook.NEEDS_ACCELERATION: "yellow", traj.Outlook.STALLED: "bold red"}
    for t in found:
        rate = f"{t.rate * 100:+.1f} %" if t.method == "tasa compuesta" else f"{t.rate:+.2f}/año"
        meta = f"{numbers.number(t.final_target)} ({t.final_year}{'*' if t.target_assumed else ''})"
        table.add_row(t.code, t.method, rate, f"{numbers.number(t.last_value)} ({t.last_year})", meta, numbers.number(round(t.projected_final, 2)), f"[{styles[t.outlook]}]{t.outlook.value}[/]")
    console.print(table)
    console.print("* sin meta oficial posterior al último dato: se mantiene la última meta conocida hasta el horizonte.")


@app.command()
def load(plans: list[str] = typer.Argument(None, help="Planes a cargar; por defecto todos los incluidos.")) -> None:
    """Carga los datos oficiales en la base de datos (idempotente: registra cada cambio)."""
    from rich.progress import Progress

    from vigia import server

    server.setup()
    server.migrate()
    codes = plans or datasets.available()
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Cargando", total=len(codes))
        try:
            results = server.load_all(codes, on_plan=lambda code: bar.update(task, advance=1, description=f"Cargando {code}"))
        except datasets.DatasetError as exc:
            console.print(f"[bold red]Error:[/] {exc}")
            raise typer.Exit(2) from None
    for r in results:
        if r.skipped:
            console.print(f"{r.plan}: sin cambios")
        else:
            console.print(f"{r.plan}: {r.created} creados, {r.updated} modificados, {r.deleted} eliminados")
            for c in r.changes[:20]:
                console.print(f"  · {c.model} {c.code} {c.field}: {c.old!r} → {c.new!r}")
            if len(r.changes) > 20:
                console.print(f"  … y {len(r.changes) - 20} cambios más (ver «Cargas de datos» en la administración)")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Dirección en la que escuchar."),
    port: int = typer.Option(8000, help="Puerto."),
    dev: bool = typer.Option(False, "--dev", help="Servidor de desarrollo de Django en lugar de gunicorn."),
    workers: int = typer.Option(max(2, os.cpu_count() or 1), help="Procesos de gunicorn (por defecto, uno por núcleo)."),
    threads: int = typer.Option(2, help="Hilos por proceso de gunicorn."),
) -> None:
    """Prepara la base de datos (migra, carga los datos oficiales si está vacía, crea el administrador) y sirve Vigía."""
    from vigia import server

    server.setup()
    server.migrate()
    from vigia.core.models import Plan

    if not Plan.objects.exists():
        console.print("Base de datos vacía: cargando los datos oficiales…")
        server.load_all()
    username, password = server.ensure_admin()
    if password:
        console.print(f"[bold]Administrador creado[/]: usuario [bold]{username}[/], contraseña [bold]{password}[/] (se muestra solo esta vez).")
    console.print(f"Vigía en http://{host}:{port}/  (Ctrl+C para detener)")
    if dev:
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}", use_reloader=False)
    else:
        server.gunicorn(host, port, workers, threads)


ROLES = {"administrador": "admin", "analista": "analyst", "operador": "operator", "decisor": "decision"}


@app.command()
def users(
    username: str = typer.Argument(None, help="Usuario a crear o modificar; sin él, lista los usuarios."),
    role: str = typer.Option(None, "--rol", help="administrador, analista, operador o decisor."),
    entity: str = typer.Option(None, "--entidad", help="Sigla de la entidad (obligatoria para un operador), p. ej. INPE."),
    unit: list[str] = typer.Option(None, "--unidad", help="Unidad responsable a la que se limita un operador (repetible)."),
    email: str = typer.Option("", "--correo", help="Correo para las notificaciones."),
    password: str = typer.Option(None, "--clave", help="Contraseña; si se omite al crear, se genera y se muestra una vez."),
) -> None:
    """Crea usuarios y asigna roles (administrador, analista, operador de una entidad, decisor)."""
    import secrets

    from vigia import server

    server.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import ValidationError, validate_password

    from vigia.core.models import Entity, ResponsibleUnit
    from vigia.reporting.services import set_role

    User = get_user_model()
    if not username:
        table = Table("Usuario", "Rol", "Entidad", "Correo", title="Usuarios de Vigía")
        for u in User.objects.order_by("username").select_related("profile__entity"):
            p = getattr(u, "profile", None)
            table.add_row(u.username, "superusuario" if u.is_superuser else (p.get_role_display() if p else "sin rol"), str(p.entity or "") if p else "", u.email)
        console.print(table)
        return
    if role and role not in ROLES:
        console.print(f"[bold red]Error:[/] rol «{role}» desconocido (use {', '.join(ROLES)}).")
        raise typer.Exit(2)
    ent = Entity.objects.filter(code=entity).first() if entity else None
    if entity and ent is None:
        console.print(f"[bold red]Error:[/] no existe la entidad «{entity}» (entidades: {', '.join(Entity.objects.values_list('code', flat=True))}).")
        raise typer.Exit(2)
    if role == "operador" and ent is None:
        console.print("[bold red]Error:[/] un operador necesita --entidad.")
        raise typer.Exit(2)
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    generated = None
    if created or password:
        generated = None if password else secrets.token_urlsafe(12)
        try:
            validate_password(password or generated, user)
        except ValidationError as exc:
            if created:
                user.delete()
            console.print(f"[bold red]Error:[/] contraseña no válida: {' '.join(exc.messages)}")
            raise typer.Exit(2) from None
        user.set_password(password or generated)
    if email:
        user.email = email
    user.save()
    if role:
        units = [ResponsibleUnit.objects.get(name=u) for u in unit or []]
        set_role(user, ROLES[role], ent, units)
    console.print(f"Usuario {username} {'creado' if created else 'actualizado'}" + (f" con rol {role}" if role else "") + (f" ({ent.code})" if ent else "") + ".")
    if generated:
        console.print(f"Contraseña: [bold]{generated}[/] (se muestra solo esta vez).")


@app.command()
def remind() -> None:
    """Envía los recordatorios de plazo de las campañas abiertas (para programar cada día)."""
    from vigia import server

    server.setup()
    from vigia.reporting.services import remind as send

    console.print(f"Recordatorios enviados: {send()}")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Ejecuta un comando de administración de Django (p. ej. `vigia manage createsuperuser`)."""
    from django.core.management import execute_from_command_line

    from vigia import server

    server.setup()
    execute_from_command_line(["vigia manage", *ctx.args])


app.command(name="report")(documents_cli.report)
app.add_typer(cli_registry.app, name="registry")


def main() -> None:
    app()
