"""The reporting workflow: saving a report, moving it through review, publishing it.

draft → submitted → observed (returned with comments) → approved → published. A report
changed after approval goes back to draft and through review again; the portal keeps the last
published figure until the new one is published, then labels it «revisado» with the date.
Nothing moves in a closed campaign, and nobody approves or publishes a report they saved or sent
(``Submission.authors``, cleared at each publication).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from vigia.core import inputs
from vigia.core import models as core
from vigia.core.inputs import Invalid
from vigia.core.versions import bump
from vigia.methodology.validation import check_actual, parse_number

from . import locks
from . import permissions as perms
from .models import Campaign, Notification, Profile, Role, State, Submission, Transition

logger = logging.getLogger(__name__)
EDITABLE = (State.DRAFT, State.OBSERVED, State.APPROVED, State.PUBLISHED)
SAVED = "Reporte guardado"
__all__ = ["Conflict", "Invalid", "Saved", "Stale", "bump", "may_move", "move", "save"]


class Conflict(Exception):
    """Someone else saved the report since the form was opened."""

    def __init__(self, current: Submission):
        self.current = current
        who = current.updated_by.get_username() if current.updated_by else "otra persona"
        shown = current.status or (f"{current.value:g}" if current.value is not None else "vacío")
        when = timezone.localtime(current.updated_at).strftime("%d/%m/%Y %H:%M")
        super().__init__(f"{who} guardó este reporte el {when} (valor: {shown}). Revise su cambio sobre esa versión y vuelva a guardar.")


class Stale(Exception):
    """A text (analysis, commitment) changed since the form was opened; nothing was overwritten."""


@dataclass
class Saved:
    submission: Submission
    warnings: list[str]


def require_open(campaign: Campaign, what: str = "") -> None:
    """A closed campaign is read-only until the planning office reopens it; a locked period is
    read-only until an administrador unlocks it (``locks``)."""
    if campaign.closed:
        prefix = f"{what}: " if what else ""
        raise Invalid([f"{prefix}la campaña «{campaign.name}» está cerrada; la oficina de planeamiento debe reabrirla (con su motivo) para cambiar algo."])
    locks.ensure_open(campaign.plan_id, campaign.year, campaign.period, what or campaign.name)


def version_of(raw) -> int:
    """The version a form carried (an optimistic lock); a tampered one is a clear error."""
    text = str(raw if raw is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise Invalid(["Campo «versión»: falta o no es válido; recargue la página y vuelva a intentarlo."])
    return int(text)


def ensure_submissions(campaign: Campaign) -> None:
    existing = set(campaign.submissions.values_list("indicator_id", flat=True))
    Submission.objects.bulk_create(
        [Submission(campaign=campaign, indicator=i) for i in campaign.indicators.all() if i.id not in existing]
    )


def previous_actual(submission: Submission) -> float | None:
    """The obtained value of the year before, as published."""
    plan = submission.campaign.plan
    row = core.Value.objects.filter(
        indicator=submission.indicator, vintage__plan=plan, vintage__code=plan.current_vintage,
        year=submission.campaign.year - 1, period=submission.campaign.period, kind="actual",
    ).values_list("value", flat=True).first()
    return row


TEXTS = ("reason", "source", "analysis", "justification")


def save(user, submission: Submission, version: int, data: dict) -> Saved:
    """Validate and save a report; refuse a stale version (optimistic locking)."""
    ind = submission.indicator
    perms.require(perms.can_report(user, ind), f"Solo la entidad responsable de {ind.code} puede reportarlo.")
    require_open(submission.campaign, ind.code)
    if submission.state not in EDITABLE:
        raise Invalid([f"{ind.code}: el reporte está «{submission.get_state_display()}»; espere la revisión."])
    errors = []
    try:
        texts = inputs.texts(Submission, data, TEXTS, where=ind.code)
    except Invalid as exc:
        errors, texts = exc.errors, {name: "" for name in TEXTS}
    check = check_actual(
        ind.code, data.get("value"), unit=ind.unit, status=data.get("status") or "", reason=texts["reason"],
        previous=previous_actual(submission), justification=texts["justification"],
        numerator=data.get("numerator"), denominator=data.get("denominator"),
        valid_min=ind.valid_min, valid_max=ind.valid_max,
    )
    if errors or not check.ok:
        raise Invalid(errors + check.errors)
    fields = {
        "value": check.value, "status": str(data.get("status") or "").strip().upper(), **texts,
        "numerator": _count(data.get("numerator")), "denominator": _count(data.get("denominator")),
        "updated_by": user, "updated_at": timezone.now(),
    }
    with transaction.atomic():
        reopened = submission.state in (State.APPROVED, State.PUBLISHED)
        if reopened:
            fields["state"] = State.DRAFT
        updated = Submission.objects.filter(pk=submission.pk, version=version).update(version=F("version") + 1, **fields)
        if not updated:
            raise Conflict(Submission.objects.select_related("updated_by").get(pk=submission.pk))
        fresh = Submission.objects.get(pk=submission.pk)
        fresh.authors.add(user)
        _history(fresh, user, SAVED)
        if reopened:
            Transition.objects.create(submission=fresh, source=submission.state, target=State.DRAFT, user=user,
                                      comment="Valor modificado después de su aprobación: vuelve a revisión.")
        bump(submission.campaign.plan_id)
    return Saved(fresh, check.warnings)


def _history(submission: Submission, user, reason: str) -> None:
    """Record the new state in the audit trail (queryset updates do not trigger it by themselves)."""
    submission._history_user = user
    submission._change_reason = reason
    submission.save(update_fields=["updated_at"])


def _count(raw):
    return parse_number(raw) if raw not in (None, "") else None


ALLOWED = {
    (State.DRAFT, State.SUBMITTED): "report",
    (State.OBSERVED, State.SUBMITTED): "report",
    (State.SUBMITTED, State.OBSERVED): "review",
    (State.SUBMITTED, State.APPROVED): "approve",
    (State.APPROVED, State.PUBLISHED): "approve",
    (State.APPROVED, State.OBSERVED): "review",
}


def may_move(user, submission: Submission, target: str) -> bool:
    """Whether ``user`` may move ``submission`` to ``target`` now (the buttons a page offers)."""
    needed = ALLOWED.get((submission.state, target))
    c = submission.campaign
    if needed is None or c.closed or locks.is_locked(c.plan_id, c.year, c.period):
        return False
    if needed == "report":
        return perms.can_report(user, submission.indicator)
    return perms.can_approve(user, submission) if needed == "approve" else perms.can_review(user)


def move(user, submission: Submission, target: str, comment: str = "") -> Submission:
    """Move a report to ``target``, recording who, when and why; notify whom it concerns."""
    code = submission.indicator.code
    needed = ALLOWED.get((submission.state, target))
    if needed is None:
        raise Invalid([f"{code}: no se puede pasar de «{submission.get_state_display()}» a «{State(target).label}»."])
    require_open(submission.campaign, code)
    comment = inputs.text(Transition, "comment", comment, code)
    if needed == "report":
        perms.require(perms.can_report(user, submission.indicator), f"Solo la entidad responsable de {code} lo envía a revisión.")
    else:
        perms.require(perms.can_review(user), "Solo el analista o la oficina de planeamiento revisan reportes.")
    if needed == "approve":
        verb = "aprobarlo" if target == State.APPROVED else "publicarlo"
        perms.require(not perms.authored(user, submission),
                      f"{code}: usted guardó o envió este reporte; otra persona debe {verb} (principio de cuatro ojos).")
    if target == State.OBSERVED and not comment:
        raise Invalid([f"{code}, campo «comentario»: al observar un reporte diga qué corregir."])
    if target == State.SUBMITTED and submission.value is None and not submission.status:
        raise Invalid([f"{code}: no hay valor que enviar."])
    now = timezone.now()
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.state != submission.state:
            raise Conflict(locked)
        locked.state = target
        if target == State.APPROVED:
            locked.approved_value, locked.approved_status, locked.approved_at = locked.value, locked.status, now
        if target == State.PUBLISHED:
            _publish(locked, now)
        locked.version += 1
        locked._history_user, locked._change_reason = user, f"{State(submission.state).label} → {State(target).label}. {comment}".strip()
        locked.save()
        if target == State.SUBMITTED:
            locked.authors.add(user)
        elif target == State.PUBLISHED:
            locked.authors.clear()  # a later change starts a new round of review
        Transition.objects.create(submission=locked, source=submission.state, target=target, user=user, comment=comment)
        bump(locked.campaign.plan_id)
    _notify_transition(locked, target, user, comment)
    return locked


def _publish(submission: Submission, now) -> None:
    """Write the approved figure where the portal reads it, marking a revision of an earlier one."""
    campaign, plan = submission.campaign, submission.campaign.plan
    vintage = plan.vintages.get(code=plan.current_vintage)
    value, created = core.Value.objects.get_or_create(
        indicator=submission.indicator, vintage=vintage, year=campaign.year, period=campaign.period, kind="actual",
        defaults={"value": submission.value, "status": submission.status, "source": _source(submission), "note": _note(submission)},
    )
    revised = not created and (value.value, value.status) != (submission.value, submission.status)
    if not created:
        value.value, value.status, value.source, value.note = submission.value, submission.status, _source(submission), _note(submission)
        value.state = core.Value.State.PUBLISHED
        if revised and submission.published_at:
            value.revised_at = now
            submission.revised_at = now
            value.note = f"{value.note} Revisado el {timezone.localtime(now):%d/%m/%Y}.".strip()
        value._change_reason = f"Publicado desde {campaign.name}"
        value.save()
    submission.published_at = submission.published_at or now


def _source(submission: Submission) -> str:
    return (submission.source or f"Reporte de {submission.indicator.entity or 'la entidad'}")[:200]


def _note(submission: Submission) -> str:
    return f"{submission.campaign.name}. {submission.reason}".strip()


# Notifications -------------------------------------------------------------------------------------


def notify(users, kind: str, text: str, link: str = "") -> None:
    users = [u for u in users if u.is_active]
    Notification.objects.bulk_create([Notification(user=u, kind=kind, text=text, link=link) for u in users])
    emails = [u.email for u in users if u.email]
    if emails:
        try:
            send_mail(f"Vigía: {text[:70]}", f"{text}\n\n{link}", settings.DEFAULT_FROM_EMAIL, emails)
        except OSError:  # the in-app notification stands even when the mail server is down
            logger.warning("No se pudo enviar el correo de notificación a %s", ", ".join(emails))


def reviewers():
    User = get_user_model()
    return list(User.objects.filter(is_active=True, profile__role__in=[Role.ADMIN, Role.ANALYST])) + list(
        User.objects.filter(is_active=True, is_superuser=True, profile__isnull=True))


def operators_of(entity_id):
    return list(get_user_model().objects.filter(is_active=True, profile__role=Role.OPERATOR, profile__entity_id=entity_id))


def entity_admins(entity_id):
    return list(get_user_model().objects.filter(is_active=True, profile__role=Role.ADMIN, profile__entity_id=entity_id))


def _notify_transition(submission: Submission, target: str, user, comment: str) -> None:
    link = f"/campanas/{submission.campaign_id}/reportes/{submission.indicator.code}/"
    code = submission.indicator.code
    if target == State.SUBMITTED:
        notify(reviewers(), "enviado", f"{code} fue enviado para revisión por {user.get_username()}.", link)
    elif target == State.OBSERVED:
        notify(operators_of(submission.indicator.entity_id), "observado", f"{code} fue observado: {comment}", link)
    elif target in (State.APPROVED, State.PUBLISHED):
        notify(operators_of(submission.indicator.entity_id), target, f"{code} fue {State(target).label.lower()}.", link)


def remind(today=None) -> int:
    """Reminders of open campaigns: pending reports before the deadline; overdue ones escalate."""
    today = today or timezone.localdate()
    sent = 0
    for campaign in Campaign.objects.filter(closed=False):
        pending = campaign.submissions.filter(state__in=[State.DRAFT, State.OBSERVED]).select_related("indicator")
        by_entity: dict = {}
        for s in pending:
            by_entity.setdefault(s.indicator.entity_id, []).append(s.indicator.code)
        days = (campaign.deadline - today).days
        for entity_id, codes in by_entity.items():
            link = f"/campanas/{campaign.id}/"
            if 0 <= days <= 3:
                notify(operators_of(entity_id), "plazo", f"{campaign.name}: faltan {days} días y quedan {len(codes)} indicadores por reportar ({', '.join(codes)}).", link)
                sent += 1
            elif days < 0:
                text = f"{campaign.name}: plazo vencido hace {-days} días; {len(codes)} indicadores sin reportar ({', '.join(codes)})."
                notify(operators_of(entity_id) + entity_admins(entity_id), "vencido", text, link)
                sent += 1
    return sent


def set_role(user, role: str, entity: core.Entity | None = None, units=()) -> Profile:
    profile, _ = Profile.objects.update_or_create(user=user, defaults={"role": role, "entity": entity})
    profile.units.set(units)
    return profile


def seed_commitments() -> int:
    """The recommendations of each plan's evaluation become the matriz de compromisos (once)."""
    from .models import Commitment

    created = 0
    for plan in core.Plan.objects.all():
        recommendations = plan.texts.get("recommendations") or []
        for k, text in enumerate(recommendations, 1):
            _, new = Commitment.objects.get_or_create(
                plan=plan, code=f"REC.{k:02d}",
                defaults={"recommendation": str(text), "source": f"{plan.name}: recomendaciones de la evaluación"},
            )
            created += new
    return created
