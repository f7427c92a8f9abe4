"""The `vigia` command line."""

from __future__ import annotations

import csv
import os
import sys
from contextlib import contextmanager
from dataclasses import asdict
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from vigia import cli_registry, cli_reporting, cli_support, datasets, outputs, plan_cli, sources
from vigia.cli_support import fail
from vigia.documents import cli as documents_cli
from vigia.methodology import alerts as alert_rules
from vigia.methodology import checks
from vigia.methodology import trajectory as traj
from vigia.methodology.bands import ORDER, Band
from vigia.methodology.evaluation import INDEX_CODE, Evaluation, evaluate
from vigia.methodology.rules import ruleset
from vigia.presentation import numbers
from vigia.presentation.payload import progress_payload

cli_support.install()
app = typer.Typer(help="Vigía: seguimiento y evaluación de políticas nacionales y planes (CEPLAN).", no_args_is_help=True,
                  cls=cli_support.SpanishGroup, add_completion=False, pretty_exceptions_enable=False,
                  options_metavar="[OPCIONES]", subcommand_metavar="COMANDO [ARGUMENTOS]...")
console = Console(width=None if sys.stdout.isatty() else 150)
BAND_STYLE = {Band.GREEN: "bold green", Band.YELLOW: "bold yellow", Band.RED: "bold red", Band.ND: "dim"}


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _dataset(plan: str, year: int | None = None, period: str = "anual") -> datasets.Dataset:
    """The plan (with ``year``, as the version in force that year defines it)."""
    if plan not in sources.available():
        fail(f"no existe el plan «{plan}» (planes: {', '.join(sources.available())}).")
    try:
        return sources.dataset(plan, year=year, period=period)
    except datasets.DatasetError as exc:  # a malformed bundled file: name it inside the package, not on this disk
        where = f"{exc.path.parent.name}/{exc.path.name}" + (f", línea {exc.line}" if exc.line else "")
        fail(f"{where}: " + (f"campo «{exc.field}»: " if exc.field else "") + exc.message)


def _evaluation(plan: str, year: int, vintage: str | None, period: str) -> tuple[datasets.Dataset, Evaluation]:
    """The evaluation of a year that has data; otherwise an error naming what does exist."""
    ds = _dataset(plan)
    if vintage and vintage not in ds.vintages:
        fail(f"la edición «{vintage}» no existe en {plan} (ediciones: {', '.join(ds.vintages)}).")
    edition = vintage or ds.spec.current_vintage
    figures = [r for r in ds.records if r.vintage == edition and r.kind in ("target", "actual")]
    if not figures:
        fail(f"{plan} no tiene valores en la edición {edition}: no hay avance que calcular.")
    periods = sorted({r.period for r in figures})
    if period not in periods:
        fail(f"{plan} no tiene datos del periodo «{period}» en la edición {edition} (periodos con datos: {', '.join(periods)}).")
    years = sorted({r.year for r in figures if r.period == period})
    if year not in years:
        fail(f"{plan} no tiene datos de {year} en la edición {edition}, periodo {period} (años con datos: {_years(years)}).")
    ds = _dataset(plan, year, period)
    return ds, evaluate(ds.plan, ds.series(vintage, period), year, ruleset(ds.spec.ruleset), period)


def _years(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))


PlanArg = typer.Argument(..., metavar="PLAN", help="Código del plan: pnp2030, pei-inpe, pp-creo o uno cargado en la base de datos.")
YearOpt = typer.Option(..., "--year", "-y", help="Año evaluado.")
VintageOpt = typer.Option(None, "--vintage", help="Edición de los datos (p. ej. RS-2020); por defecto la vigente.")
PeriodOpt = typer.Option("anual", "--period", help="anual o S1 (primer semestre).")


@app.command()
def plans() -> None:
    """Lista los planes: los incluidos y, si hay una base de datos configurada, los cargados en ella."""
    table = Table("Código", "Tipo", "Nombre", "Elementos", "Indicadores", "Ediciones")
    for code in sources.available():
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
        print(outputs.json_dumps(progress_payload(ds, ev, vintage or ds.spec.current_vintage), ensure_ascii=False, indent=2))
    else:
        _progress_table(ds, ev)


def _progress_csv(ev: Evaluation, ds: datasets.Dataset) -> None:
    rows = progress_payload(ds, ev, "")["rows"]
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow(dict(zip(r, outputs.csv_row(r.values()))))


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
        print(outputs.json_dumps([asdict(a) for a in found], ensure_ascii=False, indent=2))
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
        print(outputs.json_dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2, default=str))
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
        print(outputs.json_dumps([{**asdict(t), "outlook": t.outlook_label} for t in found], ensure_ascii=False, indent=2, default=str))
        return
    if output is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["code", "method", "rate", "last_year", "last_value", "final_year", "final_target", "projected", "outlook"])
        for t in found:
            writer.writerow([t.code, t.method, f"{t.rate:.6f}", t.last_year, t.last_value, t.final_year,
                             "" if t.final_target is None else t.final_target, f"{t.projected_final:.4f}", t.outlook_label])
        return
    table = Table("Código", "Método", "Ritmo anual", "Último valor", f"Meta {end}", "Proyectado", "Perspectiva", title=f"Trayectoria al {end}: {ds.spec.name}")
    styles = {traj.Outlook.ACHIEVED: "bold green", traj.Outlook.ON_TRACK: "green", traj.Outlook.NEEDS_ACCELERATION: "yellow",
              traj.Outlook.STALLED: "bold red", traj.Outlook.NO_TARGET: "dim"}
    for t in found:
        rate = f"{t.rate * 100:+.1f} %" if t.method == "tasa compuesta" else f"{t.rate:+.2f}/año"
        meta = "—" if t.final_target is None else numbers.number(t.final_target)
        table.add_row(t.code, t.method, rate, f"{numbers.number(t.last_value)} ({t.last_year})", meta,
                      numbers.number(round(t.projected_final, 2)), f"[{styles[t.outlook]}]{t.outlook_label}[/]")
    console.print(table)
    missing = sum(t.outlook is traj.Outlook.NO_TARGET for t in found)
    if missing:
        console.print(f"{missing} indicador(es) sin meta a {end}: el plan no fija su logro esperado para ese año; la proyección "
                      "muestra adónde lleva el ritmo actual, sin veredicto.")


@app.command()
def load(plans: list[str] = typer.Argument(None, help="Planes a cargar; por defecto todos los incluidos.")) -> None:
    """Carga los datos oficiales en la base de datos (idempotente: registra cada cambio)."""
    from rich.progress import Progress

    from vigia import server

    unknown = [c for c in plans or [] if c not in datasets.available()]
    if unknown:
        fail(f"no existe el plan «{unknown[0]}» (planes: {', '.join(datasets.available())}).")
    server.setup()
    server.migrate()
    codes = plans or datasets.available()
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("Cargando", total=len(codes))
        try:
            results = server.load_all(codes, on_plan=lambda code: bar.update(task, advance=1, description=f"Cargando {code}"))
        except datasets.DatasetError as exc:
            fail(f"{exc.path.parent.name}/{exc.path.name}: {exc.message}")
    for r in results:
        if r.skipped:
            console.print(f"{r.plan}: {r.reason or 'sin cambios'}")
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
    demo: bool = typer.Option(False, "--demo", help="Demostración: otra carpeta de datos (VIGIA_DEMO_DIR, por defecto la de "
                              "datos con «-demo») con un extracto sintético del registro importado; cada página dice "
                              "«DATOS DE DEMOSTRACIÓN». La instalación normal no cambia."),
) -> None:
    """Prepara la base de datos (migra, carga los datos oficiales si está vacía, crea el administrador) y sirve Vigía."""
    from vigia import server

    if demo:
        os.environ["VIGIA_DATA_DIR"] = server.demo_directory()
        os.environ["VIGIA_DEMO"] = "1"
        os.environ.pop("DATABASE_URL", None)  # the demo never writes into the real database
        console.print(f"[bold]DATOS DE DEMOSTRACIÓN[/] en {os.environ['VIGIA_DATA_DIR']}")
    server.setup()
    server.migrate()
    from vigia.core.models import Plan

    if not Plan.objects.exists():
        console.print("Base de datos vacía: cargando los datos oficiales…")
        server.load_all()
    username, password = server.ensure_admin()
    if password:
        console.print(f"[bold]Administrador creado[/]: usuario [bold]{username}[/], contraseña [bold]{password}[/] (se muestra solo esta vez).")
    if demo:
        people = os.environ.get("VIGIA_DEMO_PEOPLE", "")
        server.prepare_demo(int(people) if people.isdigit() and int(people) > 0 else server.DEMO_PEOPLE, say=console.print)
    console.print(f"Vigía en http://{host}:{port}/  (Ctrl+C para detener)")
    if dev:
        from django.core.management import call_command

        call_command("runserver", f"{host}:{port}", use_reloader=False)
    else:
        server.gunicorn(host, port, workers, threads)


ROLES = {"administrador": "admin", "analista": "analyst", "operador": "operator", "decisor": "decision"}


def _setup_existing_database() -> None:
    """Django, on a database that exists already (never create an empty one as a side effect)."""
    from vigia import server

    problem = server.database_problem()
    if problem:
        fail(problem)
    server.setup()


def _password(from_stdin: bool, prompt: bool) -> str | None:
    """A password from standard input (scripts) or a hidden prompt; never from the command line,
    where every local user could read it in the process list."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            fail("--clave-stdin espera la contraseña en la primera línea de la entrada estándar.")
        return line
    if prompt:
        if not sys.stdin.isatty():
            fail("para cambiar la contraseña sin terminal use --clave-stdin.")
        first = typer.prompt("Contraseña nueva", hide_input=True)
        if typer.prompt("Repítala", hide_input=True) != first:
            fail("las dos contraseñas no coinciden.")
        return first
    return None


@app.command()
def users(
    username: str = typer.Argument(None, metavar="USUARIO", help="Usuario a crear o modificar; sin él, lista los usuarios."),
    role: str = typer.Option(None, "--rol", help="administrador, analista, operador o decisor."),
    entity: str = typer.Option(None, "--entidad", help="Sigla de la entidad (obligatoria para un operador), p. ej. INPE."),
    unit: list[str] = typer.Option(None, "--unidad", help="Unidad responsable a la que se limita un operador (repetible)."),
    email: str = typer.Option("", "--correo", help="Correo para las notificaciones y la recuperación de la contraseña."),
    password_stdin: bool = typer.Option(False, "--clave-stdin", help="Lee la contraseña de la entrada estándar (para scripts)."),
    change_password: bool = typer.Option(False, "--cambiar-clave", help="Pide una contraseña nueva (oculta) para un usuario existente."),
) -> None:
    """Crea usuarios y asigna roles (administrador, analista, operador de una entidad, decisor).

    Al crear un usuario, la contraseña se pide sin mostrarla en la terminal (o se lee de la entrada
    estándar con --clave-stdin); sin terminal ni --clave-stdin se genera y se muestra una sola vez."""
    import secrets

    _setup_existing_database()
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
        fail(f"rol «{role}» desconocido (use {', '.join(ROLES)}).")
    ent = Entity.objects.filter(code=entity).first() if entity else None
    if entity and ent is None:
        fail(f"no existe la entidad «{entity}» (entidades: {', '.join(Entity.objects.values_list('code', flat=True))}).")
    if role == "operador" and ent is None:
        fail("un operador necesita --entidad.")
    units = []
    for name in unit or []:
        found = ResponsibleUnit.objects.filter(name=name, **({"entity": ent} if ent else {})).first()
        if found is None:
            fail(f"no existe la unidad «{name}»" + (f" en {ent.code}" if ent else "") + ".")
        units.append(found)
    exists = User.objects.filter(username=username).exists()
    password = _password(password_stdin, change_password or (not exists and sys.stdin.isatty()))
    generated = None
    if not exists and password is None:
        password = generated = secrets.token_urlsafe(12)
    if password is not None:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as exc:
            fail(f"contraseña no válida: {' '.join(exc.messages)}")
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if password is not None:
        user.set_password(password)
    if email:
        user.email = email
    user.save()
    if role:
        set_role(user, ROLES[role], ent, units)
    console.print(f"Usuario {username} {'creado' if created else 'actualizado'}" + (f" con rol {role}" if role else "") + (f" ({ent.code})" if ent else "")
                  + (" y contraseña cambiada" if password is not None and not created else "") + ".")
    if generated:
        console.print(f"Contraseña: [bold]{generated}[/] (se muestra solo esta vez).")


@contextmanager
def _archive_errors(file: Path):
    """Backup and restore failures, in Spanish (the archive's own problems, or the disk's)."""
    from vigia import backup as backups

    try:
        yield
    except backups.BackupError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"no se pudo usar «{file}»: {cli_support.os_error(exc)}.")


@app.command()
def backup(file: Path = typer.Argument(..., metavar="ARCHIVO", help="Archivo de la copia (p. ej. vigia-2026-01-31.tar.gz).")) -> None:
    """Copia de seguridad: base de datos y evidencias en un solo archivo (solo legible por su dueño)."""
    from vigia import backup as backups

    _setup_existing_database()
    with _archive_errors(file):
        done = backups.backup(file)
    console.print(f"Copia guardada en {done.path}: {done.rows:,} filas y {done.files} archivos de evidencia.")


@app.command()
def restore(
    file: Path = typer.Argument(..., metavar="ARCHIVO", help="Copia hecha con «vigia backup»."),
    force: bool = typer.Option(False, "--force", help="Reemplaza los datos de una base que no está vacía (detenga antes el servidor)."),
) -> None:
    """Restaura una copia de seguridad en una instalación vacía (o la reemplaza con --force)."""
    from vigia import backup as backups
    from vigia import server

    if not file.is_file():
        fail(f"no existe el archivo «{file}».")
    server.setup()
    with _archive_errors(file):
        done = backups.restore(file, force=force)
    console.print(f"Copia restaurada: {done.rows:,} filas y {done.files} archivos de evidencia. Cada usuario vuelve a ingresar con su contraseña.")


@app.command()
def remind() -> None:
    """Envía los recordatorios de plazo de las campañas abiertas (para programar cada día)."""
    _setup_existing_database()
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
app.add_typer(plan_cli.app, name="plan")
app.add_typer(cli_registry.app, name="registry")
app.add_typer(cli_reporting.campaigns, name="campaigns")
app.add_typer(cli_reporting.tokens, name="tokens")


def main() -> None:
    from vigia.core.files import private_umask

    private_umask()
    app()
