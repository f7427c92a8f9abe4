"""`vigia campaigns` and `vigia tokens`: open a reporting campaign from a script, and manage the
tokens that entities' systems use for the write API. Both go through the same rules as the web
(``reporting.campaigns``, ``reporting.tokens``)."""

from __future__ import annotations

import os
import sys
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from vigia.cli_support import fail

campaigns = typer.Typer(help="Campañas de reporte: abrirlas y listarlas.", no_args_is_help=True)
tokens = typer.Typer(help="Tokens de la API de escritura: se crean (se muestran una sola vez) y se revocan por usuario.",
                     no_args_is_help=True)
console = Console(width=None if sys.stdout.isatty() else 150, soft_wrap=True)


def _django() -> None:
    from vigia import server

    problem = server.database_problem()
    if problem:
        fail(problem)
    server.setup()


def _user(username: str | None):
    """The named user, or the administrator who runs the installation (``VIGIA_ADMIN_USER``)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    name = username or os.environ.get("VIGIA_ADMIN_USER", "admin")
    user = User.objects.filter(username=name).first()
    if user is None and username is None:
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        fail(f"no existe el usuario «{name}» (créelo con «vigia users»).")
    return user


@campaigns.command("open")
def open_(
    plan: str = typer.Argument(..., metavar="PLAN", help="Código del plan: pnp2030, pei-inpe, pp-creo."),
    year: int = typer.Option(..., "--year", "-y", help="Año que se reporta."),
    period: str = typer.Option("anual", "--period", help="anual o S1 (primer semestre)."),
    entity: str = typer.Option(None, "--entity", help="Entidad que reporta (p. ej. INPE); sin --indicators, todos sus indicadores."),
    indicators: list[str] = typer.Option(None, "--indicators", help="Códigos de los indicadores (repetible o separados por comas)."),
    deadline: str = typer.Option(..., "--deadline", help="Plazo de reporte, AAAA-MM-DD."),
    opens: str = typer.Option(None, "--opens", help="Inicio, AAAA-MM-DD; por defecto hoy."),
    name: str = typer.Option("", "--name", help="Nombre de la campaña; por defecto «Reporte AÑO ENTIDAD — plan»."),
    no_target_reason: str = typer.Option("", "--no-target-reason", help="Motivo para abrir con indicadores sin logro esperado del periodo."),
    username: str = typer.Option(None, "--as", metavar="USUARIO", help="Quién la abre (un administrador); por defecto el administrador."),
) -> None:
    """Abre una campaña: sus indicadores (de una entidad o por código) deben tener logro esperado
    del periodo, o se indica el motivo para abrir sin él."""
    _django()
    from vigia.core.inputs import Invalid
    from vigia.core.models import Plan
    from vigia.reporting import campaigns as rules
    from vigia.reporting import permissions as perms

    found = Plan.objects.filter(code=plan).first()
    if found is None:
        fail(f"no existe el plan «{plan}» (planes: {', '.join(Plan.objects.values_list('code', flat=True))}).")
    user = _user(username)
    if not perms.can_manage(user):
        fail(f"«{user.get_username()}» no es administrador: solo la oficina de planeamiento abre campañas.")
    codes = [c for item in indicators or [] for c in item.replace(",", " ").split()] if indicators else None
    data = {"year": year, "period": period, "entity": entity, "indicators": codes, "deadline": deadline,
            "opens": opens or date.today().isoformat(), "name": name, "no_target_reason": no_target_reason}
    try:
        opened = rules.open_campaign(user, found, data)
    except Invalid as exc:
        lacking = any(e.startswith("Campo «logro esperado»") for e in exc.errors)
        fail(" ".join(exc.errors) + (" Use --no-target-reason «motivo», o fije las metas en la web (Campañas › Abrir una campaña)."
                                     if lacking else ""))
    c = opened.campaign
    console.print(f"Campaña {c.pk} abierta: «{c.name}», {opened.indicators} indicadores, plazo {c.deadline:%d/%m/%Y}."
                  + (f" Sin logro esperado: {', '.join(opened.without_target)}." if opened.without_target else ""))


@campaigns.command("list")
def list_() -> None:
    """Lista las campañas con su estado y completitud."""
    _django()
    from vigia.reporting.models import Campaign, State

    table = Table("Id", "Campaña", "Plan", "Periodo", "Entidad", "Plazo", "Estado", "Enviados o más", title="Campañas de reporte")
    for c in Campaign.objects.select_related("plan", "entity"):
        subs = list(c.submissions.values_list("state", flat=True))
        table.add_row(str(c.pk), c.name, c.plan.code, f"{c.year} {c.period}", str(c.entity or "todas"), f"{c.deadline:%d/%m/%Y}",
                      "cerrada" if c.closed else "abierta", f"{sum(s != State.DRAFT for s in subs)} de {len(subs)}")
    console.print(table)


@tokens.command("create")
def create(username: str = typer.Argument(..., metavar="USUARIO", help="Usuario con cuyo rol y entidad actuará el sistema.")) -> None:
    """Crea un token de la API para USUARIO y lo muestra una sola vez (se guarda solo su huella)."""
    _django()
    from django.core.exceptions import PermissionDenied

    from vigia.reporting import tokens as rules

    user = _user(username)
    try:
        token = rules.create(user)
    except PermissionDenied as exc:
        fail(str(exc))
    console.print(f"Token de {username} (se muestra solo esta vez; guárdelo en el sistema que lo usará):")
    print(token)


@tokens.command("revoke")
def revoke(username: str = typer.Argument(..., metavar="USUARIO", help="Usuario cuyos tokens se revocan.")) -> None:
    """Revoca todos los tokens de USUARIO: sus sistemas dejan de poder usar la API."""
    _django()
    from vigia.reporting import tokens as rules

    n = rules.revoke(_user(username))
    console.print(f"{n} token{'s' if n != 1 else ''} de {username} revocado{'s' if n != 1 else ''}.")


@tokens.command("list")
def list_tokens() -> None:
    """Lista los tokens (su inicio, dueño, creación, último uso y estado; nunca el token)."""
    _django()
    from vigia.reporting.models import ApiToken

    table = Table("Inicio", "Usuario", "Creado", "Último uso", "Estado", title="Tokens de la API")
    for t in ApiToken.objects.select_related("user"):
        table.add_row(f"{t.prefix}…", t.user.get_username(), f"{t.created_at:%d/%m/%Y %H:%M}",
                      f"{t.last_used_at:%d/%m/%Y %H:%M}" if t.last_used_at else "nunca", "revocado" if t.revoked_at else "activo")
    console.print(table)
