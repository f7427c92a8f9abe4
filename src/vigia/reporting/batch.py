"""Saving (and sending) many reports at once, all or nothing: the entry grid's «Guardar todo»
and «Enviar a revisión», the Excel upload and the write API.

Each row goes through ``services.save`` and ``services.move`` — the same validation,
permissions, optimistic lock per row, four eyes and closed campaigns as the single form — inside
one transaction. Every problem of every row is collected (nothing stops at the first); if there
is any, the transaction is rolled back and ``Refused`` lists them by row. The data version is
bumped once, and the reviewers get one notice for the whole delivery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from vigia.core import models as core
from vigia.core import versions

from . import services
from .models import State, Submission

SENDABLE = (State.DRAFT, State.OBSERVED)
# The form's Spanish field names, as validation messages quote them, and the keys rows use.
FIELDS = {
    "valor obtenido": "value", "estado": "status", "motivo": "reason", "motivo (ND/SD)": "reason", "numerador": "numerator",
    "denominador": "denominator", "fuente": "source", "análisis descriptivo": "analysis",
    "justificación de la variación": "justification", "versión": "version",
}
_FIELD = re.compile(r"campo «([^»]+)»")


@dataclass
class Row:
    """One row of a delivery: its position (grid line, sheet row, list index) and content."""

    number: int
    submission: Submission
    version: int
    data: dict
    submit: bool = False


@dataclass
class Problem:
    number: int
    indicator: str
    message: str
    field: str = ""
    kind: str = "invalid"  # invalid, forbidden or conflict
    current: Submission | None = None


@dataclass
class Done:
    number: int
    submission: Submission
    changed: bool
    submitted: bool
    warnings: list[str] = field(default_factory=list)


class Refused(Exception):
    """Nothing was saved; ``problems`` says why, row by row."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))

    @property
    def kind(self) -> str:
        """The answer the whole delivery gets: forbidden before conflict before invalid."""
        kinds = {p.kind for p in self.problems}
        return next(k for k in ("forbidden", "conflict", "invalid") if k in kinds)


def field_of(message: str) -> str:
    """The row key a validation message is about («campo «valor obtenido»» → value)."""
    found = _FIELD.search(message)
    return FIELDS.get(found.group(1), "") if found else ""


def complete(submission: Submission) -> bool:
    return submission.value is not None or bool(submission.status)


def previous_actuals(campaign, submissions) -> dict[int, float | None]:
    """The obtained value of the year before of each indicator, in one query."""
    plan = campaign.plan
    rows = core.Value.objects.filter(
        indicator_id__in=[s.indicator_id for s in submissions], vintage__plan=plan, vintage__code=plan.current_vintage,
        year=campaign.year - 1, period=campaign.period, kind="actual").values_list("indicator_id", "value")
    return dict(rows)


def deliver(user, campaign, rows: list[Row], found: list[Problem] | None = None) -> list[Done]:
    """Save every row and send those marked ``submit`` (when complete), or nothing at all.

    ``found`` are problems the caller met before (an unknown code, a formula): the rows are still
    checked, so that every problem is reported at once, and nothing is saved."""
    problems: list[Problem] = list(found or [])
    done: list[Done] = []
    previous = previous_actuals(campaign, [r.submission for r in rows])
    with transaction.atomic(), versions.deferred():
        for row in rows:
            result = _one(user, row, previous.get(row.submission.indicator_id), problems)
            if result:
                done.append(result)
        if problems:
            raise Refused(sorted(problems, key=lambda p: p.number))
    sent = [d.submission for d in done if d.submitted]
    if sent:
        _notify_sent(user, campaign, sent)
    return done


def _one(user, row: Row, previous, problems: list[Problem]) -> Done | None:
    s, code = row.submission, row.submission.indicator.code
    try:
        saved = services.save(user, s, row.version, row.data, previous=previous)
        current = saved.submission
        submitted = False
        if row.submit and current.state in SENDABLE and complete(current):
            current = services.move(user, current, State.SUBMITTED, notify_now=False)
            submitted = True
        return Done(row.number, current, saved.changed, submitted, saved.warnings)
    except PermissionDenied as exc:
        problems.append(Problem(row.number, code, str(exc) or f"{code}: no tiene permiso.", kind="forbidden"))
    except services.Conflict as exc:
        problems.append(Problem(row.number, code, f"{code}: {exc}", "version", "conflict", exc.current))
    except services.Invalid as exc:
        problems += [Problem(row.number, code, message, field_of(message)) for message in exc.errors]
    return None


def summary(saved: int, unchanged: int, submitted: int, warnings: list[str]) -> str:
    """What a delivery really changed, in one sentence (grid, Excel upload)."""
    if not saved and not submitted:
        text = f"Nada cambió: {'la fila es igual' if unchanged == 1 else f'las {unchanged} filas son iguales'} a lo guardado."
    else:
        parts = [f"Se guardaron {saved} reportes" if saved != 1 else "Se guardó 1 reporte"]
        if submitted:
            parts.append(f"se enviaron {submitted} a revisión" if submitted != 1 else "se envió 1 a revisión")
        text = " y ".join(parts) + (f"; {unchanged} sin cambios." if unchanged else ".")
    return text + (" Avisos: " + " ".join(warnings) if warnings else "")


def _notify_sent(user, campaign, sent: list[Submission]) -> None:
    """One notice for a whole delivery (a single report keeps the usual notice)."""
    if len(sent) == 1:
        services.notify_transition(sent[0], State.SUBMITTED, user, "")
        return
    codes = ", ".join(s.indicator.code for s in sent[:12]) + ("…" if len(sent) > 12 else "")
    services.notify(services.reviewers(), "enviado",
                    f"{campaign.name}: {user.get_username()} envió {len(sent)} indicadores para revisión ({codes}).",
                    f"/pendientes/?campana={campaign.pk}")
