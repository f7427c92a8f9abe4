"""A plan set up or changed from its workbook (the command line and the web share this):
read the upload safely, validate every row, then load it into the database in one transaction."""

from __future__ import annotations

from django.db import transaction

from vigia.core import models as core
from vigia.core.loading import LoadResult, load_dataset
from vigia.datasets import workbook
from vigia.datasets.workbook import Problem, Reading, WorkbookError

from .excel import open_workbook


def read(file, code: str | None = None, source: str = workbook.DEFAULT_SOURCE) -> Reading:
    """The plan in an uploaded workbook (any object with ``read``, ``seek`` and ``size``), or
    WorkbookError naming every sheet, row and column at fault."""
    wb, problem = open_workbook(file)
    if problem:
        raise WorkbookError([Problem("", None, None, problem)])
    return workbook.read(workbook.sheets(wb), code=code, source=source)


def create(reading: Reading) -> LoadResult:
    """Store the plan read as a new plan; WorkbookError if its code is taken."""
    ds = reading.dataset
    with transaction.atomic():
        if core.Plan.objects.filter(code=ds.code).exists():
            raise WorkbookError([Problem(workbook.layout.PLAN, None, "Valor",
                                         f"ya existe un plan con el código «{ds.code}»: elija otro código, o cárguelo como nueva versión de ese plan")])
        position = (core.Plan.objects.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        return load_dataset(ds, position=position)
