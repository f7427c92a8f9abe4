"""Work queues («Mis pendientes»): what each role has to do now, in open campaigns.

* operador: its entity's reports still to send (borrador) and those observed by the analyst;
* analista: reports sent to review, and approved ones waiting to be published;
* administrador: the same, plus campaigns whose indicators lack targets and deadlines close by.

Queues are ordered by campaign and indicator, the order «anterior / siguiente» walks through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from vigia.core import models as core

from . import permissions as perms
from .models import Campaign, Role, State, Submission

SOON = timedelta(days=7)
QUEUES = {
    "reportar": ("Por reportar", (State.DRAFT,)),
    "observados": ("Observados: corregir y reenviar", (State.OBSERVED,)),
    "revisar": ("Enviados: por revisar", (State.SUBMITTED,)),
    "publicar": ("Aprobados: por publicar", (State.APPROVED,)),
}
ROLE_QUEUES = {
    Role.OPERATOR: ("observados", "reportar"),
    Role.ANALYST: ("revisar", "publicar"),
    Role.ADMIN: ("revisar", "publicar"),
}


def names(user) -> tuple[str, ...]:
    return ROLE_QUEUES.get(perms.role(user), ())


def queue(user, name: str, campaign_id: int | None = None) -> QuerySet[Submission]:
    """The reports of queue ``name`` for ``user``, in walking order."""
    qs = Submission.objects.filter(campaign__closed=False, state__in=QUEUES[name][1]).select_related(
        "indicator__entity", "campaign__plan", "updated_by").order_by("campaign__deadline", "campaign_id", "indicator__position")
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    if perms.role(user) == Role.OPERATOR:
        viewer = perms.audience(user)
        mine = Q(indicator__entity_id=viewer.entity_id)
        qs = qs.filter(mine & Q(indicator__responsible_unit_id__in=viewer.units) if viewer.units else mine)
    return qs


def neighbours(user, name: str, submission: Submission) -> tuple[Submission | None, Submission | None, int, int]:
    """The reports before and after ``submission`` in the queue, its position and the queue's length
    (position 0 once it has left the queue, with the queue's first report as the next one)."""
    ids = list(queue(user, name).values_list("pk", flat=True))
    fetch = Submission.objects.select_related("indicator", "campaign")
    if submission.pk not in ids:
        return None, fetch.get(pk=ids[0]) if ids else None, 0, len(ids)
    k = ids.index(submission.pk)
    before = fetch.get(pk=ids[k - 1]) if k > 0 else None
    after = fetch.get(pk=ids[k + 1]) if k + 1 < len(ids) else None
    return before, after, k + 1, len(ids)


@dataclass
class CampaignTask:
    campaign: Campaign
    detail: str
    overdue: bool = False


def without_targets() -> list[CampaignTask]:
    """Open campaigns whose indicators have no target of their period (their avance would be ND)."""
    out = []
    for c in Campaign.objects.filter(closed=False).select_related("plan").prefetch_related("indicators"):
        having = set(core.Value.objects.filter(
            indicator__in=c.indicators.all(), vintage__plan=c.plan, vintage__code=c.plan.current_vintage, year=c.year,
            period=c.period, kind="target", value__isnull=False).values_list("indicator_id", flat=True))
        lacking = [i.code for i in c.indicators.all() if i.id not in having]
        if lacking:
            reason = f" Motivo registrado: {c.no_target_reason}" if c.no_target_reason else ""
            shown = ", ".join(lacking[:8]) + ("…" if len(lacking) > 8 else "")
            out.append(CampaignTask(c, f"{len(lacking)} indicadores sin logro esperado {c.year} ({shown}).{reason}"))
    return out


def deadlines(today=None) -> list[CampaignTask]:
    """Open campaigns with a deadline within a week, or past, that still have reports to send."""
    today = today or timezone.localdate()
    out = []
    pending = Count("submissions", filter=Q(submissions__state__in=[State.DRAFT, State.OBSERVED]))
    for c in Campaign.objects.filter(closed=False, deadline__lte=today + SOON).annotate(pending=pending).select_related("plan"):
        if c.pending:
            days = (c.deadline - today).days
            when = f"vence en {days} días" if days > 0 else "vence hoy" if days == 0 else f"venció hace {-days} días"
            out.append(CampaignTask(c, f"Plazo {c.deadline:%d/%m/%Y} ({when}): {c.pending} reportes sin enviar.", days < 0))
    return out


def count(user) -> int:
    """The number shown in the header: reports waiting in the user's queues."""
    queues = names(user)
    if not queues:
        return 0
    return sum(queue(user, name).count() for name in queues)
