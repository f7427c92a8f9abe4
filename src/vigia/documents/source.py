"""Everything one report is made from: a dataset, one evaluation of it, and the texts that apply.

A report never mixes evaluations: every table, chart and sentence reads ``Source.ev`` (and the
series it was computed from), so the figures in the document agree with each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from vigia.datasets import Dataset
from vigia.methodology import Evaluation, Row, Series, checks, evaluate, ruleset
from vigia.methodology.rules import RuleSet
from vigia.presentation import matrix as presenters

from .common import checksum, long_date


class ReportError(ValueError):
    """A report that cannot be made (unknown vintage, a plan without values…), said in Spanish."""


@dataclass
class Source:
    ds: Dataset
    ev: Evaluation
    vintage: str
    preliminary: bool = False
    data_version: int | None = None
    analyses: Mapping[str, str] = field(default_factory=dict)  # approved analyses from the review workflow, by code
    number: str | None = None  # the document's number, when the office gives one for this document
    issued: date | None = None  # the document's date, when the office gives one

    @property
    def year(self) -> int:
        return self.ev.year

    @property
    def period(self) -> str:
        return self.ev.period

    @property
    def rules(self) -> RuleSet:
        return self.ev.rules

    @property
    def spec(self):
        return self.ds.spec

    @cached_property
    def series(self) -> dict[str, Series]:
        return self.ds.series(self.vintage, self.period)

    @cached_property
    def years(self) -> list[int]:
        """The edition's years up to the evaluated one: the columns of the matrix."""
        return [y for y in presenters.data_years(self.ds, self.vintage) if y <= self.year] or [self.year]

    @cached_property
    def checksum(self) -> str:
        return checksum(self.ds)

    @cached_property
    def rows(self) -> dict[str, Row]:
        return {r.code: r for r in self.ev.rows}

    def row_in(self, year: int, code: str) -> Row:
        """``code``'s row in another year's evaluation (same data, rules and period): the bands of a chart."""
        if year == self.year:
            return self.rows[code]
        cache = self.__dict__.setdefault("_other_years", {})
        if year not in cache:
            ev = evaluate(self.ds.plan, self.series, year, self.rules, self.period)
            cache[year] = {r.code: r for r in ev.rows}
        return cache[year][code]

    @cached_property
    def findings(self) -> list:
        """Consistency findings of the edition this report uses."""
        found = checks.check(self.ds.plan, self.rules, self.ds.editions(), self.ds.spec.current_vintage)
        return [f for f in found if f.edition == self.vintage]

    @cached_property
    def vintage_spec(self):
        return next(v for v in self.spec.vintages if v.code == self.vintage)

    @property
    def current(self) -> bool:
        return self.vintage == self.spec.current_vintage

    @cached_property
    def narrative_year(self) -> int | None:
        """The year the plan-level narrative texts describe: the latest year with obtained values."""
        return presenters.default_year(self.ds)

    # Dates ------------------------------------------------------------------------------------

    @property
    def cutoff(self) -> date:
        return date(self.year, 6, 30) if self.period == "S1" else date(self.year, 12, 31)

    @property
    def document_date(self) -> date:
        """The date the office gives, else the edition's date when after the period, else the cut-off: never the clock."""
        if self.issued:
            return self.issued
        d = self.vintage_spec.date
        return d if d and d >= self.cutoff else self.cutoff

    @property
    def dated(self) -> bool:
        """Whether the document has a date of its own (given by the office or the edition's), not just the cut-off."""
        d = self.vintage_spec.date
        return self.issued is not None or bool(d and d >= self.cutoff)

    @property
    def semester(self) -> bool:
        return self.period == "S1"

    @property
    def period_title(self) -> str:
        """"2024" or "primer semestre 2024": what headings and captions say."""
        return f"primer semestre {self.year}" if self.semester else f"{self.year}"

    @property
    def period_phrase(self) -> str:
        """"en 2024" or "en el primer semestre de 2024": how sentences place a figure in time."""
        return f"en el primer semestre de {self.year}" if self.semester else f"en {self.year}"

    @cached_property
    def signoff(self) -> dict:
        """Who prepares, reviews and approves the documents, as the planning office recorded it (plan texts)."""
        return dict(self.spec.texts.get("signoff") or {})

    @property
    def document_number(self) -> str:
        if self.number is not None:
            return self.number
        numbers = self.signoff.get("numbers") or {}
        key = self.vintage if self.period == "anual" else f"{self.vintage} {self.period}"
        return str(numbers.get(key) or "")

    @property
    def period_label(self) -> str:
        return f"primer semestre {self.year} (enero a junio)" if self.period == "S1" else f"anual {self.year} (enero a diciembre)"

    @property
    def cutoff_label(self) -> str:
        return long_date(self.cutoff)

    # Stored texts -----------------------------------------------------------------------------

    def _suffix(self) -> str:
        return f"_{self.year}" if self.period == "anual" else f"_{self.year}_{self.period}"

    def item_text(self, code: str, key: str):
        """A text stored on an element or indicator for this year (e.g. ``analysis_2024``).

        The review workflow's approved analysis wins; stored texts of the current edition apply
        only to the edition they were written with."""
        if key == "analysis" and self.analyses.get(code):
            return self.analyses[code]
        if not self.current:
            return None
        texts = None
        try:
            texts = self.ds.element_spec(code).texts
        except StopIteration:
            try:
                texts = self.ds.indicator_spec(code).texts
            except StopIteration:
                return None
        return texts.get(key + self._suffix()) or None

    def plan_text(self, key: str):
        """A plan-level narrative (executive summary, conclusions…) when it describes this report's year."""
        if self.current and self.period == "anual" and self.year == self.narrative_year:
            return self.spec.texts.get(key) or None
        return None

    def static_text(self, key: str):
        """A descriptor that does not depend on the year (mission, vision, public problem)."""
        return self.spec.texts.get(key) or None

    @cached_property
    def edition(self) -> dict:
        """Texts of a published edition (policy reports of 2020, 2021) when this report reproduces it."""
        editions = self.spec.texts.get("editions") or {}
        ed = editions.get(self.vintage) or {}
        meta = ed.get("meta") or {}
        if ed and meta.get("year_reported") == self.year and self.period == "anual":
            return ed
        return {}

    def edition_text(self, key: str, code: str | None = None):
        ed = self.edition
        if code:
            return (ed.get(code) or {}).get(key) or None
        return ed.get(key) or None


def prepare(
    ds: Dataset,
    year: int,
    period: str = "anual",
    vintage: str | None = None,
    preliminary: bool = False,
    data_version: int | None = None,
    analyses: Mapping[str, str] | None = None,
    ev: Evaluation | None = None,
    number: str | None = None,
    issued: date | None = None,
) -> Source:
    """The evaluation a report is made from (or ``ev`` when the caller already has it)."""
    vintage = vintage or ds.spec.current_vintage
    if vintage not in ds.vintages:
        raise ReportError(f"La edición «{vintage}» no existe en {ds.code} (ediciones: {', '.join(ds.vintages)}).")
    if period not in ("anual", "S1"):
        raise ReportError(f"Periodo no válido: «{period}» (use anual o S1).")
    years = presenters.data_years(ds, vintage)
    if not years:
        raise ReportError(f"{ds.spec.name} no tiene valores registrados: no hay avance que reportar.")
    if year not in years:
        raise ReportError(f"{ds.spec.name} no tiene datos para {year} en la edición {vintage} (años: {years[0]}–{years[-1]}).")
    if period == "S1":
        _require_semester_targets(ds, year, vintage)
    if ev is None:
        ev = evaluate(ds.plan, ds.series(vintage, period), year, ruleset(ds.spec.ruleset), period)
    return Source(ds, ev, vintage, preliminary, data_version, dict(analyses or {}), number, issued)


def _require_semester_targets(ds: Dataset, year: int, vintage: str) -> None:
    """A semester report needs semester targets: without them every avance would be ND."""
    series = ds.series(vintage, "S1")
    with_target = [c for c, s in series.items() if s.target(year).value is not None]
    if with_target:
        return
    total = len(ds.plan.indicators)
    actuals = sorted(c for c, s in series.items() if s.actual(year).value is not None)
    known = (f" Hay valores obtenidos del semestre para {', '.join(actuals)}, pero sin meta no hay avance."
             if actuals else " Tampoco hay valores obtenidos del semestre.")
    raise ReportError(
        f"No se puede elaborar el documento del primer semestre {year} de {ds.spec.name}: ninguno de sus {total} "
        f"indicadores tiene logro esperado semestral registrado.{known} Registre los logros esperados del primer "
        "semestre (valores con periodo S1) y vuelva a generarlo.")
