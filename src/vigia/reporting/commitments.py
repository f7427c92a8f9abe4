"""Follow-up of the matriz de compromisos: responsible, deadline, status and notes, with
optimistic locking (a stale form changes nothing) and every field checked."""

from __future__ import annotations

from django.db.models import F

from vigia.core import inputs
from vigia.core.inputs import Invalid
from vigia.methodology.validation import shown

from . import services
from .campaigns import parse_date
from .models import Commitment


def follow_up(user, item: Commitment, data: dict) -> Commitment:
    """Record the follow-up of one commitment; Invalid names the field, services.Stale a lost race."""
    version = services.version_of(data.get("version"))
    errors = []
    try:
        fields = inputs.texts(Commitment, data, ("responsible", "follow_up"), where=item.code)
    except Invalid as exc:
        errors += exc.errors
    status = data.get("status") or item.status
    if status not in Commitment.Status.values:
        errors.append(f"{item.code}, campo «estado»: «{shown(status)}» no es un estado (use {', '.join(Commitment.Status.values)}).")
    deadline = None
    if str(data.get("deadline") or "").strip():
        try:
            deadline = parse_date(data["deadline"], "plazo", item.code)
        except Invalid as exc:
            errors += exc.errors
    if errors:
        raise Invalid(errors)
    if not Commitment.objects.filter(pk=item.pk, version=version).update(version=F("version") + 1, status=status,
                                                                          deadline=deadline, **fields):
        raise services.Stale()
    item.refresh_from_db()
    item._history_user, item._change_reason = user, "Seguimiento de la matriz de compromisos"
    item.save()
    return item
