"""INPE's organisational units in the database, loaded from the registry's establishments.

The hierarchy is INPE (nation, code PE) → its 8 oficinas regionales → establishments (EP, EML),
each with its department (ubigeo) and its capacity and area over time. The extract is the source:
every import replaces what it says (an establishment absent from the new extract stays, inactive,
so nothing that points at it breaks).
"""

from __future__ import annotations

from django.db import transaction

from vigia.registry.schema import DEPARTMENTS, NATION, OFFICES

from . import models as m

NATION_NAME = "Instituto Nacional Penitenciario (INPE)"


@transaction.atomic
def sync(rows: list[dict]) -> dict[str, int]:
    """Make the units those of `rows` (Registry.establishment_rows()); returns counts by kind."""
    nation, _ = m.OrgUnit.objects.update_or_create(
        code=NATION, defaults={"name": NATION_NAME, "kind": m.OrgUnit.Kind.NATION, "parent": None, "active": True, "position": 0})
    offices = {}
    for k, name in enumerate(OFFICES, 1):
        offices[name], _ = m.OrgUnit.objects.update_or_create(
            code=name, defaults={"name": f"Oficina Regional {name}", "kind": m.OrgUnit.Kind.OFFICE, "parent": nation,
                                 "active": True, "position": k})
    history: dict[str, list[dict]] = {}
    for r in rows:
        history.setdefault(r["code"], []).append(r)
    latest = {code: found[-1] for code, found in history.items()}  # rows come ordered by date
    seen = set()
    for k, (code, r) in enumerate(sorted(latest.items()), len(OFFICES) + 1):
        unit, _ = m.OrgUnit.objects.update_or_create(
            code=code, defaults={"name": r["name"], "kind": r["kind"], "parent": offices[r["office"]],
                                 "department": r["department"], "active": True, "position": k})
        seen.add(unit.id)
        unit.capacities.all().delete()
        m.OrgUnitCapacity.objects.bulk_create([
            m.OrgUnitCapacity(unit=unit, since=x["since"], capacity=x["capacity"], area_m2=x["area_m2"])
            for x in history[code]])
    m.OrgUnit.objects.filter(kind__in=[m.OrgUnit.Kind.EP, m.OrgUnit.Kind.EML]).exclude(id__in=seen).update(active=False)
    return {"offices": len(offices), "EP": sum(r["kind"] == "EP" for r in latest.values()),
            "EML": sum(r["kind"] == "EML" for r in latest.values())}


def department_name(ubigeo: str) -> str:
    return DEPARTMENTS.get(ubigeo, ubigeo)
