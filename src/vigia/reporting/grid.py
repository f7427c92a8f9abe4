"""The entry grid of a campaign: every indicator an operador reports, on one screen.

The grid posts one set of inputs per report (``r<id>-value``, ``r<id>-version``…). ``rows``
builds what each line shows; ``posted`` reads the inputs back into ``batch.Row``s — only the
lines whose content differs from what is stored, so an unchanged line changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied

from vigia.presentation import numbers

from . import batch
from . import permissions as perms
from . import services
from .models import Campaign, State, Submission
from .preview import Context, Preview, figure, preview

_LINE = re.compile(r"^r(\d{1,12})-")
INPUTS = ("value", "status", "reason", "numerator", "denominator", "source", "analysis", "justification")


@dataclass
class Line:
    """One line of the grid: a report, what it shows and (after a refused save) what was typed."""

    submission: Submission
    editable: bool
    typed: dict
    target: str
    previous: str
    preview: Preview
    problems: list = field(default_factory=list)
    conflict: Submission | None = None
    observation: str = ""

    @property
    def prefix(self) -> str:
        return f"r{self.submission.pk}"

    @property
    def link(self) -> str:
        return f"/campanas/{self.submission.campaign_id}/reportes/{self.submission.indicator.code}/"

    @property
    def preview_url(self) -> str:
        return f"/campanas/{self.submission.campaign_id}/grilla/{self.submission.pk}/avance/"

    @property
    def unit(self) -> str:
        ind = self.submission.indicator
        return ind.unit_label or ind.get_unit_display()

    @property
    def ratio(self) -> bool:
        return bool(self.submission.indicator.numerator_label)


def reports(user, campaign: Campaign) -> list[Submission]:
    """The campaign's reports that ``user`` enters in the grid (its entity's; all for the office)."""
    qs = campaign.submissions.select_related("indicator__entity", "indicator__responsible_unit", "updated_by").order_by("indicator__position")
    if perms.role(user) == "operator":
        entity = perms.entity_of(user)
        qs = qs.filter(indicator__entity=entity)
    return [s for s in qs if perms.can_report(user, s.indicator)]


def stored(s: Submission) -> dict:
    """What the inputs of a report hold when nothing was typed: the stored content, as text."""
    def text(v):
        return "" if v is None else f"{v:g}" if isinstance(v, float) else str(v)
    return {name: text(getattr(s, name)) for name in INPUTS}


def lines(user, campaign: Campaign, typed: dict | None = None, refused: batch.Refused | None = None) -> list[Line]:
    """The grid's lines; ``typed`` (by report id) keeps what a refused delivery carried."""
    ctx = Context(campaign, perms.audience(user))
    problems: dict[int, list] = {}
    conflicts = {}
    for p in refused.problems if refused else []:
        problems.setdefault(p.number, []).append(p)
        if p.current is not None:
            conflicts[p.number] = p.current
    subs = reports(user, campaign)
    observed = observations(subs)
    shown = {s.pk: (typed or {}).get(s.pk) or stored(s) for s in subs}
    rows = ctx.progress({s.indicator.code: figure(ctx, s.indicator, shown[s.pk])[1] for s in subs})
    out = []
    for s in subs:
        ind = s.indicator
        values = shown[s.pk]
        unit, decimals = ind.unit, ind.decimals
        target, previous = ctx.target(ind.code), ctx.previous(ind.code)
        out.append(Line(
            submission=s, editable=s.state in services.EDITABLE and not campaign.closed, typed=values,
            target=numbers.number(target, unit, decimals) if target is not None else "sin definir",
            previous=numbers.number(previous, unit, decimals) if previous is not None else "—",
            preview=preview(ctx, ind, values, rows.get(ind.code)), problems=problems.get(s.pk, []), conflict=conflicts.get(s.pk),
            observation=observed.get(s.pk, "") if s.state == State.OBSERVED else ""))
    return out


def observations(subs) -> dict[int, str]:
    """The last reviewer's comment of each report (what an observed report must correct)."""
    from .models import Transition

    out = {}
    for t in Transition.objects.filter(submission__in=subs, target=State.OBSERVED).order_by("at", "id"):
        out[t.submission_id] = t.comment
    return out


def posted(user, campaign: Campaign, post, submit: bool) -> tuple[list[batch.Row], dict[int, dict], list[str]]:
    """The delivery a grid form carries: the changed lines (and, to send, every complete one),
    what was typed in every line (to show again if refused), and the malformed versions."""
    rows, typed, errors = [], {}, []
    mine = reports(user, campaign)
    ids = {s.pk for s in mine}
    foreign = sorted({key.split("-", 1)[0] for key in post if _LINE.match(key) and int(_LINE.match(key).group(1)) not in ids})
    if foreign:
        raise PermissionDenied(f"Las filas {', '.join(foreign)} no son indicadores que usted reporte en esta campaña; no se guardó nada.")
    for s in mine:
        prefix = f"r{s.pk}"
        if f"{prefix}-version" not in post:
            continue
        data = {name: post.get(f"{prefix}-{name}", "") for name in INPUTS}
        typed[s.pk] = data
        if s.state not in services.EDITABLE:
            continue
        try:
            version = services.version_of(post.get(f"{prefix}-version"))
        except services.Invalid as exc:
            errors += [f"{s.indicator.code}: {e}" for e in exc.errors]
            continue
        changed = data != stored(s) or version != s.version
        sendable = submit and s.state in batch.SENDABLE and any(data[k] for k in ("value", "numerator", "status"))
        if changed or sendable:
            rows.append(batch.Row(s.pk, s, version, data, submit=sendable))
    return rows, typed, errors
