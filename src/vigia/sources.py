"""Where the command line reads a plan: the installation's database when one is configured
(``VIGIA_DATA_DIR`` or ``DATABASE_URL``) and holds the plan, else the bundled folders.

So `vigia progress`, `alerts`, `trajectory`, `report` and `plan export` work on a plan the office
set up or changed, and still work with no database at all on the official datasets.
"""

from __future__ import annotations

import os
from pathlib import Path

from vigia import datasets


def configured() -> bool:
    return bool(os.environ.get("VIGIA_DATA_DIR") or os.environ.get("DATABASE_URL"))


def _ready() -> bool:
    """The configured database exists and has been set up (never creates an empty one)."""
    from vigia import server

    server.setup()
    from django.conf import settings
    from django.db import DatabaseError, connection

    db, name = settings.DATABASES["default"], str(settings.DATABASES["default"]["NAME"])
    if db["ENGINE"].endswith("sqlite3") and not name.startswith(("file:", ":memory:")) and not Path(name).is_file():
        return False
    try:
        return "core_plan" in connection.introspection.table_names()
    except DatabaseError:
        return False


def stored_codes() -> list[str]:
    """Codes of the plans in the configured database ([] when none is)."""
    if not (configured() and _ready()):
        return []
    from vigia.core.models import Plan

    return list(Plan.objects.values_list("code", flat=True))


def available() -> list[str]:
    return sorted(set(datasets.available()) | set(stored_codes()))


def dataset(code: str, *, preliminary: bool = False, year: int | None = None, period: str = "anual") -> datasets.Dataset:
    """The plan ``code``: from the database when it is there (published figures, or also the reports
    under review with ``preliminary``, as the planning office sees them; with ``year``, as the
    version of the plan in force that year defines it), else the bundled folder."""
    if code in stored_codes():
        from vigia.reporting import figures
        from vigia.reporting.permissions import PUBLIC, Audience

        return figures.dataset(code, Audience("revision") if preliminary else PUBLIC, None, year, period)
    return datasets.load(code)
