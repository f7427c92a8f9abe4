"""Opening, closing and reopening a campaign, and the descriptive analysis of its objectives.

A closed campaign is read-only until reopened; reopening needs its reason, and both are kept in
the campaign's history (the audit trail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F

from vigia.core import inputs
from vigia.core import models as core
from vigia.core.inputs import Invalid
from vigia.methodology.validation import YEARS, check_year, shown

from . import services
from .models import Campaign, ObjectiveAnalysis, Transition


@dataclass
class Opened:
    campaign: Campaign
    indicators: int


def parse_date(raw, label: str, where: str = "") -> date:
    """A date typed as AAAA-MM-DD within the years a plan can have, or Invalid naming the field."""
    prefix = f"{where}, campo «{label}»" if where else f"Campo «{label}»"
    try:
        value = date.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise Invalid([f"{prefix}: «{shown(raw or '')}» no es una fecha (use AAAA-MM-DD)."]) from None
    low, high = YEARS
    if not low <= value.year <= high:
        raise Invalid([f"{prefix}: {value:%d/%m/%Y} está fuera del periodo admitido ({low}–{high})."])
    return value


def open_campaign(user, plan: core.Plan, data: dict) -> Opened:
    """A new campaign for ``plan``, with one empty report per indicator; Invalid names the field."""
    errors = []
    year, problem = check_year(data.get("year"))
    if problem:
        errors.append(problem)
    dates = {}
    for name, label in (("opens", "inicio"), ("deadline", "plazo")):
        try:
            dates[name] = parse_date(data.get(name), label)
        except Invalid as exc:
            errors += exc.errors
    if len(dates) == 2 and dates["deadline"] < dates["opens"]:
        errors.append("Campo «plazo»: no puede ser anterior al inicio.")
    try:
        name = inputs.text(Campaign, "name", data.get("name"))
    except Invalid as exc:
        errors += exc.errors
    if errors:
        raise Invalid(errors)
    period = data.get("period") if data.get("period") in Campaign.Period.values else Campaign.Period.YEAR
    codes = [c.strip() for c in str(data.get("indicators") or "").replace(",", " ").split() if c.strip()]
    indicators = plan.indicators.filter(code__in=codes) if codes else plan.indicators.all()
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(plan=plan, name=name or f"Reporte {year} — {plan.name}"[:200], year=year,
                                               period=period, opens=dates["opens"], deadline=dates["deadline"], opened_by=user)
            campaign.indicators.set(indicators)
            services.ensure_submissions(campaign)
    except IntegrityError:
        raise Invalid([f"Ya existe una campaña de {plan.code} para {year} ({period})."]) from None
    operators = [u for e in {i.entity_id for i in indicators} for u in services.operators_of(e)]
    services.notify(operators, "campaña", f"Se abrió {campaign.name}; plazo {campaign.deadline:%d/%m/%Y}.", f"/campanas/{campaign.id}/")
    return Opened(campaign, indicators.count())


def set_closed(user, campaign: Campaign, closed: bool, reason: str = "") -> None:
    """Close a campaign (read-only from then on) or reopen it, which needs its reason."""
    reason = inputs.text(Transition, "comment", reason).strip()
    if not closed and not reason:
        raise Invalid(["Campo «motivo»: diga por qué se reabre la campaña (queda en el registro de auditoría)."])
    campaign.closed = closed
    campaign._history_user = user
    campaign._change_reason = (f"Campaña cerrada. {reason}" if closed else f"Campaña reabierta: {reason}").strip()
    campaign.save()


def save_analysis(user, campaign: Campaign, element: core.Element, version, text) -> ObjectiveAnalysis:
    """Save the analysis of one objective with optimistic locking: the version the form carried
    must still be the stored one (0 when there was none), or nothing is written (services.Stale)."""
    services.require_open(campaign, element.code)
    version = services.version_of(version)
    text = inputs.text(ObjectiveAnalysis, "text", text, element.code)
    with transaction.atomic():
        if version == 0:
            try:
                with transaction.atomic():
                    current = ObjectiveAnalysis(campaign=campaign, element=element, text=text, updated_by=user, version=1)
                    current._history_user = user
                    current.save()
                    return current
            except IntegrityError:
                raise services.Stale() from None  # someone saved the first text meanwhile
        updated = ObjectiveAnalysis.objects.filter(campaign=campaign, element=element, version=version).update(
            text=text, version=F("version") + 1, updated_by=user)
        if not updated:
            raise services.Stale()
        current = ObjectiveAnalysis.objects.get(campaign=campaign, element=element)
        current._history_user = user
        current.save()
        return current
