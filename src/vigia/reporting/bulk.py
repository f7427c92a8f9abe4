"""Bulk review: approve or publish the selected reports, each recorded individually.

Every report goes through ``services.move`` — its own transition, history and audit entry —
and four eyes still applies per report: those the user saved or sent, or that changed state
meanwhile, are skipped and named with the reason. Operators get one notice per campaign.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from vigia.core import versions

from . import permissions as perms
from . import services
from .models import State, Submission

VERBS = {State.APPROVED: "aprobado", State.PUBLISHED: "publicado"}
SOURCE = {State.APPROVED: State.SUBMITTED, State.PUBLISHED: State.APPROVED}


@dataclass
class Outcome:
    done: list[Submission] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (code, why)


def review(user, ids: list[int], target: str, comment: str = "") -> Outcome:
    """Move every selected report that may move to ``target``; say why the others did not."""
    perms.require(perms.can_review(user), "Solo el analista o la oficina de planeamiento revisan reportes.")
    out = Outcome()
    reports = Submission.objects.filter(pk__in=ids).select_related("indicator", "campaign__plan").order_by("campaign_id", "indicator__position")
    with transaction.atomic(), versions.deferred():
        for s in reports:
            why = _obstacle(user, s, target)
            if why:
                out.skipped.append((s.indicator.code, why))
                continue
            try:
                out.done.append(services.move(user, s, target, comment, notify_now=False))
            except (services.Invalid, services.Conflict, PermissionDenied) as exc:
                out.skipped.append((s.indicator.code, str(exc)))
    _notify(user, out.done, target)
    return out


def _obstacle(user, s: Submission, target: str) -> str:
    if s.campaign.closed:
        return "la campaña está cerrada"
    if s.state != SOURCE[target]:
        return f"está «{s.get_state_display().lower()}», no «{State(SOURCE[target]).label.lower()}»"
    if perms.authored(user, s):
        return "usted lo guardó o envió: otra persona debe hacerlo (cuatro ojos)"
    return ""


def _notify(user, done: list[Submission], target: str) -> None:
    groups: dict[tuple, list[Submission]] = {}
    for s in done:
        groups.setdefault((s.campaign, s.indicator.entity_id), []).append(s)
    for (campaign, entity_id), subs in groups.items():
        if len(subs) == 1:
            services.notify_transition(subs[0], target, user, "")
            continue
        codes = ", ".join(s.indicator.code for s in subs)
        services.notify(services.operators_of(entity_id), target,
                        f"{campaign.name}: {len(subs)} indicadores fueron {VERBS[target]}s ({codes}).", f"/campanas/{campaign.pk}/")
