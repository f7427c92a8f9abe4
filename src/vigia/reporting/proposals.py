"""Values computed from the penitentiary registry, proposed for the reports of linked indicators.

After each import (`vigia registry import`), every indicator whose ficha names a registry measure
and that is in an open campaign gets a *proposed* value: the national figure of the measure at the
end of the campaign's period (31 December, or 30 June for S1), marked «calculado del registro
(extracto del DD/MM/AAAA)». A proposal never writes the report: the responsible operator confirms
it or corrects it with a justification, and either goes through ``services.save`` — the entity's
permission, the closed-campaign rule, the optimistic lock, four eyes and the audit trail all apply,
and a published figure changes only when the new report is reviewed and published.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vigia.core.inputs import Invalid
from vigia.presentation import numbers
from vigia.registry.schema import NATION

from . import permissions as perms
from . import services
from .models import Campaign, Proposal, Role, Submission

CONFIRMABLE = Proposal.Decision.PENDING


@dataclass
class Run:
    """What an import proposed, and why the other linked indicators got nothing."""

    proposed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def period_end(campaign: Campaign) -> date:
    return date(campaign.year, 6, 30) if campaign.period == Campaign.Period.S1 else date(campaign.year, 12, 31)


def shown_value(proposal: Proposal) -> str:
    """The proposed figure in the one number style of Vigía."""
    ind = proposal.submission.indicator
    return numbers.number(proposal.value, ind.unit, ind.decimals)


def propose(registry) -> Run:
    """Propose the registry's figures for every linked indicator of every open campaign."""
    run, info = Run(), registry.info
    for campaign in Campaign.objects.filter(closed=False).select_related("plan").order_by("id"):
        on = period_end(campaign)
        for ind in campaign.indicators.exclude(registry_measure="").select_related("entity").order_by("position"):
            where = f"{ind.code} ({campaign.name})"
            if not info.start <= on <= info.cutoff:
                run.skipped.append(f"{where}: el extracto va del {info.start:%d/%m/%Y} al {info.cutoff:%d/%m/%Y} y no cubre el "
                                   f"{on:%d/%m/%Y}, cierre del periodo")
                continue
            rows = registry.measures([on], [ind.registry_measure], ["nation"], NATION, "")
            if not rows or rows[0].value is None:
                run.skipped.append(f"{where}: {ind.registry_measure} no tiene valor al {on:%d/%m/%Y} (denominador 0 o historia "
                                   "insuficiente en el extracto)")
                continue
            if _record(campaign, ind, rows[0], info):
                run.proposed.append(where)
            else:
                run.unchanged.append(where)
    return run


def _record(campaign: Campaign, ind, row, info) -> bool:
    """Store the proposal (replacing a pending one from an earlier extract); False if it is the same."""
    with transaction.atomic():
        submission, _ = Submission.objects.get_or_create(campaign=campaign, indicator=ind)
        pending = list(submission.proposals.select_for_update().filter(decision=Proposal.Decision.PENDING))
        if any(p.extract_sha256 == info.sha256 and p.date == row.date for p in pending):
            return False
        for p in pending:
            p.decision, p._change_reason = Proposal.Decision.SUPERSEDED, f"Reemplazado por el extracto del {info.cutoff:%d/%m/%Y}"
            p.save()
        proposal = Proposal(submission=submission, measure=row.measure, date=row.date, extract_date=info.cutoff,
                            extract_sha256=info.sha256, value=float(row.value), numerator=row.numerator,
                            denominator=row.denominator)
        proposal._change_reason = proposal.label
        proposal.save()
    services.notify(services.operators_of(ind.entity_id), "propuesto",
                    f"{ind.code}: valor propuesto {shown_value(proposal)} para {campaign.name}, {proposal.label}. "
                    "Confírmelo o corríjalo con su justificación.",
                    f"/campanas/{campaign.id}/reportes/{ind.code}/")
    return True


def awaiting(user, campaign_id: int | None = None) -> list[Proposal]:
    """The pending proposals of open campaigns that ``user`` decides (``permissions.can_report``: an
    operador its entity's, and units', indicators; the planning office any), in campaign and matrix
    order, each with ``shown`` (the figure as Vigía prints it) and ``link`` (its report). One query,
    however many there are: the marker of «Mis pendientes», the campaigns and the grid."""
    if not perms.can_report_any(user):
        return []
    qs = Proposal.objects.filter(decision=Proposal.Decision.PENDING, submission__campaign__closed=False).select_related(
        "submission__indicator", "submission__campaign").order_by("submission__campaign__deadline", "submission__campaign_id",
                                                                   "submission__indicator__position")
    if campaign_id:
        qs = qs.filter(submission__campaign_id=campaign_id)
    if perms.role(user) == Role.OPERATOR:
        qs = qs.filter(submission__indicator__entity=perms.entity_of(user))
    out = [p for p in qs if perms.can_report(user, p.submission.indicator)]
    for p in out:
        p.shown = shown_value(p)
        p.link = f"/campanas/{p.submission.campaign_id}/reportes/{p.submission.indicator.code}/#propuesta"
    return out


def by_campaign(proposals: list[Proposal]) -> dict[int, int]:
    """How many of ``proposals`` each campaign has."""
    return Counter(p.submission.campaign_id for p in proposals)


def pending(submission: Submission) -> Proposal | None:
    return submission.proposals.filter(decision=Proposal.Decision.PENDING).first()


def _open(proposal: Proposal) -> None:
    if proposal.decision != CONFIRMABLE:
        raise Invalid([f"{proposal.submission.indicator.code}: este valor propuesto ya fue {proposal.get_decision_display().lower()}."])


def confirm(user, proposal: Proposal, version: int, data: dict) -> services.Saved:
    """The operator takes the computed figure as the report's value (then sends it to review as usual)."""
    _open(proposal)
    s = proposal.submission
    saved = _save(user, proposal, version, {**_texts(s, data), "value": repr(proposal.value), "status": "",
                                             "source": f"Registro penitenciario, {proposal.label}"}, Proposal.Decision.CONFIRMED)
    return saved


def correct(user, proposal: Proposal, version: int, data: dict) -> services.Saved:
    """The operator reports another figure, saying why it differs from the computed one."""
    _open(proposal)
    code = proposal.submission.indicator.code
    reason = str(data.get("correction") or "").strip()
    if not reason:
        raise Invalid([f"{code}, campo «justificación de la corrección»: diga por qué el valor difiere del "
                       f"{proposal.label} ({shown_value(proposal)})."])
    texts = _texts(proposal.submission, data)
    fields = {**texts, "value": data.get("value"), "status": "", "source": data.get("source") or proposal.submission.source}
    return _save(user, proposal, version, fields, Proposal.Decision.CORRECTED, reason)


def _texts(s: Submission, data: dict) -> dict:
    return {name: data.get(name, getattr(s, name)) for name in ("reason", "analysis", "justification")}


def _save(user, proposal: Proposal, version: int, fields: dict, decision: str, reason: str = "") -> services.Saved:
    s = proposal.submission
    perms.require(perms.can_report(user, s.indicator), f"Solo la entidad responsable de {s.indicator.code} decide su valor.")
    with transaction.atomic():
        saved = services.save(user, s, version, fields)
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _open(locked)
        locked.decision, locked.decided_by, locked.decided_at = decision, user, timezone.now()
        locked.justification = reason[:4000]
        if decision == Proposal.Decision.CORRECTED:
            locked.corrected_value = saved.submission.value
        locked._history_user = user
        locked._change_reason = f"{locked.get_decision_display()}: {reason}".strip(": ")
        locked.save()
    return saved


def after_import(registry) -> tuple[dict[str, int], Run]:
    """What an import changes in Vigía: INPE's organisational units, then the proposed values."""
    from vigia.core import units
    from vigia.core.versions import bump_where

    counts, run = units.sync(registry.establishment_rows()), propose(registry)
    bump_where(Q(indicators__registry_measure__gt=""))  # their pages show the registry's figures: recompute them
    return counts, run
