"""A plan set up or modified from its workbook (the command line and the web share this): read the
upload safely, validate every row, say what would change, then store it in one transaction.

A new plan is created as its version 1. A modification of an existing plan is a new version with
its legal reference and the date from which it applies; it may not touch a locked period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import ProtectedError

from vigia.core import models as core
from vigia.core import plan_versions, store
from vigia.core.loading import LoadResult, load_dataset
from vigia.datasets import Dataset, workbook
from vigia.datasets.diff import Change, diff
from vigia.datasets.workbook import Problem, Reading, WorkbookError

from . import locks
from .uploads import Unreadable, read_sheets

MAX_ROWS = 100_000  # rows of a sheet (a plan of 2,000 indicators over 12 years and 4 editions fits)


def read(file, code: str | None = None, source: str = workbook.DEFAULT_SOURCE) -> Reading:
    """The plan in an uploaded workbook (any object with ``read``, ``seek`` and ``size``), or
    WorkbookError naming every sheet, row and column at fault."""
    try:
        sheets = read_sheets(file, {name: MAX_ROWS for name in workbook.layout.REQUIRED})
    except Unreadable as exc:
        raise refused(str(exc)) from None
    merged = [name for name, sheet in sheets.items() if sheet.merged]
    if merged:
        raise WorkbookError([Problem(name, None, None, "tiene celdas combinadas; sepárelas") for name in merged])
    return workbook.read({name: sheet.rows for name, sheet in sheets.items()}, code=code, source=source)


def refused(*messages: str) -> WorkbookError:
    return WorkbookError([Problem("", None, None, m) for m in messages])


@dataclass
class Import:
    """What an import would do: the plan read, the plan it changes (None for a new one), every change."""

    reading: Reading
    existing: core.Plan | None
    changes: list[Change]

    @property
    def dataset(self) -> Dataset:
        return self.reading.dataset

    @property
    def warnings(self) -> list[Problem]:
        return self.reading.warnings


def preview(reading: Reading, version_of: str | None = None) -> Import:
    """The changes loading ``reading`` would make (as a new plan, or a new version of ``version_of``)."""
    ds = reading.dataset
    if version_of is None:
        if core.Plan.objects.filter(code=ds.code).exists():
            raise WorkbookError([Problem(workbook.layout.PLAN, None, "Valor", f"ya existe un plan con el código «{ds.code}»: "
                                         "elija otro código, o cárguelo como nueva versión de ese plan")])
        return Import(reading, None, [])
    existing = core.Plan.objects.filter(code=version_of).first()
    if existing is None:
        raise refused(f"No existe el plan «{version_of}».")
    return Import(reading, existing, diff(store.dataset(version_of, published_only=True), ds))


def create(reading: Reading, legal_reference: str = "", applies_from: dt.date | None = None, user=None) -> LoadResult:
    """Store the plan read as a new plan, its version 1 (approved by ``legal_reference``)."""
    preview(reading)
    ds = reading.dataset
    with transaction.atomic():
        position = (core.Plan.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        result = load_dataset(ds, position=position)
        plan = core.Plan.objects.get(code=ds.code)
        version = plan_versions.initial(plan)
        version.legal_reference = (legal_reference or "").strip() or version.legal_reference
        version.applies_from, version.created_by = applies_from, user
        version.save()
    return result


def new_version(reading: Reading, plan_code: str, legal_reference: str, applies_from: dt.date | None, user=None,
                note: str = "") -> tuple[core.PlanVersion, LoadResult]:
    """Store the plan read as the newest version of ``plan_code``; WorkbookError when it cannot be
    (no legal reference or date, a locked period it would change, something still in use removed)."""
    plan = core.Plan.objects.filter(code=plan_code).first()
    if plan is None:
        raise refused(f"No existe el plan «{plan_code}».")
    ds = reading.dataset
    if ds.code != plan_code:
        raise refused(f"El libro es del plan «{ds.code}», no de «{plan_code}»; cárguelo con el código {plan_code}.")
    stored = store.dataset(plan_code, published_only=True)
    try:
        locks.ensure_unchanged(plan.id, stored, ds, applies_from)
        return plan_versions.register(plan, stored, ds, legal_reference, applies_from, user, note)
    except locks.Locked as exc:
        raise refused(*exc.errors) from None
    except ValueError as exc:
        raise refused(str(exc)) from None
    except ProtectedError as exc:
        codes = sorted({str(getattr(o, "indicator", None) or getattr(o, "element", None) or o).split(" ", 1)[0] for o in exc.protected_objects})
        raise refused(f"No se puede quitar lo que ya tiene reportes o análisis en campañas ({', '.join(codes[:10])}): "
                      "manténgalo en la nueva versión.") from None
