"""Informe de evaluación of an institutional strategic plan (PEI), in the structure of seed 002.

Cover, credits and ÍNDICE; executive summary; 1. institutional priorities (mission, priorities,
scope); 2. OEI: performance (semáforo table), analysis per OEI and indicator with its figure and
results table, evidence, influencing factors; 3. AEI: status per AEI (semáforo table), AO and
investments in the source's own structure, critical AEI (< 75%), application of earlier
recommendations; 4. conclusions; 5. recommendations; signatures; 6. annexes (published reports,
methodology note, the full matrix). Narrative comes from the stored texts, each passage once;
figures and tables from the data.
"""

from __future__ import annotations

from vigia.methodology import Row
from vigia.methodology.bands import ORDER, Band

from . import narrative, references
from .annexes import (absent_note, actual_text, band_legend, band_row_cells, colophon, front_matter, indicator_rows, matrix_table, meta,
                      methodology_note, rounded_note, signatures, target_text)
from .common import band_word, join_es, normal, number, pct, plural, text_blocks
from .figures import evolution_figure, objectives_figure
from .model import Bullets, Cell, Document, Heading, PageBreak, Paragraph, Table
from .source import Source
from .stored import StoredTexts, passages

TYPE_LABEL = {"I": "I", "II": "II"}


def _semaphore_table(src: Source, objectives: list[Row], caption: str, key: str) -> Table:
    """Tabla 3 / Tabla 7 of 002: each objective (group row with its avance) followed by its indicators."""
    header = [[Cell("Código"), Cell("Denominación"), Cell("Sentido esperado"), Cell("Logro esperado", align="center"),
               Cell("Valor obtenido", align="center"), Cell("Alcance Tipo I (%)", align="center")]]
    rows, groups = [], set()
    for o in objectives:
        groups.add(len(rows))
        rows.append([Cell(o.code, bold=True), Cell(o.name, bold=True, span=4), band_row_cells(src, o)])
        for r in indicator_rows(src, o.code):
            rows.append([Cell(r.code), Cell(r.name), Cell(r.indicator.direction.label),
                         Cell(target_text(src, r), align="right"),
                         Cell(actual_text(src, r), align="right"), band_row_cells(src, r)])
    shown = [r.code for o in objectives for r in indicator_rows(src, o.code)]
    return Table(caption, header, rows, [2.5, 6.2, 2.1, 1.5, 1.5, 1.7], size="small", group_rows=groups, key=key,
                 source=f"{src.vintage_spec.name}; avances según la nota metodológica.",
                 notes=absent_note(rows) + rounded_note(src, shown))


def _results_table(src: Source, objective: Row) -> Table:
    """Tablas 4-6 of 002: the objective's indicators with target, value, avance and who answers for them."""
    header = [[Cell("Indicador"), Cell("Logro esperado", align="center"), Cell("Valor obtenido", align="center"),
               Cell("Avance (%)", align="center"), Cell("Responsable")]]
    rows = []
    for r in indicator_rows(src, objective.code):
        spec = src.ds.indicator_spec(r.code)
        rows.append([Cell(f"{r.code}: {r.name}"), Cell(target_text(src, r), align="right"),
                     Cell(actual_text(src, r), align="right"), band_row_cells(src, r),
                     Cell(spec.responsible_unit or spec.entity or "")])
    return Table(f"Resultados de los indicadores del {objective.code}, {src.period_title}", header, rows,
                 [6.0, 1.5, 1.5, 1.5, 3.6], size="small", key=f"resultados-{objective.code}", source=f"{src.vintage_spec.name}.",
                 notes=absent_note(rows))


def action_level(spec) -> str:
    """The level the informe treats as its AEI: AEI itself, or the second level of another institutional plan."""
    codes = [lv.code for lv in spec.levels]
    return "AEI" if "AEI" in codes else codes[min(1, len(codes) - 1)]


def build(src: Source) -> Document:
    spec, ev, rules = src.spec, src.ev, src.rules
    objectives = ev.objectives
    actions = [r for r in ev.rows if r.level == action_level(spec)]
    period_title, when = src.period_title, src.period_phrase
    title = f"Informe de evaluación institucional {'anual ' if not src.semester else ''}{period_title}"
    lines = [("Entidad", spec.entity_name or spec.entity)]
    if src.static_text("approval"):
        lines.append(("Plan", src.static_text("approval")))
    doc = Document(meta(src, "evaluacion", title, spec.name, lines))
    doc.add(*front_matter(doc))
    drafted: list[str] = []
    elements = {e.code: e for e in spec.elements}

    stored = StoredTexts(src, doc).add

    # Executive summary ------------------------------------------------------------------------
    doc.add(Heading("Resumen ejecutivo", 1))
    if not stored(src.plan_text("executive_summary")):
        counts = {b: sum(a.band is b for a in actions) for b in ORDER}
        oei_text = join_es([f"{o.code} {pct(o.progress, rules, sign=True)} ({band_word(o.band)})" if o.progress is not None
                            else f"{o.code} sin avance (ND)" for o in objectives])
        verb = {Band.GREEN: ("alcanza o supera el 95%", "alcanzan o superan el 95%"),
                Band.YELLOW: ("está entre el 75% y el 95%", "están entre el 75% y el 95%"),
                Band.RED: ("está por debajo del 75%", "están por debajo del 75%"),
                Band.ND: ("no tiene avance (ND)", "no tienen avance (ND)")}
        aei_parts = [f"{counts[b]} {verb[b][counts[b] != 1]}" for b in (Band.GREEN, Band.YELLOW, Band.RED, Band.ND) if counts[b]]
        doc.add(Paragraph(
            f"{when[:1].upper()}{when[1:]}, el avance de los {len(objectives)} objetivos estratégicos institucionales (OEI) es: "
            f"{oei_text}. De las {len(actions)} acciones estratégicas institucionales (AEI), {join_es(aei_parts)}."))
        drafted.append("el resumen ejecutivo")

    # 1. Priorities ----------------------------------------------------------------------------
    doc.add(Heading("1. Prioridades institucionales en el periodo", 1))
    doc.add(Heading("1.1. Misión del pliego", 2))
    basis = src.plan_text("mission_basis")
    stored(basis)
    mission = src.static_text("mission")
    if mission and normal(mission) not in normal(basis or ""):
        doc.add(Paragraph(f"Misión institucional: «{mission}».", "quote"))
    doc.add(Heading("1.2. Prioridades de la política institucional", 2))
    if not stored(src.plan_text("priorities")) and src.static_text("vision"):
        doc.add(Paragraph(f"Visión: «{src.static_text('vision')}».", "quote"))
    doc.add(Heading("1.3. Alcance de la evaluación", 2))
    scope = src.plan_text("evaluation_scope")
    blocks = text_blocks(references.fill_avances(scope, src)) if scope else [Paragraph(
        f"El {spec.name} tiene {plural(len(objectives), 'objetivo estratégico institucional', 'objetivos estratégicos institucionales')} "
        f"y {plural(len(actions), 'acción estratégica institucional', 'acciones estratégicas institucionales')}; "
        "se priorizan los OEI de tipo I y sus AEI.")]
    doc.add(blocks[0])
    doc.add(Table(f"Objetivos estratégicos institucionales del {spec.name}", [[Cell("Código"), Cell("Descripción"), Cell("Tipo", align="center")]],
                  [[Cell(o.code), Cell(o.name), Cell(TYPE_LABEL.get(str(elements[o.code].attributes.get("type", "")), "—"), align="center")]
                   for o in objectives], [1.6, 11.0, 1.2], key="objetivos", source=spec.name))
    doc.add(*blocks[1:])
    prioritized = [a for a in actions if elements[a.code].attributes.get("prioritized")]
    if prioritized:
        doc.add(Table("Acciones estratégicas institucionales priorizadas", [[Cell("Código"), Cell("Descripción")]],
                      [[Cell(a.code), Cell(a.name)] for a in prioritized], [1.8, 12.0], key="aei-priorizadas", source=spec.name))

    # 2. OEI -----------------------------------------------------------------------------------
    doc.add(Heading("2. Análisis del logro de los objetivos estratégicos institucionales (OEI)", 1))
    doc.add(Heading("2.1. Valoración del desempeño del PEI", 2))
    if not stored(src.plan_text("performance_assessment")):
        doc.add(Paragraph(f"La tabla siguiente presenta el avance de cada OEI y de sus indicadores {when}, "
                          "con la semaforización de CEPLAN:"), band_legend(src))
    doc.add(_semaphore_table(src, objectives, f"Semaforización por nivel de avance de los OEI, {period_title}", "semaforo-OEI"))
    doc.add(Heading("2.2. Análisis de logros por OEI", 2))
    stored(src.plan_text("oei_analysis_intro"))
    for k, o in enumerate(objectives, 1):
        doc.add(Heading(f"2.2.{k}. {o.code}: {o.name}", 3))
        inds = indicator_rows(src, o.code)
        # the objective's text repeats its indicators' texts: print what is its own, then each indicator
        if not stored(src.item_text(o.code, "analysis"), skip=_indicator_passages(src, inds)):
            doc.add(Paragraph(narrative.objective_paragraphs(src, o, inds)[0]))
            drafted.append(o.code)
        for r in inds:
            _indicator(src, doc, r, stored, drafted)
        stored(src.item_text(o.code, "results"))
        if inds:
            doc.add(_results_table(src, o))
    doc.add(Heading("2.3. Evidencias de logros por OEI", 2))
    stored(src.plan_text("oei_evidence_intro"))
    any_evidence = False
    for k, o in enumerate(objectives, 1):
        text = src.item_text(o.code, "evidence") or [src.item_text(r.code, "evidence") for r in indicator_rows(src, o.code)
                                                     if src.item_text(r.code, "evidence")]
        if text:
            any_evidence = True
            doc.add(Heading(f"2.3.{k}. {o.code}: {o.name}", 3))
            stored(text)
    if not any_evidence:
        doc.add(Paragraph(f"No se han registrado evidencias {when}."))
    doc.add(Heading("2.4. Factores de influencia en la implementación de los OEI", 2))
    if not stored(src.plan_text("influence_factors")):
        doc.add(Paragraph(f"No se han registrado factores de influencia {when}."))

    # 3. AEI -----------------------------------------------------------------------------------
    doc.add(Heading("3. Análisis de implementación de las acciones estratégicas institucionales (AEI)", 1))
    doc.add(Heading("3.1. Estado de las AEI", 2))
    stored(src.plan_text("aei_status_intro"))
    for k, a in enumerate(actions, 1):
        doc.add(Heading(f"3.1.{k}. {a.code}: {a.name}", 3))
        inds = indicator_rows(src, a.code)
        stored(src.item_text(a.code, "analysis"), skip=_indicator_passages(src, inds))
        for r in inds:
            _indicator(src, doc, r, stored, drafted)
    if not stored(src.plan_text("aei_semaphore")):
        doc.add(Paragraph(f"La tabla siguiente presenta el avance de cada AEI y de sus indicadores {when}:"), band_legend(src))
    doc.add(_semaphore_table(src, actions, f"Semaforización por nivel de avance de las AEI, {period_title}", "semaforo-AEI"))

    doc.add(Heading("3.2. Proceso de implementación de las AEI", 2))
    stored(src.plan_text("aei_implementation_intro"))
    doc.add(Heading("3.2.1. Análisis de las actividades operativas e inversiones relacionadas a las AEI", 3))
    for a in actions:
        text = src.item_text(a.code, "implementation")
        execution = elements[a.code].attributes.get("poi_physical_execution_pct")
        if not text and execution is None:
            continue
        doc.add(Heading(f"{a.code}: {a.name}", 4, outline=False))
        if not stored(text, level=5) and execution is not None:
            doc.add(Paragraph(f"Ejecución física de las actividades operativas del POI vinculadas: "
                              f"{number(float(execution))}% de la meta física anual programada."))

    doc.add(Heading("3.2.2. Identificación y análisis de las AEI críticas", 3))
    critical = [a for a in actions if a.band is Band.RED]
    if critical:
        in_priority = [a for a in critical if elements[a.code].attributes.get("prioritized")]
        if not stored(src.plan_text("critical_aei")):
            doc.add(Paragraph(
                f"{when[:1].upper()}{when[1:]}, {plural(len(critical), 'AEI tiene', 'AEI tienen')} un avance menor al "
                f"{rules.yellow:.0f}%" + (f"; {len(in_priority)} de ellas {'pertenece' if len(in_priority) == 1 else 'pertenecen'} "
                                          "a un OEI priorizado." if prioritized else ".")))
            for a in critical:
                stored(src.item_text(a.code, "critical"))
        doc.add(Table(f"AEI críticas (avance menor al {rules.yellow:.0f}%), {period_title}",
                      [[Cell("Código"), Cell("Denominación"), Cell("OEI"), Cell("Priorizada", align="center"), Cell("Avance (%)", align="center")]],
                      [[Cell(a.code), Cell(a.name), Cell(elements[a.code].parent or ""),
                        Cell("Sí" if elements[a.code].attributes.get("prioritized") else "No", align="center"), band_row_cells(src, a)]
                       for a in critical], [1.9, 9.0, 1.4, 1.5, 1.6], size="small", key="aei-criticas",
                      source=f"{src.vintage_spec.name}; avances según la nota metodológica."))
    else:
        doc.add(Paragraph(f"Ninguna AEI tiene un avance menor al {rules.yellow:.0f}% {when}."))

    doc.add(Heading("3.3. Aplicación de recomendaciones", 2))
    if not stored(src.plan_text("recommendations_applied")):
        texts = [src.item_text(a.code, "recommendations_applied") for a in actions]
        if any(texts):
            for t in texts:
                stored(t)
        else:
            doc.add(Paragraph(f"No se ha registrado la aplicación de recomendaciones anteriores {when}."))

    # 4-5. Conclusions and recommendations -----------------------------------------------------
    doc.add(Heading("4. Conclusiones", 1))
    conclusions = src.plan_text("conclusions")
    if conclusions:
        items = conclusions if isinstance(conclusions, list) else [conclusions]
        doc.add(Bullets([str(references.fill_avances(i, src)) for i in items], ordered=True, start="4."))
    else:
        doc.add(Bullets(_generated_conclusions(src, objectives, actions), ordered=True, start="4."))
        drafted.append("las conclusiones")
    doc.add(Heading("5. Recomendaciones", 1))
    recommendations = src.plan_text("recommendations")
    if recommendations:
        doc.add(Bullets([str(i) for i in (recommendations if isinstance(recommendations, list) else [recommendations])], ordered=True, start="5."))
    elif critical:
        doc.add(Bullets([f"Revisar con los responsables de la {a.code} «{a.name}» (avance {pct(a.progress, rules, sign=True)}) "
                         "las causas del resultado y las medidas para alcanzar el logro esperado." for a in critical],
                        ordered=True, start="5."))
        drafted.append("las recomendaciones")
    else:
        doc.add(Paragraph(f"No se han registrado recomendaciones {when}."))

    doc.add(*signatures(doc))

    # 6. Annexes -------------------------------------------------------------------------------
    doc.add(Heading("6. Anexos", 1))
    annexes = src.plan_text("annexes")
    n = 1
    if annexes:
        doc.add(Heading("6.1. Documentos publicados", 2), Bullets([str(a) for a in (annexes if isinstance(annexes, list) else [annexes])]))
        n = 2
    doc.add(Heading(f"6.{n}. Avance por objetivo y por acción estratégica", 2))
    doc.add(objectives_figure(src, objectives, f"Avance de los OEI, {period_title}"))
    doc.add(objectives_figure(src, actions, f"Avance de las AEI, {period_title}"))
    doc.add(*methodology_note(src, f"6.{n + 1}.", drafted))
    doc.add(PageBreak(landscape=True))
    doc.add(Heading(f"6.{n + 2}. Matriz de seguimiento del PEI, {period_title}", 2))
    doc.add(matrix_table(src, f"Matriz de seguimiento del {spec.name}", {spec.levels[0].code, action_level(spec)}))
    doc.add(colophon(doc))
    doc.number()
    doc.omitted = references.resolve(doc)
    return doc


def _indicator_passages(src: Source, rows: list[Row]) -> set[str]:
    """What the indicators' own analyses say: an element's text that repeats it leaves it to them."""
    return set().union(*(passages(src.item_text(r.code, "analysis")) for r in rows))


def _generated_conclusions(src: Source, objectives: list[Row], actions: list[Row]) -> list[str]:
    rules = src.rules
    out = [f"El {o.code} «{o.name}» registra un avance de {pct(o.progress, rules, sign=True)} (semáforo {band_word(o.band)})."
           if o.progress is not None else f"El {o.code} «{o.name}» no tiene avance (ND)." for o in objectives]
    out.append(narrative.count_sentence(actions, "AEI", "AEI"))
    return out


def _indicator(src: Source, doc: Document, r: Row, stored, drafted: list[str]) -> None:
    """One indicator: its name as a subheading, its stored analysis (or a sentence from the data), its figure."""
    doc.add(Heading(f"Indicador: {r.name}", 4, outline=False))
    if not stored(src.item_text(r.code, "analysis")):
        doc.add(Paragraph(narrative.indicator_sentence(src, r)))
        drafted.append(r.code)
    doc.add(evolution_figure(src, r))
