"""Consistency checks: what the official documents get wrong, found from their own figures.

Each published avance is recomputed from the stored values. When it does not match, the
alternatives a document may have applied (the opposite direction, Tipo II, its own rounded
inputs) are tried, so the finding says what was really done.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from . import ficha
from .evaluation import evaluate
from .model import Direction, Plan, Series
from .progress import progress_of
from .rules import Formula, RuleSet


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "aviso"
    INFO = "info"


@dataclass(frozen=True)
class Published:
    """A figure as a document prints it."""

    code: str
    year: int
    period: str
    value: float | None
    source: str


@dataclass(frozen=True)
class Stated:
    """A figure a document's text states at one place: an obtained value, a numerator or a denominator."""

    code: str
    year: int
    period: str
    kind: str  # actual_stated | numerator | denominator
    value: float
    source: str


@dataclass(frozen=True)
class Edition:
    """One report edition: its values and what it publishes."""

    code: str
    name: str
    series: Mapping[str, Mapping[str, Series]]  # period -> indicator -> series
    published: Sequence[Published] = ()
    printed: Mapping[tuple[str, int, str, str], float] = field(default_factory=dict)  # (code, year, period, kind)
    stated_formula: Formula | None = None
    stated: Sequence[Stated] = ()  # figures the narrative states, with their place


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str
    code: str
    edition: str
    year: int | None
    text: str
    figures: dict = field(default_factory=dict)


OUTLIER = 300.0


def tolerance(value: float) -> float:
    """Half a unit of the last printed digit: 92 → 0.5, 68.7 → 0.05, 57.62 → 0.005."""
    if float(value).is_integer():
        return 0.5
    decimals = len(repr(float(value)).split(".")[1])
    return 0.5 * 10**-decimals + 1e-9


def _matches(computed: float | None, published: float | None) -> bool:
    if computed is None or published is None:
        return computed is None and published is None
    return abs(computed - published) <= tolerance(published)


def check(plan: Plan, rules: RuleSet, editions: Sequence[Edition], current: str) -> list[Finding]:
    findings: list[Finding] = []
    indicators = {i.code: i for i in plan.indicators}
    for ed in editions:
        by_key: dict[tuple, list[Published]] = defaultdict(list)
        formula_hits: dict[str, list[str]] = defaultdict(list)
        for pub in ed.published:
            by_key[(pub.code, pub.year, pub.period)].append(pub)
            if pub.code in indicators:
                findings += _check_indicator(indicators[pub.code], pub, ed, rules, formula_hits)
        findings += _check_aggregates(plan, rules, ed)
        findings += _contradictions(by_key, ed)
        findings += _stated_contradictions(ed)
        findings += _rates(indicators, ed)
        if ed.stated_formula and formula_hits and ed.stated_formula.value not in formula_hits:
            applied = ", ".join(sorted(formula_hits))
            codes = sorted({c for v in formula_hits.values() for c in v})
            findings.append(Finding(
                Severity.ERROR, "formula_declarada", ", ".join(codes), ed.code, None,
                f"{ed.name} declara la fórmula {_FORMULA_NAME[ed.stated_formula]} pero sus avances se reproducen con "
                f"{applied.replace('tipo_i', 'Tipo I (obtenido / esperado)')}, no con la declarada.",
                {"declarada": ed.stated_formula.value, "aplicada": applied},
            ))
    current_ed = next(e for e in editions if e.code == current)
    findings += _directions(plan, current_ed)
    findings += _outliers(plan, rules, current_ed)
    unique = {(f.rule, f.code, f.edition, f.year): f for f in reversed(findings)}  # first one wins
    return [f for f in findings if unique[(f.rule, f.code, f.edition, f.year)] is f]


_FORMULA_NAME = {Formula.TIPO_I: "Tipo I (obtenido / esperado)", Formula.TIPO_II: "Tipo II ((obtenido − base) / (esperado − base))"}


def _check_indicator(ind, pub: Published, ed: Edition, rules: RuleSet, formula_hits) -> list[Finding]:
    s = ed.series.get(pub.period, {}).get(ind.code, Series())
    target, actual, base = s.target(pub.year).value, s.actual(pub.year).value, s.baseline.value
    computed, reason = progress_of(target, actual, ind.direction, rules, baseline=base, bound=ind.bound)
    figures = {"esperado": target, "obtenido": actual, "publicado": pub.value, "calculado": computed}

    def finding(sev, rule, text, **extra):
        return [Finding(sev, rule, ind.code, ed.code, pub.year, text, {**figures, **extra})]

    printed_t = ed.printed.get((ind.code, pub.year, pub.period, "target_printed"), target)
    printed_a = ed.printed.get((ind.code, pub.year, pub.period, "actual_printed"), actual)
    if _matches(computed, pub.value):
        formula_hits[Formula.TIPO_I.value].append(ind.code)
        if (printed_t, printed_a) == (target, actual):
            return []
        from_printed, _ = progress_of(printed_t, printed_a, ind.direction, rules, baseline=base)
        if _matches(from_printed, pub.value):
            return []
        stated = {st.value for st in ed.stated if (st.code, st.year, st.period, st.kind) == (ind.code, pub.year, pub.period, "actual_stated")}
        rebuilt = "" if actual == printed_a or any(_matches(actual, v) for v in stated) else (
            f"; el documento no imprime {number(actual)} en ningún lugar: es el valor sin redondear que se deduce del avance "
            f"publicado, y los documentos publicados imprimen {number(printed_a)}")
        return finding(Severity.WARNING, "insumos_redondeados",
                       f"{ind.code}: {pub.source} imprime {number(printed_a)} obtenido y {number(printed_t)} esperado, que "
                       f"darían {number(from_printed, 2)}; el avance publicado {number(pub.value)} solo se reproduce con los "
                       f"valores sin redondear ({number(actual)} y {number(target)}){rebuilt}.", impreso=from_printed)
    if computed is None:
        return finding(Severity.INFO, "publicado_sin_avance",
                       f"{ind.code} ({pub.source}) publica {number(pub.value)} pero su avance es ND: {reason.text}.")
    if pub.value is None:
        return finding(Severity.ERROR, "avance_omitido", f"{ind.code} ({pub.source}) publica ND aunque los valores dan {number(computed, 2)}.")

    opposite = Direction.ASCENDING if ind.direction is Direction.DESCENDING else Direction.DESCENDING
    swapped, _ = progress_of(target, actual, opposite, rules)
    if ind.direction is not Direction.UNDEFINED and _matches(swapped, pub.value):
        formula_hits[Formula.TIPO_I.value].append(ind.code)
        return finding(Severity.ERROR, "sentido_invertido",
                       f"{ind.code} es {ind.direction.label.lower()} pero {pub.source} lo calcula como {opposite.label.lower()}: "
                       f"publica {number(pub.value)}, cuando el Avance Tipo I es {number(computed, 1)}.", correcto=computed)
    tipo_ii, _ = progress_of(target, actual, ind.direction, replace(rules, formula=Formula.TIPO_II), baseline=base)
    if _matches(tipo_ii, pub.value):
        formula_hits[Formula.TIPO_II.value].append(ind.code)
        return finding(Severity.WARNING, "aplica_tipo_ii", f"{ind.code}: {pub.source} publica {number(pub.value)}, que corresponde al Avance Tipo II; el Tipo I es {number(computed, 1)}.")
    return finding(Severity.ERROR, "no_reproducible",
                   f"{ind.code}: el avance publicado {number(pub.value)} ({pub.source}) no se reproduce con los valores: da {number(computed, 2)}.")


def _check_aggregates(plan: Plan, rules: RuleSet, ed: Edition) -> list[Finding]:
    out: list[Finding] = []
    indicator_codes = {i.code for i in plan.indicators}
    wanted = [p for p in ed.published if p.code not in indicator_codes]
    cache = {}
    for pub in wanted:
        key = (pub.year, pub.period)
        if key not in cache:
            cache[key] = evaluate(plan, ed.series.get(pub.period, {}), pub.year, rules, pub.period)
        computed = cache[key].row(pub.code).progress
        if not _matches(computed, pub.value):
            shown = number(computed, 2)
            out.append(Finding(Severity.ERROR, "agregado_no_reproducible", pub.code, ed.code, pub.year,
                               f"{pub.code}: {pub.source} publica {number(pub.value)}, pero el promedio de sus indicadores es {shown}.",
                               {"publicado": pub.value, "calculado": computed}))
    return out


def _contradictions(by_key, ed: Edition) -> list[Finding]:
    out = []
    for (code, year, _), pubs in by_key.items():
        first = pubs[0]
        for other in pubs[1:]:
            if not _matches(other.value, first.value) and not _matches(first.value, other.value):
                out.append(Finding(Severity.ERROR, "narrativa_contradice_tabla", code, ed.code, year,
                                   f"{code}: {first.source} publica {number(first.value)} y {other.source} publica {number(other.value)} para el mismo avance.",
                                   {first.source: first.value, other.source: other.value}))
    return out


_STATED = {"actual_stated": "el valor obtenido", "numerator": "el numerador", "denominator": "el denominador"}


def _stated_contradictions(ed: Edition) -> list[Finding]:
    """Places of the same document that state different figures for the same thing (1,309 vs 1,328 attended)."""
    groups: dict[tuple, list[Stated]] = defaultdict(list)
    for st in ed.stated:
        groups[(st.code, st.year, st.period, st.kind)].append(st)
    parts: dict[tuple, list[str]] = defaultdict(list)
    figures: dict[tuple, dict] = defaultdict(dict)
    for (code, year, _, kind), items in groups.items():
        first = items[0].value
        if all(_matches(st.value, first) and _matches(first, st.value) for st in items):
            continue
        parts[(code, year)].append(f"{_STATED[kind]}: " + "; ".join(f"{st.source} dice {number(st.value)}" for st in items))
        figures[(code, year)].update({f"{kind} {st.source}": st.value for st in items})
    return [Finding(Severity.WARNING, "narrativa_contradice_narrativa", code, ed.code, year,
                    f"{code}: el texto da cifras distintas para la misma medición de {year}; " + "; ".join(texts) + ".",
                    figures[(code, year)])
            for (code, year), texts in parts.items()]


def _rates(indicators, ed: Edition) -> list[Finding]:
    """A printed rate that its own numerator and denominator (same place) do not give: 5.79 vs 1,126 / 196,547."""
    at: dict[tuple, dict[str, float]] = defaultdict(dict)
    for st in ed.stated:
        at[(st.code, st.year, st.period, st.source)][st.kind] = st.value
    out = []
    for (code, year, _, source), got in at.items():
        if not {"numerator", "denominator", "actual_stated"} <= got.keys() or not got["denominator"]:
            continue
        ind = indicators.get(code)
        scale = ind.scale if ind and ind.scale else 100.0
        computed = got["numerator"] / got["denominator"] * scale
        if not _matches(computed, got["actual_stated"]):
            out.append(Finding(Severity.WARNING, "tasa_no_reproducible", code, ed.code, year,
                               f"{code}: {source} imprime {number(got['actual_stated'])}, pero sus propias cifras dan "
                               f"{number(got['numerator'])} / {number(got['denominator'])}"
                               f"{f' × {number(scale)}' if scale != 1 else ''} = {number(computed, 2)}.",
                               {"impreso": got["actual_stated"], "calculado": computed}))
    return out


def number(value: float | None, decimals: int | None = None) -> str:
    """A figure in the documents' style (thousands comma, decimal point), as the source printed it."""
    if value is None:
        return "ND"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1])
    return f"{value:,.{decimals}f}"


def inferred_direction(series: Series) -> Direction | None:
    """Direction implied by the expected values (rising, falling); None when flat or too short."""
    return ficha.inferred_direction({y: o.value for y, o in series.targets.items()})


def _directions(plan: Plan, ed: Edition) -> list[Finding]:
    out = []
    for ind in plan.indicators:
        s = ed.series.get("anual", {}).get(ind.code)
        implied = inferred_direction(s) if s else None
        if implied and ind.direction is not Direction.UNDEFINED and implied is not ind.direction:
            out.append(Finding(Severity.WARNING, "sentido_vs_metas", ind.code, ed.code, None,
                               f"{ind.code} se declara {ind.direction.label.lower()}, pero sus logros esperados van en sentido {implied.label.lower()}.",
                               {"declarado": ind.direction.value, "metas": implied.value}))
    return out


def _outliers(plan: Plan, rules: RuleSet, ed: Edition) -> list[Finding]:
    years = sorted({y for s in ed.series.get("anual", {}).values() for y in s.actuals})
    if not years:
        return []
    ev = evaluate(plan, ed.series.get("anual", {}), years[-1], rules)
    return [
        Finding(Severity.WARNING, "avance_atipico", r.code, ed.code, years[-1],
                f"{r.code}: avance de {number(r.progress, 1)}% (esperado {number(r.target)}, obtenido {number(r.actual)}); revise si el logro esperado o el valor obtenido están bien registrados.",
                {"avance": r.progress})
        for r in ev.rows
        if r.indicator and r.progress is not None and r.progress > OUTLIER
    ]
