"""Number and band formatting in the seeds' style (decimal point, % sign)."""

from __future__ import annotations

from vigia.methodology.bands import Band, displayed
from vigia.methodology.rules import RuleSet

BAND_STYLE = {Band.GREEN: "bold green", Band.YELLOW: "bold yellow", Band.RED: "bold red", Band.ND: "dim"}


def number(value: float | None, unit: str = "number") -> str:
    """A value as the reports print it: ND when missing, % for percentages."""
    if value is None:
        return "ND"
    if unit == "percentage":
        return f"{value:,.2f}%"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) >= 1 else f"{value:.3g}"


def progress(value: float | None, rules: RuleSet) -> str:
    shown = displayed(value, rules)
    return "ND" if shown is None else f"{shown:.{rules.decimals}f}"
