"""What the reporting benchmarks share: a fresh SQLite database with the official policy data, the
planning office and an INPE operator, and a 2025 campaign of the 49 policy indicators."""

from __future__ import annotations

import os
import tempfile


def policy_campaign(label: str, password: str | None = None):
    """(office, operator, campaign) in a new data folder ``vigia-bench-<label>-…``."""
    os.environ["VIGIA_DATA_DIR"] = tempfile.mkdtemp(prefix=f"vigia-bench-{label}-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("VIGIA_LOG_LEVEL", "ERROR")
    from vigia import server

    server.setup()
    server.migrate()
    server.load_all(["pnp2030"])
    from django.contrib.auth import get_user_model

    from vigia.core.models import Entity, Plan
    from vigia.reporting import campaigns, services

    User = get_user_model()
    office = User.objects.create_user("ogpm", "", password)
    services.set_role(office, "admin")
    operator = User.objects.create_user("op_inpe", "", password)
    services.set_role(operator, "operator", Entity.objects.get(code="INPE"))
    campaign = campaigns.open_campaign(office, Plan.objects.get(code="pnp2030"), {
        "year": "2025", "opens": "2026-01-05", "deadline": "2099-03-31", "name": "Reporte 2025",
        "no_target_reason": "Benchmark: metas aún no fijadas"}).campaign
    return office, operator, campaign
