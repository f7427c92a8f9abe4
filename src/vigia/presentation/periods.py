"""Which years a plan has figures for, and which of them are complete.

One value published for next year must not make the portal open on a year where every other
indicator is still missing: the default year is the latest one whose report is complete (every
indicator has its obtained figure: a value, ND or SD), and a later year shows only as "en curso"
with how many indicators it has so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vigia.datasets import Dataset


@dataclass(frozen=True)
class YearStatus:
    year: int
    published: int  # indicators with an obtained figure in the year (a value, ND or SD)
    total: int  # indicators of the plan

    @property
    def complete(self) -> bool:
        return self.published >= self.total

    @property
    def progress_label(self) -> str:
        """ "en curso (1 de 49 indicadores publicados)" """
        noun = "indicador publicado" if self.total == 1 else "indicadores publicados"
        return f"en curso ({self.published} de {self.total} {noun})"


@lru_cache(maxsize=256)
def year_statuses(ds: Dataset, vintage: str | None = None, period: str = "anual") -> tuple[YearStatus, ...]:
    """Every year with at least one obtained figure, oldest first (cached: datasets are immutable)."""
    vintage = vintage or ds.spec.current_vintage
    reported: dict[int, set[str]] = {}
    for r in ds.records:
        if r.vintage == vintage and r.period == period and r.kind == "actual" and (r.value is not None or r.status):
            reported.setdefault(r.year, set()).add(r.indicator)
    total = len(ds.indicator_specs)
    return tuple(YearStatus(y, len(codes), total) for y, codes in sorted(reported.items()))


def default_year(ds: Dataset, vintage: str | None = None) -> int | None:
    """The latest complete year; else the latest year with any obtained figure; None without figures."""
    statuses = year_statuses(ds, vintage)
    complete = [s.year for s in statuses if s.complete]
    if complete:
        return complete[-1]
    return statuses[-1].year if statuses else None


def in_progress(ds: Dataset, vintage: str | None = None) -> dict[int, YearStatus]:
    """Years after the default one: still being reported."""
    default = default_year(ds, vintage)
    return {s.year: s for s in year_statuses(ds, vintage) if default is not None and s.year > default}
