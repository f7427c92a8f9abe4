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

    def progress(self, code: str, value: float | None, status: str = ""):
        """The evaluation row of ``code`` had its obtained value of the year been ``value``."""
        ind = self.indicators[code]
        series = self.series.get(code)
        if series is None:
            return None
        actual = Observation(value) if value is not None else Observation(None, None)
        series = dataclasses.replace(series, actuals={**series.actuals, self.campaign.year: actual})
        plan = dataclasses.replace(self.ds.plan, indicators=(ind,))
        return evaluate(plan, {code: series}, self.campaign.year, self.rules, self.campaign.period).row(code)


def preview(ctx: Context, indicator, data: dict) -> Preview:
    """The figures and messages for the values typed in one row (``data`` as the form posts it)."""
    out = Preview()
    code, previous = indicator.code, ctx.previous(indicator.code)
    check = check_actual(code, data.get("value"), unit=indicator.unit, status=data.get("status") or "",
                         reason=str(data.get("reason") or ""), previous=previous,
                         justification=str(data.get("justification") or ""), numerator=data.get("numerator"),
                         denominator=data.get("denominator"), valid_min=indicator.valid_min, valid_max=indicator.valid_max)
    empty = all(data.get(k) in (None, "") for k in ("value", "numerator", "denominator", "status"))
    if not empty:
        out.errors, out.warnings = check.errors, check.warnings
    # the figure the value would be, whether or not its justification is written yet
    figure = check if check.ok else check_actual(
        code, data.get("value"), unit=indicator.unit, status=data.get("status") or "", reason="-", previous=previous,
        justification="-", numerator=data.get("numerator"), denominator=data.get("denominator"),
        valid_min=indicator.valid_min, valid_max=indicator.valid_max)
    value = figure.value if figure.ok else None
    if value is not None:
        out.change = numbers.change(previous, value)
    row = ctx.progress(code, value)
    if row is not None:
        out.progress = numbers.progress(row.progress, ctx.rules)
        out.band, out.band_class, out.band_label, out.reason = row.band.value, row.band.name.lower(), row.band.label, row.reason.text
    return out
