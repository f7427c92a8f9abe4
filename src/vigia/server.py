"""Bootstrapping the web application: settings, database, official data, administrator, server."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigia.settings")
    import django

    django.setup()


def database_problem() -> str | None:
    """Why the configured database cannot be used yet (in Spanish), without creating it: a
    missing SQLite file would otherwise be created empty by merely connecting to it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigia.settings")
    from django.conf import settings

    db = settings.DATABASES["default"]
    empty = "No hay una base de datos de Vigía todavía: créela con «vigia load» o «vigia serve»."
    if db["ENGINE"].endswith("sqlite3") and not os.path.exists(db["NAME"]):
        return empty
    setup()
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        tables = connection.introspection.table_names()
    except OperationalError:
        return "No se pudo conectar con la base de datos (DATABASE_URL): revise que el servidor esté en marcha y la dirección."
    return None if "core_plan" in tables else empty


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def load_all(codes: list[str] | None = None, on_plan: Callable[[str], None] | None = None) -> list:
    """Load the bundled datasets (all, or ``codes``) into the database."""
    from vigia import datasets
    from vigia.core.loading import load_dataset

    available = datasets.available()
    results = []
    from vigia.reporting.services import seed_commitments

    for code in codes or available:
        if on_plan:
            on_plan(code)
        results.append(load_dataset(datasets.load(code), position=_PLAN_ORDER.index(code) if code in _PLAN_ORDER else 99))
    seed_commitments()
    return results


_PLAN_ORDER = ["pnp2030", "pei-inpe", "pp-creo"]


def ensure_admin() -> tuple[str, str | None]:
    """Create the administrator on first run. Returns (username, password if it was generated)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return User.objects.filter(is_superuser=True).values_list("username", flat=True).first(), None
    username = os.environ.get("VIGIA_ADMIN_USER", "admin")
    given = os.environ.get("VIGIA_ADMIN_PASSWORD")
    password = given or secrets.token_urlsafe(12)
    User.objects.create_superuser(username, os.environ.get("VIGIA_ADMIN_EMAIL", ""), password)
    return username, None if given else password


DEMO_PEOPLE = 60_000  # a demo extract that imports in seconds, with every establishment well populated


def demo_directory() -> str:
    """The demo's own data directory: never the one of the real installation."""
    base = os.environ.get("VIGIA_DATA_DIR") or os.path.join(os.path.expanduser("~"), ".local", "share", "vigia")
    return os.environ.get("VIGIA_DEMO_DIR") or os.path.normpath(base).rstrip("/") + "-demo"


def prepare_demo(people: int = DEMO_PEOPLE, say: Callable[[str], None] = print) -> None:
    """Once per demo directory: a synthetic national extract imported (persons kept, so any date
    works), INPE's units, and a 2024 campaign of the PEI whose linked indicators get proposed values."""
    from pathlib import Path

    from django.conf import settings

    from vigia.registry import Registry, demo, import_extract

    home = Path(settings.DATA_DIR)
    if not (home / "registro" / "registro.duckdb").exists():
        source = home / "extracto-demo"
        say(f"Escribiendo un extracto de demostración ({people:,} personas) e importándolo…")
        demo.generate(source, people, 1, "parquet")
        import_extract(source, home)
        for f in source.iterdir():
            f.unlink()
        source.rmdir()
    _demo_campaign()
    from vigia.reporting.proposals import after_import

    after_import(Registry(home))


def _demo_campaign() -> None:
    from datetime import date

    from django.contrib.auth import get_user_model

    from vigia.core.models import Indicator, Plan
    from vigia.reporting.models import Campaign

    plan = Plan.objects.get(code="pei-inpe")
    if Campaign.objects.filter(plan=plan, year=2024).exists():
        return
    admin = get_user_model().objects.filter(is_superuser=True).first()
    campaign = Campaign.objects.create(plan=plan, year=2024, name="Demostración: evaluación 2024 con el registro",
                                       opens=date(2025, 1, 6), deadline=date(2025, 3, 31), opened_by=admin)
    campaign.indicators.set(Indicator.objects.filter(plan=plan).exclude(registry_measure=""))


GUNICORN_ERRORS = {
    400: "La solicitud no es válida: el servidor no pudo interpretarla.",
    403: "Acceso denegado.",
    404: "La dirección no existe.",
    413: "La solicitud es demasiado grande.",
    431: "Las cabeceras de la solicitud son demasiado grandes.",
    500: "Error del servidor: inténtelo de nuevo en unos minutos.",
}


def _spanish_gunicorn() -> None:
    """Gunicorn answers malformed requests itself, in English, and names itself in a Server
    header: its error page becomes Spanish and the header goes."""
    import html

    from gunicorn import util
    from gunicorn.http import wsgi

    default_headers = wsgi.Response.default_headers

    def without_server(self):
        return [h for h in default_headers(self) if not h.startswith("Server:")]

    def write_error(sock, status_int, reason, mesg):
        text = GUNICORN_ERRORS.get(status_int, GUNICORN_ERRORS[400 if status_int < 500 else 500])
        body = (f'<!doctype html><html lang="es-PE"><head><meta charset="utf-8"><title>Vigía</title></head>'
                f'<body><h1>Vigía</h1><p>{html.escape(text)}</p><p><a href="/">Ir al inicio</a></p></body></html>').encode()
        head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: text/html; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
        util.write_nonblock(sock, head + body)

    wsgi.Response.default_headers = without_server
    util.write_error = write_error


def gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn in this process (production mode)."""
    from gunicorn.app.base import BaseApplication

    from vigia.wsgi import application

    _spanish_gunicorn()

    class App(BaseApplication):
        def load_config(self):
            for key, value in {
                "bind": f"{host}:{port}", "workers": workers, "threads": threads, "worker_class": "gthread",
                "timeout": 60, "graceful_timeout": 10, "keepalive": 5, "accesslog": os.environ.get("VIGIA_ACCESS_LOG"),
                "backlog": 2048,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    App().run()
