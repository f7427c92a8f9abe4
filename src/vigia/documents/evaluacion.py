"""Informe de evaluación of an institutional strategic plan (PEI), in the structure of seed 002.

Executive summary; 1. institutional priorities (mission, priorities, scope: Tablas 1 and 2);
2. OEI: performance (Tabla 3 with semáforo), analysis per OEI and indicator with its evolution
figure, evidence, influencing factors; 3. AEI: status per AEI (Tabla 7 with semáforo), AO and
investments, critical AEI (< 75 %), application of earlier recommendations; 4. conclusions;
5. recommendations; 6. annexes (published reports, methodology note, consistency findings, the
full matrix). Narrative sections come from the stored texts; figures and tables from the data.
"""

from __future__ import annotations

from vigia.methodology import Row
from vigia.methodology.bands import ORDER, Band

from . import narrative
from .annexes import (band_legend, band_row_cells, consistency_notes, cover_table, descendants, findings_blocks,
                      indicator_rows, matrix_table, meta, methodology_note)
from .common import band_word, join_es, number, pct, plural, text_blocks
from .model import Bullets, Cell, Document, Heading, PageBreak, Paragraph, Table
from .seguimiento import evolution_figure, objectives_figure
from .source import Source

TYPE_LABEL = {"I": "I", "II": "II"}


def _semaphore_table(src: Source, objectives: list[Row], caption: str, source: str) -> Table:
    """Tabla 3 / Tabla 7 of 002: each objective (group row with its avance) followed by its indicators."""
    header = [[Cell("Código"), Cell("Denominación"), Cell("Sentido esperado"), Cell("Logro esperado", align="center"),
               Cell("Valor obtenido", align="center"), Cell("Alcance Tipo I (%)", align="center")]]
    rows, groups = [], set()
    for o in objectives:
        groups.add(len(rows))
        rows.append([Cell(o.code, bold=True), Cell(o.name, bold=True, span=4), band_row_cells(src, o)])
        for r in indicator_rows(src, o.code):
            unit = r.indicator.unit
            rows.append([Cell(r.code), Cell(r.name), Cell(r.indicator.direction.label),
                         Cell(number(r.target, unit), align="right"), Cell(number(r.actual, unit), align="right"),
                         band_row_cells(src, r)])
    return Table(caption, header, rows, [2.5, 6.2, 2.1, 1.5, 1.5, 1.7], size="small", group_rows=groups, source=source)


def _results_table(src: Source, objective: Row) -> Table:
    """Tablas 4-6 of 002: the objective's indicators with target, value, avance and who answers for them."""
    header = [[Cell("Indicador"), Cell("Logro esperado", align="center"), Cell("Valor obtenido", align="center"),
               Cell("Avance (%)", align="center"), Cell("Responsable")]]
    rows = []
    for r in indicator_rows(src, objective.code):
        spec = src.ds.indicator_spec(r.code)
        rows.append([Cell(f"{r.code}: {r.name}"), Cell(number(r.target, spec.unit), align="right"),
                     Cell(number(r.actual, spec.unit), align="right"), band_row_cells(src, r),
                     Cell(spec.responsible_unit or spec.entity or "")])
    return Table(f"Resultados de los indicadores del {objective.code}, {src.period_label}", header, rows,
                 [6.0, 1.5, 1.5, 1.5, 3.6], size="small", source=f"{src.vintage_spec.name}.")


def _operations_table(src: Source, aei: Row) -> Table | None:
    elements = {e.code: e for e in src.spec.elements}
    codes = [c for c in descendants(src, aei.code) if elements[c].level in ("AO", "INV")]
    if not codes:
        return None
    rows = []
    for c in codes:
        e = elements[c]
        a = e.attributes
        kind = "Actividad operativa" if e.level == "AO" else "Inversión"
        extra = []
        if a.get("cui"):
            extra.append(f"CUI {a['cui']}")
        for key, label in (("physical_target", "Meta física"), ("physical_actual", "Ejecución física"),
                           ("execution_pct", "Ejecución (%)"), ("budget_pim", "PIM"), ("budget_executed", "Ejecutado")):
            if a.get(key) is not None:
                extra.append(f"{label}: {number(float(a[key]))}")
        code = c if a.get("code_is_official", True) else f"{c}*"
        rows.append([Cell(code), Cell(kind + ("\n" + "; ".join(extra) if extra else "")), Cell(e.name),
                     Cell(a.get("description", "") or "")])
    note = ("* Código asignado por Vigía: el documento fuente no da código a la actividad operativa."
            if any(not elements[c].attributes.get("code_is_official", True) for c in codes) else "")
    return Table(f"Actividades operativas e inversiones vinculadas a la {aei.code}", [[Cell("Código"), Cell("Tipo"),
                 Cell("Denominación"), Cell(f"Lo realizado en {src.year}")]], rows, [2.3, 2.4, 4.2, 8.0], size="small",
                 source=f"{src.vintage_spec.name}." + (f" {note}" if note else ""))


def _stored(src: Source, doc: Document, text, codes: tuple[str, ...] = ()) -> bool:
    if not text:
        return False
    doc.add(*text_blocks(text))
    doc.add(*consistency_notes(src, text, codes))
    return True


def _contained(part: str, whole: str) -> bool:
    part = " ".join(str(part).split())[:120]
    return bool(part) and part in " ".join(str(whole).split())


def action_level(spec) -> str:
    """The level the informe treats as its AEI: AEI itself, or the second level of another institutional plan."""
    codes = [lv.code for lv in spec.levels]
    return "AEI" if "AEI" in codes else codes[min(1, len(codes) - 1)]


def build(src: Source) -> Document:
    spec, ev, rules, year = src.spec, src.ev, src.rules, src.year
    objectives = ev.objectives
    actions = [r for r in ev.rows if r.level == action_level(spec)]
    annual = src.period == "anual"
    period_title = f"{year}" if annual else f"primer semestre {year}"
    title = f"Informe de evaluación institucional {'anual ' if annual else ''}{period_title}"
    doc = Document(meta(src, "evaluacion", title, spec.name))
    doc.add(Paragraph(title.upper(), "title"), Paragraph(spec.name, "subtitle"),
            Paragraph(f"Entidad: {spec.entity_name or spec.entity}", "lead"))
    if src.static_text("approval"):
        doc.add(Paragraph(src.static_text("approval"), "lead"))
    doc.add(cover_table(doc.meta), PageBreak())

    # Executive summary ------------------------------------------------------------------------
    doc.add(Heading("Resumen ejecutivo", 1))
    _stored(src, doc, src.plan_text("executive_summary"))
    counts = {b: sum(a.band is b for a in actions) for b in ORDER}
    oei_text = join_es([f"{o.code} {pct(o.progress, rules, sign=True)} ({band_word(o.band)})" for o in objectives])
    aei_parts = [f"{counts[Band.GREEN]} alcanzan o superan el 95%", f"{counts[Band.YELLOW]} están entre el 75% y el 95%",
                 f"{counts[Band.RED]} están por debajo del 75%"]
    if counts[Band.ND]:
        aei_parts.append(f"{counts[Band.ND]} no tiene{'n' if counts[Band.ND] > 1 else ''} avance (ND)")
    doc.add(Paragraph("Resultados calculados con los datos de este informe:", "lead"))
    doc.add(Paragraph(
        f"En {period_title}, el avance de los {len(objectives)} objetivos estratégicos institucionales (OEI) es: {oei_text}. "
        f"De las {len(actions)} acciones estratégicas institucionales (AEI), {join_es(aei_parts)}."))

    # 1. Priorities ----------------------------------------------------------------------------
    doc.add(Heading("1. Prioridades institucionales en el periodo", 1))
    doc.add(Heading("1.1. Misión del pliego", 2))
    _stored(src, doc, src.plan_text("mission_basis"))
    if src.static_text("mission"):
        doc.add(Paragraph(f"Misión institucional: «{src.static_text('mission')}».", "quote"))
    doc.add(Heading("1.2. Prioridades de la política institucional", 2))
    if not _stored(src, doc, src.plan_text("priorities")) and src.static_text("vision"):
        doc.add(Paragraph(f"Visión: «{src.static_text('vision')}».", "quote"))
    doc.add(Heading("1.3. Alcance de la evaluación", 2))
    if not _stored(src, doc, src.plan_text("evaluation_scope")):
        n_aei = len(actions)
        doc.add(Paragraph(f"El {spec.name} tiene {plural(len(objectives), 'objetivo estratégico institucional', 'objetivos estratégicos institucionales')} "
                          f"y {plural(n_aei, 'acción estratégica institucional', 'acciones estratégicas institucionales')}; "
                          "se priorizan los OEI de tipo I y sus AEI."))
    elements = {e.code: e for e in spec.elements}
    doc.add(Table(f"Objetivos estratégicos institucionales del {spec.name}", [[Cell("Código"), Cell("Descripción"), Cell("Tipo", align="center")]],
                  [[Cell(o.code), Cell(o.name), Cell(TYPE_LABEL.get(str(elements[o.code].attributes.get("type", "")), "—"), align="center")]
                   for o in objectives], [1.6, 11.0, 1.2], source=spec.name))
    prioritized = [a for a in actions if elements[a.code].attributes.get("prioritized")]
    if prioritized:
        doc.add(Table("Acciones estratégicas institucionales priorizadas", [[Cell("Código"), Cell("Descripción")]],
                      [[Cell(a.code), Cell(a.name)] for a in prioritized], [1.8, 12.0], source=spec.name))

    # 2. OEI -----------------------------------------------------------------------------------
    doc.add(Heading("2. Análisis del logro de los objetivos estratégicos institucionales (OEI)", 1))
    doc.add(Heading("2.1. Valoración del desempeño del PEI", 2))
    if not _stored(src, doc, src.plan_text("performance_assessment")):
        doc.add(Paragraph(f"La tabla siguiente presenta el avance de cada OEI y de sus indicadores en {period_title}, "
                          "con la semaforización de CEPLAN:"), band_legend(src))
    doc.add(_semaphore_table(src, objectives, f"Semaforización por nivel de avance de los OEI, {period_title}",
                             f"{src.vintage_spec.name}; cálculo de Vigía."))
    doc.add(Heading("2.2. Análisis de logros por OEI", 2))
    _stored(src, doc, src.plan_text("oei_analysis_intro"))
    for k, o in enumerate(objectives, 1):
        doc.add(Heading(f"2.2.{k}. {o.code}: {o.name}", 3))
        own = src.item_text(o.code, "analysis")
        inds = indicator_rows(src, o.code)
        if not _stored(src, doc, own, (o.code,)):
            doc.add(*(Paragraph(t) for t in narrative.objective_paragraphs(src, o, inds)[:1]))
        for r in inds:
            _indicator_analysis(src, doc, r, own, sentence_too=False)
        if inds:
            doc.add(_results_table(src, o))
    doc.add(Heading("2.3. Evidencias de logros por OEI", 2))
    _stored(src, doc, src.plan_text("oei_evidence_intro"))
    any_evidence = False
    for k, o in enumerate(objectives, 1):
        text = src.item_text(o.code, "evidence") or [src.item_text(r.code, "evidence") for r in indicator_rows(src, o.code)
                                                     if src.item_text(r.code, "evidence")]
        if text:
            any_evidence = True
            doc.add(Heading(f"2.3.{k}. {o.code}: {o.name}", 3))
            _stored(src, doc, text, (o.code,))
    if not any_evidence:
        doc.add(Paragraph(f"No se han registrado evidencias para {period_title}."))
    doc.add(Heading("2.4. Factores de influencia en la implementación de los OEI", 2))
    if not _stored(src, doc, src.plan_text("influence_factors")):
        doc.add(Paragraph(f"No se han registrado factores de influencia para {period_title}."))

    # 3. AEI -----------------------------------------------------------------------------------
    doc.add(Heading("3. Análisis de implementación de las acciones estratégicas institucionales (AEI)", 1))
    doc.add(Heading("3.1. Estado de las AEI", 2))
    _stored(src, doc, src.plan_text("aei_status_intro"))
    for k, a in enumerate(actions, 1):
        avance = "ND" if a.progress is None else f"{pct(a.progress, rules, sign=True)}, {band_word(a.band)}"
        doc.add(Heading(f"3.1.{k}. {a.code}: {a.name} (avance {avance})", 3))
        own = src.item_text(a.code, "analysis")
        _stored(src, doc, own, (a.code,))
        for r in indicator_rows(src, a.code):
            _indicator_analysis(src, doc, r, own, sentence_too=True)
    if not _stored(src, doc, src.plan_text("aei_semaphore")):
        doc.add(Paragraph(f"La tabla siguiente presenta el avance de cada AEI y de sus indicadores en {period_title}:"), band_legend(src))
    doc.add(_semaphore_table(src, actions, f"Semaforización por nivel de avance de las AEI, {period_title}",
                             f"{src.vintage_spec.name}; cálculo de Vigía."))

    doc.add(Heading("3.2. Proceso de implementación de las AEI", 2))
    _stored(src, doc, src.plan_text("aei_implementation_intro"))
    doc.add(Heading("3.2.1. Análisis de las actividades operativas e inversiones relacionadas a las AEI", 3))
    for a in actions:
        text = src.item_text(a.code, "implementation")
        table = _operations_table(src, a)
        execution = elements[a.code].attributes.get("poi_physical_execution_pct")
        if not (text or table or execution is not None):
            continue
        doc.add(Paragraph(f"{a.code}: {a.name}", "lead"))
        if execution is not None:
            doc.add(Paragraph(f"Ejecución física de las actividades operativas del POI vinculadas: {number(float(execution))}% de la meta física anual programada."))
        _stored(src, doc, text, (a.code,))
        doc.add(table)

    doc.add(Heading("3.2.2. Identificación y análisis de las AEI críticas", 3))
    critical = [a for a in actions if a.band is Band.RED]
    if critical:
        in_priority = [a for a in critical if elements[a.code].attributes.get("prioritized")]
        doc.add(Paragraph(
            f"Con los datos de este informe, {plural(len(critical), 'AEI tiene', 'AEI tienen')} un avance menor al "
            f"{rules.yellow:.0f}%" + (f"; {len(in_priority)} de ellas pertenece{'n' if len(in_priority) != 1 else ''} a un OEI priorizado." if prioritized else ".")))
        doc.add(Table(f"AEI críticas (avance menor al {rules.yellow:.0f}%), {period_title}",
                      [[Cell("Código"), Cell("Denominación"), Cell("OEI"), Cell("Priorizada", align="center"), Cell("Avance (%)", align="center")]],
                      [[Cell(a.code), Cell(a.name), Cell(elements[a.code].parent or ""),
                        Cell("Sí" if elements[a.code].attributes.get("prioritized") else "No", align="center"), band_row_cells(src, a)]
                       for a in critical], [1.9, 9.0, 1.4, 1.5, 1.6], size="small", source="Cálculo de Vigía."))
        if not _stored(src, doc, src.plan_text("critical_aei")):
            for a in critical:
                _stored(src, doc, src.item_text(a.code, "critical"), (a.code,))
    else:
        doc.add(Paragraph(f"Ninguna AEI tiene un avance menor al {rules.yellow:.0f}% en {period_title}."))

    doc.add(Heading("3.3. Aplicación de recomendaciones", 2))
    if not _stored(src, doc, src.plan_text("recommendations_applied")):
        texts = [src.item_text(a.code, "recommendations_applied") for a in actions]
        if any(texts):
            for a, t in zip(actions, texts):
                _stored(src, doc, t, (a.code,))
        else:
            doc.add(Paragraph(f"No se ha registrado la aplicación de recomendaciones anteriores para {period_title}."))

    # 4-5. Conclusions and recommendations -----------------------------------------------------
    doc.add(Heading("4. Conclusiones", 1))
    conclusions = src.plan_text("conclusions")
    if conclusions:
        items = conclusions if isinstance(conclusions, list) else [conclusions]
        doc.add(Bullets([str(i) for i in items], ordered=True, start="4."))
        doc.add(*consistency_notes(src, items))
    else:
        doc.add(Paragraph("No se han registrado conclusiones para este periodo. Las siguientes resumen los resultados "
                          "calculados con los datos:", "note"))
        doc.add(Bullets(_generated_conclusions(src, objectives, actions), ordered=True, start="4."))
    doc.add(Heading("5. Recomendaciones", 1))
    recommendations = src.plan_text("recommendations")
    if recommendations:
        doc.add(Bullets([str(i) for i in (recommendations if isinstance(recommendations, list) else [recommendations])], ordered=True, start="5."))
    elif critical:
        doc.add(Paragraph("No se han registrado recomendaciones para este periodo. Se derivan de las AEI críticas "
                          "(una por AEI, con su avance), para que la oficina de planeamiento las valide:", "note"))
        doc.add(Bullets([f"Revisar con los responsables de la {a.code} «{a.name}» (avance {pct(a.progress, rules, sign=True)}) "
                         "las causas del resultado y las medidas para alcanzar el logro esperado." for a in critical],
                        ordered=True, start="5."))
    else:
        doc.add(Paragraph("No se han registrado recomendaciones para este periodo."))

    # 6. Annexes -------------------------------------------------------------------------------
    doc.add(Heading("6. Anexos", 1))
    annexes = src.plan_text("annexes")
    n = 1
    if annexes:
        doc.add(Heading("6.1. Documentos publicados", 2), Bullets([str(a) for a in (annexes if isinstance(annexes, list) else [annexes])]))
        n = 2
    doc.add(*methodology_note(src, f"6.{n}."))
    doc.add(Paragraph("Los textos narrativos se reproducen tal como fueron registrados; sus referencias a tablas y figuras "
                      f"siguen la numeración del documento fuente ({src.vintage_spec.seed}).", "note"))
    doc.add(*findings_blocks(src, f"6.{n + 1}.", "Hallazgos de consistencia"))
    # progress per objective and per action (kept here so that Figuras 1-3 are the OEI.01 indicators, as in 002)
    doc.add(Heading(f"6.{n + 2}. Avance por objetivo y por acción estratégica", 2))
    doc.add(objectives_figure(src, objectives, f"Avance de los OEI, {period_title}", f"Avance de los OEI, {period_title}"))
    doc.add(objectives_figure(src, actions, f"Avance de las AEI, {period_title}", f"Avance de las AEI, {period_title}"))
    doc.add(PageBreak(landscape=True))
    doc.add(Heading(f"6.{n + 3}. Matriz de seguimiento del PEI, {period_title}", 2))
    doc.add(matrix_table(src, f"Matriz de seguimiento del {spec.name}", {spec.levels[0].code, action_level(spec)}))
    doc.number()
    return doc


def _generated_conclusions(src: Source, objectives: list[Row], actions: list[Row]) -> list[str]:
    rules = src.rules
    out = [f"El {o.code} «{o.name}» registra un avance de {pct(o.progress, rules, sign=True)} (semáforo {band_word(o.band)})."
           if o.progress is not None else f"El {o.code} «{o.name}» no tiene avance (ND)." for o in objectives]
    out.append(narrative.count_sentence(actions, "AEI", "AEI"))
    return out


def _indicator_analysis(src, doc, r, own, sentence_too: bool) -> None:
    """One indicator's block: its stored analysis (unless its objective's text already quotes it) or
    a sentence from the data marked as generated; then its evolution figure."""
    doc.add(Paragraph(f"Indicador: {r.name}", "lead"))
    text = src.item_text(r.code, "analysis")
    if text and not (own and _contained(text, own)):
        _stored(src, doc, text, (r.code,))
    elif not text:
        doc.add(Paragraph(narrative.indicator_sentence(src, r)), Paragraph(narrative.GENERATED_NOTE, "note"))
    elif sentence_too:
        doc.add(Paragraph(narrative.indicator_sentence(src, r)))
    doc.add(evolution_figure(src, r))
