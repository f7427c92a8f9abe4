"""Bootstrapping the web application: settings, database, official data, administrator, server."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigia.settings")
    import django

    django.setup()


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


def gunicorn(host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn in this process (production mode)."""
    from gunicorn.app.base import BaseApplication

    from vigia.wsgi import application

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
