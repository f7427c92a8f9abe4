"""Factual paragraphs written from the data when no analysis was stored.

They only restate figures of the evaluation (values, avances, bands, changes against the
previous year, the reason a value is missing): no cause, no judgement, nothing invented. The
methodology note names the elements whose analysis was drafted this way.
"""

from __future__ import annotations

from vigia.methodology import Row
from vigia.methodology.alerts import Alert
from vigia.methodology.bands import ORDER, Band
from vigia.methodology.model import Direction

from .common import band_word, join_es, number, pct, plural, reason_note
from .source import Source



def value(src: Source, code: str, v: float | None) -> str:
    """An indicator's value with the decimals of its ficha, as its source prints it."""
    spec = src.ds.indicator_spec(code)
    return number(v, spec.unit, spec.decimals)


def _missing_reason(src: Source, row: Row) -> str:
    s = src.series.get(row.code)
    if s:
        for obs in (s.actual(src.year), s.target(src.year)):
            if obs.missing and obs.note:
                return reason_note(obs.note)
    return row.reason.text


def change_sentence(src: Source, row: Row) -> str:
    """How the obtained value moved against the previous year, and whether that is the expected way."""
    s = src.series.get(row.code)
    ind = row.indicator
    if not s or row.actual is None or src.semester:
        return ""
    previous = s.actual(src.year - 1).value
    if previous is None:
        return ""
    unit = ind.unit
    before = value(src, row.code, previous)
    diff = row.actual - previous
    if abs(diff) < 1e-9:
        return f"El valor obtenido es igual al de {src.year - 1} ({before})."
    size = f"{abs(diff):,.2f} puntos porcentuales" if unit == "percentage" else value(src, row.code, abs(diff))
    verb = "aumentó" if diff > 0 else "disminuyó"
    if ind.direction is Direction.UNDEFINED:
        sense = ""
    else:
        good = (diff > 0) == (ind.direction is Direction.ASCENDING)
        sense = ", en el sentido esperado" if good else ", en sentido contrario al esperado"
    return f"Respecto de {src.year - 1} ({before}), el valor obtenido {verb} en {size}{sense}."


def indicator_sentence(src: Source, row: Row) -> str:
    ind, rules = row.indicator, src.rules
    head = f"El indicador {row.code} «{row.name}» (sentido {ind.direction.label.lower()})"
    if row.progress is None:
        target = f"logro esperado {value(src, row.code, row.target)}" if row.target is not None else "sin logro esperado"
        actual = f"valor obtenido {value(src, row.code, row.actual)}" if row.actual is not None else "sin valor obtenido"
        why = _missing_reason(src, row)
        why = f" {why.rstrip('.')}." if why and why not in (row.reason.text,) else ""
        return f"{head} no tiene avance {src.period_phrase} (ND): {target}, {actual}.{why}"
    text = (f"{head} tuvo {src.period_phrase} un logro esperado de {value(src, row.code, row.target)} y un valor obtenido "
            f"de {value(src, row.code, row.actual)}: avance de {pct(row.progress, rules, sign=True)} (semáforo {band_word(row.band)}).")
    more = change_sentence(src, row)
    return f"{text} {more}".strip()


def objective_paragraphs(src: Source, objective: Row, indicators: list[Row]) -> list[str]:
    rules = src.rules
    with_value = [r for r in indicators if r.progress is not None]
    when = src.period_phrase[:1].upper() + src.period_phrase[1:]
    if objective.progress is None:
        which = ("su único indicador no tiene" if len(indicators) == 1
                 else f"ninguno de sus {len(indicators)} indicadores tiene")
        first = f"{when}, el {objective.code} no tiene avance (ND): {which} logro esperado y valor obtenido."
    else:
        n, k = len(indicators), len(with_value)
        if k == 1:
            basis = "es el avance de su único indicador" if n == 1 else f"es el avance del único de sus {n} indicadores con dato"
        else:
            basis = f"el promedio simple de sus {n} indicadores" if k == n else f"el promedio simple de los {k} de sus {n} indicadores con datos"
        first = (f"{when}, el {objective.code} registró un avance de {pct(objective.progress, rules, sign=True)} "
                 f"(semáforo {band_word(objective.band)}): {basis}.")
    return [first, *(indicator_sentence(src, r) for r in indicators)]


def count_sentence(rows: list[Row], what_one: str, what_many: str) -> str:
    """"De los 36 indicadores…, 18 están en verde (≥ 95 %), 5 en amarillo…"."""
    counts = {b: sum(r.band is b for r in rows) for b in ORDER}
    parts = []
    for band in (Band.GREEN, Band.YELLOW, Band.RED):
        if counts[band]:
            parts.append(f"{counts[band]} en {band_word(band)} ({band.range})")
    if counts[Band.ND]:
        parts.append(f"{counts[Band.ND]} sin avance (ND)")
    return f"De {'el' if len(rows) == 1 else 'los'} {plural(len(rows), what_one, what_many)}, {join_es(parts)}." if rows else ""



def services_paragraph(src: Source, objective: Row, services: list[Row]) -> str:
    if not services:
        return f"El {objective.code} no tiene indicadores de servicios."
    text = count_sentence(services, f"indicador de servicio del {objective.code}", f"indicadores de servicios del {objective.code}")
    low = sorted((r for r in services if r.progress is not None and r.band is Band.RED), key=lambda r: r.progress)
    if low:
        text += " Menor avance: " + join_es([f"{r.code} ({pct(r.progress, src.rules, sign=True)})" for r in low[:3]]) + "."
    return text


def alert_detail(src: Source, kind: str, item) -> str:
    """What an alert says of one indicator: the reason it was not measured (a, b), its fall (c), its avance (d)."""
    if kind in "ab":
        return reason_note(item.detail)
    progress = src.rows[item.code].progress
    if kind == "c":
        f = item.figures
        return (f"{value(src, item.code, f['anterior'])} en {src.year - 1} y {value(src, item.code, f['actual'])} en "
                f"{src.year} (avance {pct(progress, src.rules)}).")
    return f"avance de {pct(progress, src.rules, sign=True)}."


ALTERNATIVES = {
    "a": "Definir con las entidades responsables la fuente de información, la metodología de cálculo y la línea de base de {codes}, de modo que cuenten con valor obtenido en el próximo reporte.",
    "b": "Coordinar con las entidades responsables el registro oportuno del logro esperado y del valor obtenido de {codes}.",
    "c": "Revisar con los responsables de {codes} las causas de la disminución del valor obtenido respecto de {previous} y las medidas para revertirla.",
    "d": "Priorizar el seguimiento y la asignación de recursos de los indicadores de menor avance: {codes}.",
}


def alternatives_from_alerts(alerts: list[Alert], year: int) -> list[str]:
    """One proposal per alert, naming the indicators it concerns: derived from the data, to be validated."""
    out = []
    for a in alerts:
        codes = join_es([i.code for i in a.items])
        out.append(f"{a.kind}) " + ALTERNATIVES[a.kind].format(codes=codes, previous=year - 1))
    return out
