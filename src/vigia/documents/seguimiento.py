"""Reporte de seguimiento of a national policy (structure of seeds 000 and 003).

Cover, credits and contents; 1. summary (index, avance per objective, band counts of the levels
003 counts); 2. one section per objective with its indicator table, charts and descriptive
analysis; 3. services progress per objective; 4. alerts (a)-(d) with their rules; 5. alternatives
to improve compliance; signatures; annexes: the full matrix and the methodology note.
"""

from __future__ import annotations

from vigia.methodology import Row
from vigia.methodology import alerts as alert_rules
from vigia.methodology.bands import Band
from vigia.presentation.numbers import observation

from . import narrative, references
from .annexes import (absent_note, actual_text, band_counts_table, band_legend, band_row_cells, colophon, descendants, front_matter,
                      indicator_rows, matrix_table, meta, methodology_note, rounded_note, signatures, target_text)
from .common import band_word, join_es, pct, plural
from .figures import evolution_figure, objectives_figure
from .model import Bullets, Cell, Document, Heading, PageBreak, Paragraph, Table
from .source import Source
from .stored import StoredTexts

PLURAL = {"OP": "objetivos prioritarios", "OEI": "objetivos estratégicos institucionales", "LN": "lineamientos",
          "SS": "servicios", "AEI": "acciones estratégicas institucionales"}


def _plural(src: Source, level: str) -> str:
    return PLURAL.get(level, level)


def _source_of(spec) -> str:
    parts = [spec.entity or ""]
    if spec.data_source:
        parts.append(spec.data_source)
    return " – ".join(p for p in parts if p)


def indicator_table(src: Source, objective: Row, rows: list[Row]) -> Table:
    y = src.period_title
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
            Cell(r.code), Cell(r.name), Cell(_source_of(spec)),
            Cell(str(spec.baseline_year or "—"), align="center"),
            Cell(observation(s.baseline if s else None, unit, spec.decimals), align="right"),
            Cell(target_text(src, r), align="right"), Cell(actual_text(src, r), align="right"),
            band_row_cells(src, r),
        ])
    return Table(f"Indicadores del {objective.code}: {objective.name}", header, body, [1.7, 5.0, 2.2, 0.9, 1.2, 1.35, 1.35, 1.5],
                 size="small", source=f"{src.vintage_spec.name}.", notes=absent_note(body) + rounded_note(src, [r.code for r in rows]))


def services_table(src: Source, objective: Row, rows: list[Row]) -> Table:
    elements = {e.code: e for e in src.spec.elements}
    body = []
    for r in rows:
        spec = src.ds.indicator_spec(r.code)
        body.append([
            Cell(r.code), Cell(elements[spec.element].name), Cell(r.name), Cell(spec.entity or ""), Cell(spec.type or ""),
            Cell(target_text(src, r), align="right"), Cell(actual_text(src, r), align="right"),
            band_row_cells(src, r),
        ])
    header = [[Cell("Código"), Cell("Servicio"), Cell("Indicador"), Cell("Entidad"), Cell("Tipo"),
               Cell("Logro esperado", align="center"), Cell("Valor obtenido", align="center"), Cell("Avance (%)", align="center")],
              [Cell(""), Cell(""), Cell(""), Cell(""), Cell(""), Cell(src.period_title, align="center"),
               Cell(src.period_title, align="center"), Cell("")]]
    return Table(f"Avance de los servicios del {objective.code}", header, body, [2.2, 3.1, 3.9, 1.45, 1.75, 1.4, 1.4, 1.35],
                 size="small", source=f"{src.vintage_spec.name}.", notes=absent_note(body) + rounded_note(src, [r.code for r in rows]))


def build(src: Source) -> Document:
    spec, ev, rules = src.spec, src.ev, src.rules
    top = src.ds.plan.levels[0].code
    objectives = ev.objectives
    period_title, when = src.period_title, src.period_phrase
    title = f"Reporte {'anual ' if not src.semester else ''}de seguimiento {period_title}"
    lines = [("Ministerio rector o conductor" if spec.kind == "policy" else "Entidad", spec.entity_name or spec.entity)]
    if src.static_text("problem"):
        lines.append(("Problema público", src.static_text("problem")))
    doc = Document(meta(src, "seguimiento", title, spec.name.upper(), lines))
    doc.add(*front_matter(doc))
    drafted: list[str] = []
    stored = StoredTexts(src, doc).add

    # 1. Summary -------------------------------------------------------------------------------
    doc.add(Heading("1. Resumen", 1))
    stored(src.edition_text("summary") or src.edition_text("general_result"))
    parts = []
    for band in (Band.GREEN, Band.YELLOW, Band.RED):
        rows = [o for o in objectives if o.band is band]
        if rows:
            listed = join_es([f"{o.code} {pct(o.progress, rules, sign=True)}" for o in rows])
            parts.append(f"{plural(len(rows), 'está', 'están')} en {band_word(band)} ({listed})")
    nd = [o for o in objectives if o.progress is None]
    if nd:
        parts.append(f"{len(nd)} sin avance ({join_es([o.code for o in nd])})")
    summary = []
    if rules.index:
        idx = src.rows["INDEX"]
        summary.append(
            f"{when[:1].upper()}{when[1:]}, el índice de gestión de la {spec.name} es {pct(idx.progress, rules)} "
            f"(semáforo {band_word(idx.band)}): el promedio simple del avance de sus {len(objectives)} {_plural(src, top)}.")
    summary.append(f"De los {len(objectives)} {_plural(src, top)}, {join_es(parts)}.")
    top_inds = [r for o in objectives for r in indicator_rows(src, o.code)]
    service_inds = [src.rows[i.code] for i in src.ds.plan.indicators if i.code not in {r.code for r in top_inds}]
    with_top = sum(r.progress is not None for r in top_inds)
    summary.append(
        f"De los {len(top_inds)} indicadores de {_plural(src, top)}, {with_top} {'tiene' if with_top == 1 else 'tienen'} avance"
        f" y {len(top_inds) - with_top} no (ND); de los {len(service_inds)} indicadores de servicios, "
        f"{sum(r.progress is not None for r in service_inds)} tienen avance.")
    doc.add(Paragraph(" ".join(summary)))
    obj_rows = [[Cell(o.code), Cell(o.name), band_row_cells(src, o)] for o in objectives]
    groups = set()
    if rules.index:
        idx = src.rows["INDEX"]
        groups.add(len(obj_rows))
        obj_rows.append([Cell("Índice", bold=True), Cell(idx.name, bold=True), band_row_cells(src, idx)])
    doc.add(Table(f"Avance de los {_plural(src, top)}, {period_title}", [[Cell("Código"), Cell("Objetivo"), Cell("Avance (%)", align="center")]],
                  obj_rows, [1.4, 10.0, 1.8], group_rows=groups, key="objetivos",
                  source=f"{src.vintage_spec.name}; avances según la nota metodológica."))
    doc.add(objectives_figure(src, objectives, f"Avance de los {_plural(src, top)}, {period_title}"))
    doc.add(Paragraph("Semáforo:"), band_legend(src))
    doc.add(band_counts_table(src, f"Número de objetivos e indicadores por semáforo y nivel, {period_title}"))

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
        if not stored(src.item_text(o.code, "analysis") or src.edition_text("analysis", o.code)):
            first, *sentences = narrative.objective_paragraphs(src, o, inds)
            doc.add(Paragraph(first))
            for r, sentence in zip(inds, sentences):
                written = src.item_text(r.code, "analysis")  # an indicator's analysis from the review workflow
                if written:
                    doc.add(Paragraph(f"{r.code}:", "lead"))
                    stored(written)
                else:
                    doc.add(Paragraph(sentence))
            drafted.append(o.code)
        interventions = src.edition_text("interventions", o.code)
        if interventions:
            doc.add(Paragraph("Situación de intervenciones y uso de recursos:", "lead"))
            stored(interventions)

    # 3. Services ------------------------------------------------------------------------------
    doc.add(Heading("3. Avance de los servicios" if spec.kind == "policy" else "3. Avance de las acciones", 1))
    stored(src.edition_text("services_general"))
    for k, o in enumerate(objectives, 1):
        below = set(descendants(src, o.code))
        services = [src.rows[i.code] for i in src.ds.plan.indicators if i.element in below]
        doc.add(Heading(f"3.{k}. Servicios del {o.code}", 2))
        if services:
            doc.add(services_table(src, o, services))
        if not stored(src.item_text(o.code, "services") or src.edition_text("services", o.code)):
            doc.add(Paragraph(narrative.services_paragraph(src, o, services)))
            drafted.append(f"los servicios del {o.code}")

    # 4. Alerts --------------------------------------------------------------------------------
    found = alert_rules.alerts(ev, src.series)
    doc.add(Heading("4. Alertas identificadas", 1))
    doc.add(Paragraph(
        "Las alertas aplican los criterios del reporte de seguimiento: (a) indicadores de objetivos que no se han podido "
        "medir; (b) indicadores de servicios no reportados o sin logro esperado; (c) servicios cuyo valor obtenido "
        "disminuyó respecto del año anterior sin haber aumentado el año previo (una disminución sostenida, no el retroceso "
        f"de una mejora), cuyo avance no alcanza el {rules.green:.0f}% y que no figuran en la alerta (d); (d) los cuatro "
        f"indicadores con menor avance, por debajo del {rules.yellow:.0f}%.", "note"))
    if not found:
        doc.add(Paragraph(f"Los datos del periodo no generan alertas ({when})."))
    for a in found:
        doc.add(Heading(f"{a.kind}. {a.title}", 3))
        doc.add(Bullets([_alert_item(src, a.kind, item) for item in a.items]))

    # 5. Alternatives --------------------------------------------------------------------------
    doc.add(Heading("5. Alternativas para mejorar el cumplimiento", 1))
    per_objective = [(o, src.edition_text("alternatives", o.code)) for o in objectives]
    if src.edition_text("alternatives") or any(t for _, t in per_objective):
        stored(src.edition_text("alternatives"))
        for o, t in per_objective:
            if t:
                doc.add(Paragraph(f"{o.code}:", "lead"))
                stored(t)
    elif found:
        doc.add(Paragraph("A partir de las alertas identificadas se proponen las siguientes alternativas, una por alerta, "
                          "con los indicadores que la originan:"))
        doc.add(Bullets(narrative.alternatives_from_alerts(found, src.year)))
        drafted.append("las alternativas para mejorar el cumplimiento")
    else:
        doc.add(Paragraph("No se han registrado alternativas y los datos no generan alertas."))

    doc.add(*signatures(doc))

    # Annexes ----------------------------------------------------------------------------------
    doc.add(PageBreak(landscape=True))
    doc.add(Heading("Anexos", 1))
    doc.add(Heading(f"Anexo 1. Matriz de seguimiento, {period_title}", 2))
    doc.add(matrix_table(src, f"Matriz de seguimiento de la {spec.name}, {src.years[0]}–{src.year}"))
    doc.add(PageBreak(landscape=False))
    doc.add(*methodology_note(src, "Anexo 2.", drafted))
    doc.add(colophon(doc))
    doc.number()
    doc.omitted = references.resolve(doc)
    return doc


def _alert_item(src: Source, kind: str, item) -> str:
    detail = narrative.alert_detail(src, kind, item)
    return f"{item.code} «{item.name}»" + (f": {detail}" if detail else "")
