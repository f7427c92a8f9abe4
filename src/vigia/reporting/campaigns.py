"""Opening, closing and reopening a campaign, and the descriptive analysis of its objectives.

A closed campaign is read-only until reopened; reopening needs its reason, and both are kept in
the campaign's history (the audit trail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from vigia.core import inputs
from vigia.core import models as core
from vigia.core.inputs import Invalid
from vigia.methodology.validation import YEARS, check_year, shown

from . import services, targets
from .models import Campaign, ObjectiveAnalysis, State, Transition


@dataclass
class Opened:
    campaign: Campaign
    indicators: int
    targets: int = 0
    without_target: list[str] = field(default_factory=list)


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


def codes_of(raw) -> list[str] | None:
    """Indicator codes as a list, or typed with spaces or commas; None when none were given."""
    if raw is None:
        return None
    items = raw if isinstance(raw, (list, tuple)) else str(raw).replace(",", " ").split()
    return [str(c).strip() for c in items if str(c).strip()]


def choose(plan: core.Plan, entity: core.Entity | None, codes: list[str] | None) -> list[core.Indicator]:
    """The indicators a campaign covers: the codes given (every one must exist, and belong to the
    entity when there is one), or every indicator of the entity (or of the plan)."""
    qs = plan.indicators.select_related("entity").order_by("position")
    if codes is None:
        return list(qs.filter(entity=entity) if entity else qs)
    if not codes:
        raise Invalid(["Campo «indicadores»: elija al menos un indicador."])
    found = {i.code: i for i in qs.filter(code__in=codes)}
    unknown = [c for c in dict.fromkeys(codes) if c not in found]
    errors = [f"Campo «indicadores»: {', '.join(shown(c) for c in unknown)} no {'es un indicador' if len(unknown) == 1 else 'son indicadores'} de {plan.code}."] if unknown else []
    foreign = [c for c, i in found.items() if entity and i.entity_id != entity.id]
    if foreign:
        errors.append(f"Campo «indicadores»: {', '.join(foreign)} no {'es' if len(foreign) == 1 else 'son'} de {entity.code}.")
    if errors:
        raise Invalid(errors)
    return [found[c] for c in dict.fromkeys(codes)]


def check_overlap(plan: core.Plan, year: int, period: str, indicators, exclude: Campaign | None = None) -> None:
    """Several campaigns may share a plan, year and period only if they share no indicator."""
    others = Campaign.objects.filter(plan=plan, year=year, period=period).exclude(pk=exclude.pk if exclude else None)
    ids = {i.id for i in indicators}
    errors = []
    for other in others.prefetch_related("indicators"):
        shared = [i.code for i in other.indicators.all() if i.id in ids]
        if shared:
            errors.append(f"Campo «indicadores»: {', '.join(shared)} ya {'está' if len(shared) == 1 else 'están'} en la campaña "
                          f"«{other.name}» ({plan.code} {year}, {period}); una campaña del mismo periodo no puede repetirlos.")
    if errors:
        raise Invalid(errors)


def entity_of(raw) -> core.Entity | None:
    code = str(raw or "").strip()
    if not code:
        return None
    found = core.Entity.objects.filter(code=code).first()
    if found is None:
        raise Invalid([f"Campo «entidad»: «{shown(code)}» no existe (entidades: {', '.join(core.Entity.objects.values_list('code', flat=True))})."])
    return found


def open_campaign(user, plan: core.Plan, data: dict) -> Opened:
    """A new campaign for ``plan`` with one empty report per indicator, and the targets of its
    period typed in the set-up; every problem is reported together (Invalid names the field).

    A campaign whose indicators lack a target opens only with the planning office's recorded
    reason (``no_target_reason``): otherwise progress would show as ND everywhere."""
    errors = []
    year, problem = check_year(data.get("year"))
    if problem:
        errors.append(problem)
    dates = {}
    for name, label in (("opens", "inicio"), ("deadline", "plazo")):
        raw = data.get(name) or (timezone.localdate().isoformat() if name == "opens" else None)
        try:
            dates[name] = parse_date(raw, label)
        except Invalid as exc:
            errors += exc.errors
    if len(dates) == 2 and dates["deadline"] < dates["opens"]:
        errors.append("Campo «plazo»: no puede ser anterior al inicio.")
    name, reason, indicators, entity = "", "", [], None
    try:
        name = inputs.text(Campaign, "name", data.get("name"))
        reason = inputs.text(Campaign, "no_target_reason", data.get("no_target_reason"))
    except Invalid as exc:
        errors += exc.errors
    period = str(data.get("period") or Campaign.Period.YEAR)
    if period not in Campaign.Period.values:
        errors.append(f"Campo «periodo»: «{shown(period)}» no es válido (use {' o '.join(Campaign.Period.values)}).")
    try:
        entity = entity_of(data.get("entity"))
        indicators = choose(plan, entity, codes_of(data.get("indicators")))
    except Invalid as exc:
        errors += exc.errors
    if errors:
        raise Invalid(errors)
    check_overlap(plan, year, period, indicators)
    typed = targets.parse(plan, indicators, year, period, data.get("targets") or {})
    missing = targets.missing(plan, indicators, year, period, typed)
    if missing and not reason:
        raise Invalid([f"Campo «logro esperado»: {', '.join(missing)} no {'tiene' if len(missing) == 1 else 'tienen'} logro esperado "
                       f"{year}; fíjelo o indique el motivo para abrir la campaña sin él (queda en la auditoría)."])
    with transaction.atomic():
        targets.apply(user, plan, year, period, typed, "Fijado al abrir la campaña.")
        default = f"Reporte {year}{' ' + entity.code if entity else ''} — {plan.name}"
        campaign = Campaign(plan=plan, name=name or default[:200], year=year, period=period, opens=dates["opens"],
                            deadline=dates["deadline"], opened_by=user, entity=entity, no_target_reason=reason if missing else "")
        campaign._history_user = user
        campaign._change_reason = f"Campaña abierta sin logro esperado de {', '.join(missing)}: {reason}" if missing else "Campaña abierta."
        campaign.save()
        campaign.indicators.set(indicators)
        services.ensure_submissions(campaign)
    operators = [u for e in {i.entity_id for i in indicators} for u in services.operators_of(e)]
    services.notify(operators, "campaña", f"Se abrió {campaign.name}; plazo {campaign.deadline:%d/%m/%Y}.", f"/campanas/{campaign.id}/")
    return Opened(campaign, len(indicators), len(typed), missing)


def change_indicators(user, campaign: Campaign, add: list[str], remove: list[str], reason: str = "") -> tuple[int, int]:
    """Add indicators to an open campaign, or remove those nobody has reported yet."""
    services.require_open(campaign)
    plan = campaign.plan
    adding = choose(plan, None, add) if add else []
    current = {i.code: i for i in campaign.indicators.all()}
    adding = [i for i in adding if i.code not in current]
    errors = [f"Campo «quitar»: {shown(c)} no está en la campaña." for c in remove if c not in current]
    started = campaign.submissions.filter(indicator__code__in=remove).exclude(state=State.DRAFT, value=None, status="")
    errors += [f"Campo «quitar»: {s.indicator.code} ya tiene un reporte «{s.get_state_display().lower()}»; no se puede quitar."
               for s in started.select_related("indicator")]
    if errors:
        raise Invalid(errors)
    check_overlap(plan, campaign.year, campaign.period, adding, exclude=campaign)
    with transaction.atomic():
        campaign.submissions.filter(indicator__code__in=remove, state=State.DRAFT).delete()
        campaign.indicators.remove(*[current[c] for c in remove])
        campaign.indicators.add(*adding)
        services.ensure_submissions(campaign)
        parts = ([f"agregados {', '.join(i.code for i in adding)}"] if adding else []) + ([f"quitados {', '.join(remove)}"] if remove else [])
        campaign._history_user, campaign._change_reason = user, f"Indicadores {'; '.join(parts)}. {reason}".strip()
        campaign.save()
    if adding:
        services.notify([u for e in {i.entity_id for i in adding} for u in services.operators_of(e)], "campaña",
                        f"{campaign.name}: se agregaron {', '.join(i.code for i in adding)}.", f"/campanas/{campaign.id}/")
    return len(adding), len(remove)


def set_targets(user, campaign: Campaign, typed: dict[str, str], reason: str = "") -> int:
    """Targets typed in an open campaign's set-up; with indicators still lacking one, the
    planning office's reason is required and recorded (it may have been given at opening)."""
    services.require_open(campaign)
    plan, indicators = campaign.plan, list(campaign.indicators.order_by("position"))
    reason = inputs.text(Campaign, "no_target_reason", reason)
    values = targets.parse(plan, indicators, campaign.year, campaign.period, typed)
    missing = targets.missing(plan, indicators, campaign.year, campaign.period, values)
    if missing and not reason:
        raise Invalid([f"Campo «logro esperado»: {', '.join(missing)} no {'tiene' if len(missing) == 1 else 'tienen'} logro esperado "
                       f"{campaign.year}; fíjelo o indique el motivo para mantener la campaña sin él."])
    with transaction.atomic():
        targets.apply(user, plan, campaign.year, campaign.period, values, f"Fijado en {campaign.name}.")
        if (reason if missing else "") != campaign.no_target_reason:
            campaign.no_target_reason = reason if missing else ""
            campaign._history_user = user
            campaign._change_reason = f"Sin logro esperado de {', '.join(missing)}: {reason}" if missing else "Todos los indicadores tienen logro esperado."
            campaign.save()
    return len(values)


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
