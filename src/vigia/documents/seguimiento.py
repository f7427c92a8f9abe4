"""Reporte de seguimiento of a national policy (structure of seeds 000 and 003).

Cover and data cut-off; 1. summary (index, avance per objective, band counts per level); 2. one
section per objective with its indicator table, evolution charts and descriptive analysis;
3. services progress per objective; 4. alerts (a)-(d); 5. alternatives to improve compliance;
annexes: the full matrix, the methodology note and the consistency findings.
"""

from __future__ import annotations

from functools import partial

from vigia.methodology import Row
from vigia.methodology import alerts as alert_rules
from vigia.methodology.bands import Band

from . import charts, narrative
from .annexes import (band_counts_table, band_legend, band_row_cells, consistency_notes, cover_table, descendants,
                      findings_blocks, indicator_rows, matrix_table, meta, methodology_note)
from .common import band_word, join_es, number, pct, plural, reason_note, text_blocks
from .model import Bullets, Cell, Document, Figure, Heading, PageBreak, Paragraph, Table
from .source import Source

PLURAL = {"OP": "objetivos prioritarios", "OEI": "objetivos estratégicos institucionales", "LN": "lineamientos",
          "SS": "servicios", "AEI": "acciones estratégicas institucionales"}


def _plural(src: Source, level: str) -> str:
    return PLURAL.get(level, level)


def evolution_figure(src: Source, row: Row) -> Figure | None:
    """Expected vs obtained per year of one indicator, each year's band from the same rules and data."""
    s = src.series.get(row.code)
    if not s:
        return None
    years = [y for y in src.years if (s.target(y).value is not None or s.actual(y).value is not None)]
    if not years:
        return None
    years = [y for y in src.years if years[0] <= y <= src.year]
    spec = src.ds.indicator_spec(row.code)
    bands = [src.row_in(y, row.code).band for y in years]
    render = partial(
        charts.evolution,
        f"{row.code}: evolución del logro esperado y el valor obtenido",
        years,
        [s.target(y).value for y in years],
        [s.actual(y).value for y in years],
        bands,
        baseline=s.baseline.value,
        baseline_year=spec.baseline_year,
        percentage=spec.unit == "percentage",
    )
    return Figure(f"Evolución del indicador {row.code}: {row.name}", lambda fmts: render(fmt=tuple(fmts)),
                  source=f"{src.vintage_spec.name}; elaboración: Vigía.",
                  alt=f"Logro esperado y valor obtenido de {row.code} por año, de {years[0]} a {years[-1]}.")


def objectives_figure(src: Source, rows: list[Row], title: str, caption: str, clip: float | None = None) -> Figure:
    render = partial(charts.objectives, title, [r.code for r in rows], [r.progress for r in rows], [r.band for r in rows],
                     decimals=src.rules.decimals, clip=clip)
    return Figure(caption, lambda fmts: render(fmt=tuple(fmts)), source="Cálculo de Vigía con la misma evaluación de este documento.",
                  alt=caption)


def _source_of(spec) -> str:
    parts = [spec.entity or ""]
    if spec.data_source:
        parts.append(spec.data_source)
    return " – ".join(p for p in parts if p)


def indicator_table(src: Source, objective: Row, rows: list[Row]) -> Table:
    y = src.year
    header = [[Cell("Código"), Cell("Indicador"), Cell("Fuente"), Cell("Línea de base", align="center", span=2),
               Cell("Logro esperado", align="center"), Cell("Valor obtenido", align="center"), Cell("Avance (%)", align="center")],
              [Cell(""), Cell(""), Cell(""), Cell("Año", align="center"), Cell("Valor", align="center"),
               Cell(str(y), align="center"), Cell(str(y), align="center"), Cell("")]]
    body = []
    for r in rows:
        spec = src.ds.indicator_spec(r.code)
        s = src.series.get(r.code)
        unit = spec.unit
        body.append([
            Cell(r.code), Cell(r.name), Cell(_source_of(spec)), Cell(str(spec.baseline_year or "ND"), align="center"),
            Cell(number(s.baseline.value if s else None, unit), align="right"),
            Cell(number(r.target, unit), align="right"), Cell(number(r.actual, unit), align="right"),
            band_row_cells(src, r),
        ])
    return Table(f"Indicadores del {objective.code}: {objective.name}", header, body, [1.7, 5.0, 2.2, 0.9, 1.2, 1.35, 1.35, 1.5],
                 size="small", source=f"{src.vintage_spec.name}.")


def services_table(src: Source, objective: Row, rows: list[Row]) -> Table:
    elements = {e.code: e for e in src.spec.elements}
    body = []
    for r in rows:
        spec = src.ds.indicator_spec(r.code)
        body.append([
            Cell(r.code), Cell(elements[spec.element].name), Cell(r.name), Cell(spec.entity or ""), Cell(spec.type or ""),
            Cell(number(r.target, spec.unit), align="right"), Cell(number(r.actual, spec.unit), align="right"),
            band_row_cells(src, r),
        ])
    header = [[Cell("Código"), Cell("Servicio"), Cell("Indicador"), Cell("Entidad"), Cell("Tipo"),
               Cell("Logro esperado", align="center"), Cell("Valor obtenido", align="center"), Cell("Avance (%)", align="center")],
              [Cell(""), Cell(""), Cell(""), Cell(""), Cell(""), Cell(str(src.year), align="center"),
               Cell(str(src.year), align="center"), Cell("")]]
    return Table(f"Avance de los servicios del {objective.code}", header, body, [2.1, 3.2, 4.1, 1.3, 1.5, 1.45, 1.45, 1.4],
                 size="small", source=f"{src.vintage_spec.name}.")


def build(src: Source) -> Document:
    spec, ev, rules, year = src.spec, src.ev, src.rules, src.year
    top = src.ds.plan.levels[0].code
    objectives = ev.objectives
    period_title = f"primer semestre {year}" if src.period == "S1" else f"{year}"
    title = f"Reporte {'anual ' if src.period == 'anual' else ''}de seguimiento {period_title}"
    lines = []
    if spec.kind == "policy":
        lines.append(("Ministerio rector o conductor", spec.entity_name or spec.entity))
    else:
        lines.append(("Entidad", spec.entity_name or spec.entity))
    if src.static_text("problem"):
        lines.append(("Problema público", src.static_text("problem")))
    doc = Document(meta(src, "seguimiento", title, spec.name.upper(), lines))
    doc.add(Paragraph(title, "title"), Paragraph(spec.name.upper(), "subtitle"))
    for label, value in lines:
        doc.add(Paragraph(f"{label}: {value}", "lead"))
    doc.add(cover_table(doc.meta), PageBreak())

    # 1. Summary -------------------------------------------------------------------------------
    doc.add(Heading("1. Resumen", 1))
    doc.add(*text_blocks(src.edition_text("summary") or src.edition_text("general_result")))
    greens = [o for o in objectives if o.band is Band.GREEN]
    yellows = [o for o in objectives if o.band is Band.YELLOW]
    reds = [o for o in objectives if o.band is Band.RED]

    def listed(rows):
        return join_es([f"{o.code} {pct(o.progress, rules, sign=True)}" for o in rows])

    parts = []
    for rows, word in ((greens, "verde"), (yellows, "amarillo"), (reds, "rojo")):
        if rows:
            parts.append(f"{plural(len(rows), 'está', 'están')} en {word} ({listed(rows)})")
    nd = [o for o in objectives if o.progress is None]
    if nd:
        parts.append(f"{len(nd)} sin avance ({join_es([o.code for o in nd])})")
    summary = []
    if rules.index:
        idx = src.rows["INDEX"]
        summary.append(
            f"En {period_title}, el índice de gestión de la {spec.name} es {pct(idx.progress, rules)} "
            f"(semáforo {band_word(idx.band)}): el promedio simple del avance de sus {len(objectives)} {_plural(src, top)}.")
    summary.append(f"De los {len(objectives)} {_plural(src, top)}, {join_es(parts)}.")
    top_inds = [r for o in objectives for r in indicator_rows(src, o.code)]
    service_inds = [src.rows[i.code] for i in src.ds.plan.indicators if i.code not in {r.code for r in top_inds}]
    summary.append(
        f"De los {len(top_inds)} indicadores de {_plural(src, top)}, {sum(r.progress is not None for r in top_inds)} tienen avance"
        f" y {sum(r.progress is None for r in top_inds)} no lo tienen (ND); de los {len(service_inds)} indicadores de "
        f"{_plural(src, src.ds.plan.levels[-1].code) if spec.kind == 'policy' else 'las acciones'}, "
        f"{sum(r.progress is not None for r in service_inds)} tienen avance.")
    doc.add(Paragraph(" ".join(summary)))
    obj_rows = [[Cell(o.code), Cell(o.name), band_row_cells(src, o)] for o in objectives]
    groups = set()
    if rules.index:
        idx = src.rows["INDEX"]
        groups.add(len(obj_rows))
        obj_rows.append([Cell("Índice", bold=True), Cell(idx.name, bold=True), band_row_cells(src, idx)])
    doc.add(Table(f"Avance de los {_plural(src, top)} {period_title}", [[Cell("Código"), Cell("Objetivo"), Cell("Avance (%)", align="center")]],
                  obj_rows, [1.4, 10.0, 1.8], group_rows=groups, source="Cálculo de Vigía."))
    doc.add(objectives_figure(src, objectives, f"Avance de los {_plural(src, top)} {period_title}",
                              f"Avance de los {_plural(src, top)} {period_title}"))
    doc.add(Paragraph("Semáforo:"), band_legend(src))
    doc.add(band_counts_table(src, f"Número de elementos e indicadores por semáforo y nivel, {period_title}"))

    # 2. Objectives ----------------------------------------------------------------------------
    doc.add(Heading(f"2. Avance de los {_plural(src, top)}", 1))
    for k, o in enumerate(objectives, 1):
        inds = indicator_rows(src, o.code)
        avance = "ND" if o.progress is None else f"{pct(o.progress, rules, sign=True)}, {band_word(o.band)}"
        doc.add(Heading(f"2.{k}. {o.code} {o.name} (avance {avance})", 2))
        if inds:
            doc.add(indicator_table(src, o, inds))
            for r in inds:
                doc.add(evolution_figure(src, r))
        doc.add(Paragraph("Análisis descriptivo:", "lead"))
        stored = src.item_text(o.code, "analysis") or src.edition_text("analysis", o.code)
        if stored:
            doc.add(*text_blocks(stored))
            doc.add(*consistency_notes(src, stored, (o.code,)))
        else:
            first, *sentences = narrative.objective_paragraphs(src, o, inds)
            doc.add(Paragraph(first))
            for r, sentence in zip(inds, sentences):
                written = src.item_text(r.code, "analysis")  # an indicator's analysis from the review workflow
                doc.add(*((Paragraph(f"{r.code}:", "lead"), *text_blocks(written)) if written else (Paragraph(sentence),)))
            doc.add(Paragraph(narrative.GENERATED_NOTE, "note"))
        interventions = src.edition_text("interventions", o.code)
        if interventions:
            doc.add(Paragraph("Situación de intervenciones y uso de recursos:", "lead"), *text_blocks(interventions))

    # 3. Services ------------------------------------------------------------------------------
    doc.add(Heading("3. Avance de los servicios" if spec.kind == "policy" else "3. Avance de las acciones", 1))
    doc.add(*text_blocks(src.edition_text("services_general")))
    for k, o in enumerate(objectives, 1):
        below = set(descendants(src, o.code))
        services = [src.rows[i.code] for i in src.ds.plan.indicators if i.element in below]
        doc.add(Heading(f"3.{k}. Servicios del {o.code}", 2))
        if services:
            doc.add(services_table(src, o, services))
        stored = src.item_text(o.code, "services") or src.edition_text("services", o.code)
        if stored:
            doc.add(*text_blocks(stored))
        else:
            doc.add(Paragraph(narrative.services_paragraph(src, o, services)))

    # 4. Alerts --------------------------------------------------------------------------------
    found = alert_rules.alerts(ev, src.series)
    doc.add(Heading("4. Alertas identificadas", 1))
    if not found:
        doc.add(Paragraph(f"Los datos de {period_title} no generan alertas."))
    doc.add(Paragraph("Las alertas se generan a partir de los datos de este documento con los criterios del reporte de "
                      "seguimiento: (a) indicadores de objetivos que no se han podido medir; (b) indicadores de servicios no "
                      "reportados o sin logro esperado; (c) servicios cuyo valor obtenido empeoró respecto del año anterior; "
                      "(d) indicadores con el menor avance.", "note"))
    for a in found:
        doc.add(Heading(f"{a.kind}. {a.title}", 3))
        doc.add(Bullets([_alert_item(src, a.kind, item) for item in a.items]))

    # 5. Alternatives --------------------------------------------------------------------------
    doc.add(Heading("5. Alternativas para mejorar el cumplimiento", 1))
    stored = src.edition_text("alternatives")
    per_objective = [(o, src.edition_text("alternatives", o.code)) for o in objectives]
    if stored or any(t for _, t in per_objective):
        doc.add(*text_blocks(stored))
        for o, t in per_objective:
            if t:
                doc.add(Paragraph(f"{o.code}:", "lead"), *text_blocks(t))
    elif found:
        doc.add(Paragraph("No se han registrado alternativas para este periodo. Las siguientes se derivan de las alertas "
                          "identificadas (una por alerta, con los indicadores que la originan):", "note"))
        doc.add(Bullets(narrative.alternatives_from_alerts(found, year)))
    else:
        doc.add(Paragraph("No se han registrado alternativas y los datos no generan alertas."))

    # Annexes ----------------------------------------------------------------------------------
    doc.add(PageBreak(landscape=True))
    doc.add(Heading("Anexos", 1))
    doc.add(Heading(f"Anexo 1. Matriz de seguimiento {period_title}", 2))
    doc.add(matrix_table(src, f"Matriz de seguimiento de la {spec.name}, {src.years[0]}–{year}"))
    doc.add(PageBreak(landscape=False))
    doc.add(*methodology_note(src, "Anexo 2."))
    doc.add(*findings_blocks(src, "Anexo 3.", "Hallazgos de consistencia"))
    doc.number()
    return doc


def _alert_item(src: Source, kind: str, item) -> str:
    name = f"{item.code} «{item.name}»"
    f = item.figures
    if kind in "ab":
        return f"{name}: {reason_note(item.detail)}" if item.detail else name
    unit = src.ds.indicator_spec(item.code).unit
    if kind == "c":
        return (f"{name}: {number(f['anterior'], unit)} en {src.year - 1} y {number(f['actual'], unit)} en {src.year}.")
    return f"{name}: avance de {pct(src.rows[item.code].progress, src.rules, sign=True)}."
