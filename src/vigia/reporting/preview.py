"""What a value being typed would mean: its % change against the year before, its avance and
band, and what the validation says — computed by the methodology itself, so the entry grid shows
exactly the figure the dashboards will show once the value is saved.

The avance is that of ``methodology.evaluate`` over the indicator's whole series (an additive
indicator compares running totals), with the plan's rule set; nothing is re-implemented here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from vigia.methodology import Observation, evaluate, ruleset
from vigia.methodology.validation import check_actual
from vigia.presentation import numbers

from . import figures
from .permissions import Audience


PREVIEW_ROW = object()  # ``preview`` evaluates the row itself


@dataclass
class Preview:
    change: str = ""
    progress: str = "ND"
    band: str = "ND"
    band_class: str = "nd"  # the CSS class of the band badge (vigia.css)
    band_label: str = ""
    reason: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return dataclasses.asdict(self)


class Context:
    """The plan as the user sees it, read once for every row of a grid."""

    def __init__(self, campaign, viewer: Audience):
        self.campaign = campaign
        plan = campaign.plan
        self.ds = figures.dataset(plan.code, viewer)
        self.rules = ruleset(self.ds.spec.ruleset)
        self.series = self.ds.series(None, campaign.period)
        self.indicators = {i.code: i for i in self.ds.plan.indicators}

    def target(self, code: str) -> float | None:
        series = self.series.get(code)
        return series.target(self.campaign.year).value if series else None

    def previous(self, code: str) -> float | None:
        series = self.series.get(code)
        return series.actual(self.campaign.year - 1).value if series else None

    def history(self, code: str, years: int = 4) -> list[tuple[int, Observation, Observation]]:
        """(year, target, actual) of the years before the campaign's, most recent last."""
        series = self.series.get(code)
        if not series:
            return []
        year = self.campaign.year
        return [(y, series.target(y), series.actual(y)) for y in range(year - years, year)
                if series.target(y).value is not None or not series.actual(y).missing or series.actual(y).status]

    def progress(self, values: dict[str, float | None]) -> dict:
        """The evaluation rows of the indicators in ``values``, had their obtained values of the
        year been those: one evaluation for all of them."""
        inds = tuple(self.indicators[code] for code in values if code in self.series)
        if not inds:
            return {}
        year = self.campaign.year
        series = {i.code: dataclasses.replace(self.series[i.code], actuals={
            **self.series[i.code].actuals, year: Observation(values[i.code])}) for i in inds}
        ev = evaluate(dataclasses.replace(self.ds.plan, indicators=inds), series, year, self.rules, self.campaign.period)
        return {i.code: ev.row(i.code) for i in inds}


def figure(ctx: Context, indicator, data: dict):
    """The check of the typed values, and the figure they make whether or not the justification
    of a jump is written yet (the avance shows while the operator writes it)."""
    previous = ctx.previous(indicator.code)
    args = dict(unit=indicator.unit, status=data.get("status") or "", previous=previous, numerator=data.get("numerator"),
                denominator=data.get("denominator"), valid_min=indicator.valid_min, valid_max=indicator.valid_max)
    check = check_actual(indicator.code, data.get("value"), reason=str(data.get("reason") or ""),
                         justification=str(data.get("justification") or ""), **args)
    loose = check if check.ok else check_actual(indicator.code, data.get("value"), reason="-", justification="-", **args)
    return check, (loose.value if loose.ok else None)


def preview(ctx: Context, indicator, data: dict, row=PREVIEW_ROW) -> Preview:
    """The figures and messages for the values typed in one row (``data`` as the form posts it);
    ``row`` is its evaluation row when the caller computed every row at once."""
    out = Preview()
    code, previous = indicator.code, ctx.previous(indicator.code)
    check, value = figure(ctx, indicator, data)
    if not any(data.get(k) not in (None, "") for k in ("value", "numerator", "denominator", "status")):
        return Preview(progress="—", band_label="Sin valor todavía")  # not «ND», which is a status one may choose
    out.errors, out.warnings = check.errors, check.warnings
    if value is not None:
        out.change = numbers.change(previous, value)
    if row is PREVIEW_ROW:
        row = ctx.progress({code: value}).get(code)
    if row is not None:
        out.progress = numbers.progress(row.progress, ctx.rules)
        out.band, out.band_class, out.band_label, out.reason = row.band.value, row.band.name.lower(), row.band.label, row.reason.text
    return out
