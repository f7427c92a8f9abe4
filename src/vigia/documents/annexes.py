"""Parts every document shares: the cover, credits and contents, the values as their sources print
them, band-count and matrix tables, the methodology note, the signature block and the colophon."""

from __future__ import annotations

from vigia.methodology import INDEX_CODE, Row
from vigia.methodology.bands import ORDER
from vigia.methodology.model import Direction
from vigia.methodology.progress import Reason
from vigia.methodology.rules import Formula
from vigia.presentation import matrix as presenters
from vigia.presentation import numbers
from vigia.presentation.numbers import number as figure_number
from vigia.presentation.numbers import observation as figure

from .common import LEVEL_NAMES, join_es, long_date, progress_cell
from .model import Bullets, Cell, Contents, Heading, Meta, PageBreak, Paragraph, Signature, Signatures, Table
from .source import Source


def meta(src: Source, kind: str, title: str, subtitle: str, cover_lines=()) -> Meta:
    spec, signoff = src.spec, src.signoff
    return Meta(
        kind=kind, title=title, subtitle=subtitle, plan_code=spec.code, plan_name=spec.name,
        entity=spec.entity_name or spec.entity, year=src.year, period=src.period, period_label=src.period_label,
        vintage=src.vintage, vintage_name=src.vintage_spec.name, cutoff=src.cutoff_label, document_date=src.document_date,
        dated=src.dated,
        checksum=src.checksum, data_version=src.data_version, preliminary=src.preliminary, ruleset=src.rules.title,
        cover_lines=tuple(cover_lines), number=src.document_number if kind != "consistencia" else (src.number or ""),
        author=str(signoff.get("author") or ""),
        credits=tuple((str(c.get("office", "")), tuple(str(p) for p in c.get("people") or ())) for c in signoff.get("credits") or ()),
        signatures=tuple(Signature(str(s.get("role", "")), str(s.get("office", "")), str(s.get("name") or ""), str(s.get("position") or ""))
                         for s in signoff.get("signatures") or ()),
    )


def front_matter(doc, contents: bool = True) -> list:
    """Cover (title, plan, entity, number, date, status), credits and the table of contents (``contents``)."""
    m = doc.meta
    blocks: list = [Paragraph(m.title, "title"), Paragraph(m.subtitle, "subtitle")]
    blocks += [Paragraph(f"{label}: {value}", "lead") for label, value in m.cover_lines]
    if m.number:
        blocks.append(Paragraph(m.number, "lead"))
    blocks.append(Paragraph(f"Periodo evaluado: {m.period_label}. Datos con corte al {m.cutoff}."))
    if m.dated:
        blocks.append(Paragraph(f"{m.entity}, {long_date(m.document_date)}."))
    if m.preliminary:
        blocks.append(Paragraph("PRELIMINAR: incluye datos aún no aprobados; no publicar.", "lead"))
    if not contents:
        return blocks
    if m.credits:
        blocks.append(Heading("Elaboración del documento", 2, outline=False))
        for office, people in m.credits:
            blocks.append(Paragraph(f"{office}:", "lead"))
            blocks += [Paragraph(p) for p in people]
    return blocks + [PageBreak(), Contents(), PageBreak()]


def signatures(doc) -> list:
    """The signature block (elaborado, revisado, aprobado) closing the body, before the annexes."""
    return [Heading("Firmas", 2, outline=False), Signatures()] if doc.meta.signatures else []


def colophon(doc) -> Paragraph:
    """The last line, in small print: it ties the figures to the exact data."""
    return Paragraph(doc.meta.colophon, "small")


def level_label(plan, level: str) -> str:
    try:
        return f"{level}: {plan.level(level).name}"
    except StopIteration:
        return f"{level}: {LEVEL_NAMES.get(level, level)}"


def reported_levels(src: Source) -> list[str]:
    """The levels the official report counts: the indicator levels, the top level, and any other level whose
    avance the edition publishes (003: OP, IOP, ISS; 002: OEI and AEI too). A level the edition never
    averages (lineamientos, services that mirror their one indicator) gets no count of its own."""
    element_level = {e.code: e.level for e in src.ds.plan.elements}
    published = {element_level[r.indicator] for r in src.ds.published(src.vintage) if r.indicator in element_level}
    published.add(src.ds.plan.levels[0].code)
    levels = {lv.code for lv in src.ds.plan.levels}
    return [lv for lv in src.ev.band_counts if lv not in levels or lv in published]


def band_counts_table(src: Source, caption: str) -> Table:
    header = [[Cell("Nivel"), *(Cell(f"{b.range}", align="center", band=None) for b in ORDER), Cell("Total", align="center")]]
    rows = []
    for level in reported_levels(src):
        counts = src.ev.band_counts[level]
        total = sum(counts.values())
        rows.append([Cell(level_label(src.ds.plan, level)),
                     *(Cell(str(counts[b]), align="center", band=b if counts[b] else None) for b in ORDER),
                     Cell(str(total), align="center")])
    return Table(caption, header, rows, [3.4, 1.2, 1.2, 1.2, 1.0, 1.0], size="small", key="semaforos",
                 source=f"{src.vintage_spec.name}; avances según la nota metodológica.")


def band_legend(src: Source) -> Bullets:
    r = src.rules
    return Bullets([
        f"Verde: avance mayor o igual a {r.green:.0f}%.",
        f"Amarillo: avance mayor o igual a {r.yellow:.0f}% y menor a {r.green:.0f}%.",
        f"Rojo: avance menor a {r.yellow:.0f}%.",
        "Gris (ND): sin avance, porque falta el logro esperado o el valor obtenido, o el indicador no fue programado.",
    ])


def matrix_table(src: Source, caption: str, avance_levels: set[str] | None = None) -> Table:
    """The whole plan as the 003 matrix: hierarchy, baseline, expected and obtained per year, avance.

    Element rows print their avance only for ``avance_levels`` (by default the top level, as 003 does)."""
    avance_levels = avance_levels or {src.ds.plan.levels[0].code}
    years = src.years
    rows_m = presenters.matrix(src.ds, src.ev, years, presenters.Filters(), src.vintage)
    rounded = rounded_inputs(src)
    n = len(years)
    header = [
        [Cell("Código"), Cell("Denominación"), Cell("Entidad"), Cell("Tipo"), Cell("Sentido"), Cell("Acum."),
         Cell("Línea de base", align="center", span=2), Cell("Logros esperados", align="center", span=n),
         Cell("Valores obtenidos", align="center", span=n), Cell(f"Avance {src.year} (%)", align="center")],
        [Cell(""), Cell(""), Cell(""), Cell(""), Cell(""), Cell(""), Cell("Año", align="center"), Cell("Valor", align="center"),
         *(Cell(str(y), align="center") for y in years), *(Cell(str(y), align="center") for y in years), Cell("")],
    ]
    body, groups = [], set()
    measured = _measured_levels(src)
    for r in rows_m:
        if not r.is_indicator and r.level not in measured:
            continue  # operational activities and investments: analysed in the text, they carry no indicator
        if r.is_indicator:
            body.append([
                Cell(r.code), Cell(r.name), Cell(r.entity or ""), Cell(r.type or ""),
                Cell({"Ascendente": "Asc.", "Descendente": "Desc."}.get(r.direction, r.direction)),
                Cell("Sí" if r.accumulated == "Acumulado" else "No"),
                Cell(str(r.baseline_year or ""), align="center"), Cell(figure(r.baseline, r.unit, r.decimals), align="right"),
                *(Cell(figure(v, r.unit, r.decimals), align="right") for v in r.targets),
                *(Cell(figure(v, r.unit, r.decimals) + ("*" if y == src.year and r.code in rounded else ""), align="right")
                  for y, v in zip(years, r.actuals)),
                progress_cell(src.rows[r.code].progress, r.band, src.rules),
            ])
        else:
            groups.add(len(body))
            show = r.level in avance_levels
            body.append([Cell(r.code, bold=True), Cell(r.name, bold=True, span=7 + 2 * n),
                         progress_cell(src.rows[r.code].progress, r.band, src.rules, measured=r.measured) if show else Cell("")])
    if src.rules.index:
        idx = src.rows["INDEX"]
        groups.add(len(body))
        body.append([Cell("Índice", bold=True), Cell(idx.name, bold=True, span=7 + 2 * n), progress_cell(idx.progress, idx.band, src.rules)])
    widths = [2.3, 5.0, 1.5, 1.5, 1.35, 1.1, 0.9, 1.3, *([1.3] * (2 * n)), 1.4]
    notes = absent_note(body) + rounded_note(src, rounded)
    return Table(caption, header, body, widths, size="tiny", group_rows=groups, landscape=True, key="matriz", notes=notes,
                 source=f"{src.vintage_spec.name}; avances según la nota metodológica ({src.rules.title}).")


def _measured_levels(src: Source) -> set[str]:
    """Levels with indicators of their own or below them: the rows a monitoring matrix lists (003 lists every
    lineamiento, even one without a service yet; a PEI matrix never lists the POI's activities)."""
    parents = {e.code: e.parent for e in src.ds.plan.elements}
    level = {e.code: e.level for e in src.ds.plan.elements}
    out: set[str] = set()
    for ind in src.ds.plan.indicators:
        code = ind.element
        while code:
            out.add(level[code])
            code = parents.get(code)
    return out


def rounded_inputs(src: Source) -> dict[str, float]:
    """Indicators whose published value is rounded while the avance rests on the unrounded one (code → printed)."""
    return {r.indicator: r.value for r in src.ds.published(src.vintage, "actual_printed")
            if r.year == src.year and r.period == src.period and r.value is not None}


def target_text(src: Source, row) -> str:
    """The expected value the avance compares with; when there is none, ND (the source says so) or — (it says nothing)."""
    spec = src.ds.indicator_spec(row.code)
    if row.target is not None:
        return figure_number(row.target, spec.unit, spec.decimals)
    s = src.series.get(row.code)
    return figure(s.target(src.year) if s else None)


def actual_text(src: Source, row) -> str:
    """The obtained value of the year as its source prints it, marked * when the avance rests on the unrounded value;
    when there is none, ND or —."""
    spec = src.ds.indicator_spec(row.code)
    printed = rounded_inputs(src).get(row.code)
    if printed is not None:
        return figure_number(printed, spec.unit, spec.decimals) + "*"
    if row.actual is not None:
        return figure_number(row.actual, spec.unit, spec.decimals)
    s = src.series.get(row.code)
    return figure(s.actual(src.year) if s else None)


def absent_note(rows: list[list[Cell]]) -> list[str]:
    """The note under a table that prints — somewhere."""
    if any(c.text == numbers.ABSENT for row in rows for c in row):
        return [f"{numbers.ABSENT}: {numbers.ABSENT_LABEL} (el documento fuente no da la cifra). ND: no disponible, según la fuente."]
    return []


def rounded_note(src: Source, codes) -> list[str]:
    """The note under a table that prints a value marked * (``codes``: the indicators the table shows)."""
    marked = sorted(set(rounded_inputs(src)) & set(codes))
    if not marked:
        return []
    return [f"* {join_es(marked)}: el valor obtenido se imprime como lo publica la fuente (redondeado); el avance "
            "publicado se obtiene con el valor sin redondear."]


# Methodology note ------------------------------------------------------------------------------


def _usage(src: Source) -> dict[str, list[str]]:
    """Which indicators (or elements) each rule decided in this evaluation."""
    use: dict[str, list[str]] = {}
    tipo_ii = src.rules.formula is Formula.TIPO_II
    reported = set(reported_levels(src))
    for r in src.ev.rows:
        ind = r.indicator
        if ind is None:
            if r.code == INDEX_CODE:
                use.setdefault("INDEX_MEAN", []).append(r.name.lower())
            elif r.measured and r.progress is not None and r.level in reported:
                use.setdefault("MEAN_OWN_THEN_CHILDREN", []).append(r.code)
            continue
        computed = r.progress is not None and r.reason in (Reason.COMPUTED, Reason.CAPPED)
        if computed and tipo_ii:
            use.setdefault("TIPO_II", []).append(r.code)
        elif computed and ind.direction is Direction.ASCENDING:
            use.setdefault("TIPO_I_ASC", []).append(r.code)
        elif computed and ind.direction is Direction.DESCENDING:
            use.setdefault("TIPO_I_DESC", []).append(r.code)
        if ind.direction is Direction.UNDEFINED:
            use.setdefault("NO_DEFINIDO", []).append(r.code)
        if r.progress is not None and r.progress > 100 and src.rules.cap is None:
            use.setdefault("NO_CAP", []).append(r.code)
        key = {Reason.CAPPED: "CAP_100", Reason.ZERO_TARGET_MET: "ZERO_MET", Reason.NOT_PROGRAMMED: "ZERO_NOT_PROGRAMMED",
               Reason.ZERO_ACTUAL_BEST: "ZERO_ACTUAL_DESC", Reason.MISSING_TARGET: "MISSING_ND",
               Reason.MISSING_ACTUAL: "MISSING_ND"}.get(r.reason)
        if key:
            use.setdefault(key, []).append(r.code)
        if ind.additive:
            use.setdefault("ADDITIVE", []).append(r.code)
    return use


def methodology_note(src: Source, number_label: str, drafted: list[str] = ()) -> list:
    rules = src.rules
    use = _usage(src)
    blocks: list = [
        Heading(f"{number_label} Nota metodológica", 2),
        Paragraph(
            f"Las cifras de este documento provienen de una única evaluación de «{src.spec.name}» para el periodo "
            f"{src.period_label}, con las reglas «{rules.title}», sobre los valores de la edición «{src.vintage_spec.name}». "
            f"Los avances se calculan con los valores sin redondear y se publican con "
            f"{rules.decimals} {'decimal' if rules.decimals == 1 else 'decimales'}; el semáforo se asigna al avance "
            "redondeado tal como se publica. Cada valor se imprime como lo publica su fuente."),
    ]
    if drafted:
        blocks.append(Paragraph(
            "Los análisis de " + join_es(drafted) + " se redactaron a partir de los valores de este documento, a falta "
            "de un análisis registrado por la entidad responsable; solo describen cifras, sin atribuir causas."))
    blocks.append(Paragraph("Reglas aplicadas (en el orden en que se aplican):"))
    items = []
    for rule in rules.rules:
        applied = use.get(rule.code, [])
        if rule.code in ("BANDS", "FULL_PRECISION"):
            where = "Se aplica a todas las cifras del documento."
        elif applied:
            where = f"En este documento decide el avance de: {join_es(applied)}."
        else:
            where = f"No afecta a ningún indicador {src.period_phrase}."
        items.append(f"{rule.text} {where}")
    blocks.append(Bullets(items, ordered=True))
    return blocks


def indicator_rows(src: Source, element: str) -> list[Row]:
    return [src.rows[i.code] for i in src.ds.plan.indicators_of(element)]


def descendants(src: Source, code: str) -> list[str]:
    out, stack = [], [code]
    children: dict[str, list[str]] = {}
    for e in src.ds.plan.elements:
        children.setdefault(e.parent, []).append(e.code)
    while stack:
        c = stack.pop(0)
        for child in children.get(c, []):
            out.append(child)
            stack.append(child)
    return out


def band_row_cells(src: Source, row: Row) -> Cell:
    note = "no programado" if row.reason is Reason.NOT_PROGRAMMED else ""
    return progress_cell(row.progress, row.band, src.rules, note=note)
