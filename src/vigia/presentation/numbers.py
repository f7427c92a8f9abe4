"""One number style everywhere, as the official documents print figures: decimal point,
thousands comma, % on every percentage, values with the decimals of their ficha and the avance
with the decimals its rule set publishes.

A figure is one of three things and each reads differently: a number; ND or SD (a status the
source states); or nothing at all, because the source never gave it (``ABSENT``).
"""

from __future__ import annotations

import math

from vigia.methodology.bands import Band, displayed
from vigia.methodology.model import Observation
from vigia.methodology.rules import RuleSet

ABSENT = "—"
ABSENT_LABEL = "sin dato en la fuente"
ND = "ND"
# Decimals printed when the ficha gives none: the seeds print percentages and rates with two.
DEFAULT_DECIMALS = {"percentage": 2, "rate": 2, "ratio": 2, "index": 2, "variation_rate": 2}
PERCENT_UNITS = ("percentage", "variation_rate")
BAND_LEGEND = {
    Band.GREEN: "Verde: avance ≥ 95 %",
    Band.YELLOW: "Amarillo: avance ≥ 75 % y < 95 %",
    Band.RED: "Rojo: avance < 75 %",
    Band.ND: "Gris: ND (sin avance calculable)",
}


def decimals_for(unit: str, decimals: int | None = None, value: float | None = None) -> int:
    """The decimals of a value: the ficha's, else the unit's; counts show decimals only when they have them."""
    if decimals is not None:
        return decimals
    if unit in DEFAULT_DECIMALS:
        return DEFAULT_DECIMALS[unit]
    return 0 if value is None or float(value).is_integer() else 2


def grouped(value: float, decimals: int) -> str:
    """6235.5 → "6,235.50": thousands comma, decimal point, no negative zero."""
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def number(value: float | None, unit: str = "number", decimals: int | None = None) -> str:
    """A value as the reports print it: 36.50%, 6,235, 3.75; ND when there is none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ND
    text = grouped(float(value), decimals_for(unit, decimals, value))
    return f"{text}%" if unit in PERCENT_UNITS else text


def observation(obs: Observation | None, unit: str = "number", decimals: int | None = None) -> str:
    """A stored figure: its number, its status (ND/SD), or ``ABSENT`` when the source has none."""
    if obs is None or (obs.value is None and obs.status is None):
        return ABSENT
    if obs.value is None:
        return obs.status.value
    return number(obs.value, unit, decimals)


def progress(value: float | None, rules: RuleSet, sign: bool = True) -> str:
    """An avance rounded as its rule set publishes it (half away from zero): "68.7%" or "ND"."""
    shown = displayed(value, rules)
    if shown is None:
        return ND
    text = grouped(shown, rules.decimals)
    return f"{text}%" if sign else text


def count(n: int) -> str:
    return f"{n:,}"


def change(previous: float | None, current: float | None) -> str:
    """The relative change between two values, "+12.3%"; empty when it cannot be computed."""
    if previous in (None, 0) or current is None:
        return ""
    return f"{(current - previous) / abs(previous) * 100:+,.1f}%"
