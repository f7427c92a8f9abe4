"""Parts both documents share: the cover, band-count and matrix tables, the methodology note and
the consistency findings."""

from __future__ import annotations

from vigia.methodology import Row
from vigia.methodology.bands import ORDER
from vigia.methodology.model import Direction
from vigia.methodology.progress import Reason
from vigia.methodology.rules import Formula
from vigia.presentation import matrix as presenters
from vigia.presentation.numbers import observation as figure

from .common import LEVEL_NAMES, join_es, pct, progress_cell
from .model import Bullets, Cell, Heading, Meta, Paragraph, Table
from .source import Source

KIND_TITLES = {"seguimiento": "Reporte de seguimiento", "evaluacion": "Informe de evaluación"}


def meta(src: Source, kind: str, title: str, subtitle: str, cover_lines=()) -> Meta:
    spec = src.spec
    return Meta(
        kind=kind, title=title, subtitle=subtitle, plan_code=spec.code, plan_name=spec.name,
        entity=spec.entity_name or spec.entity, year=src.year, period=src.period, period_label=src.period_label,
        vintage=src.vintage, vintage_name=src.vintage_spec.name, cutoff=src.cutoff_label, document_date=src.document_date,
        checksum=src.checksum, data_version=src.data_version, preliminary=src.preliminary, ruleset=src.rules.title,
        cover_lines=tuple(cover_lines),
    )


def cover_table(m: Meta) -> Table:
    """The data-provenance box of the cover: period, cut-off, edition, version, status."""
    lines = [
        ("Periodo evaluado", m.period_label),
        ("Fecha de corte de los datos", m.cutoff),
        ("Edición de los datos", f"{m.vintage}: {m.vintage_name}"),
        ("Versión de los datos", (f"{m.data_version} (base de datos de Vigía)" if m.data_version is not None else "conjunto de datos oficial incluido en Vigía")),
        ("Huella de los datos (SHA-256)", m.checksum),
        ("Estado de los datos", m.status_label),
        ("Reglas de cálculo", m.ruleset),
    ]
    rows = [[Cell(k, bold=True), Cell(v)] for k, v in lines]
    return Table("Datos de este documento", [[Cell("Dato"), Cell("Valor")]], rows, [1.0, 2.4], size="small", numbered=False)


def level_label(plan, level: str) -> str:
    try:
        return f"{level}: {plan.level(level).name}"
    except StopIteration:
        return f"{level}: {LEVEL_NAMES.get(level, level)}"


def band_counts_table(src: Source, caption: str) -> Table:
    header = [[Cell("Nivel"), *(Cell(f"{b.range}", align="center", band=None) for b in ORDER), Cell("Total", align="center")]]
    rows = []
    for level, counts in src.ev.band_counts.items():
        total = sum(counts.values())
        rows.append([Cell(level_label(src.ds.plan, level)),
                     *(Cell(str(counts[b]), align="center", band=b if counts[b] else None) for b in ORDER),
                     Cell(str(total), align="center")])
    return Table(caption, header, rows, [3.4, 1.2, 1.2, 1.2, 1.0, 1.0], size="small",
                 source="Cálculo de Vigía con la misma evaluación de este documento.")


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
    n = len(years)
    header = [
        [Cell("Código"), Cell("Denominación"), Cell("Entidad"), Cell("Tipo"), Cell("Sentido"), Cell("Acum."),
         Cell("Línea de base", align="center", span=2), Cell("Logros esperados", align="center", span=n),
         Cell("Valores obtenidos", align="center", span=n), Cell(f"Avance {src.year} (%)", align="center")],
        [Cell(""), Cell(""), Cell(""), Cell(""), Cell(""), Cell(""), Cell("Año", align="center"), Cell("Valor", align="center"),
         *(Cell(str(y), align="center") for y in years), *(Cell(str(y), align="center") for y in years), Cell("")],
    ]
    body, groups = [], set()
    for r in rows_m:
        if r.is_indicator:
            body.append([
                Cell(r.code), Cell(r.name), Cell(r.entity or ""), Cell(r.type or ""),
                Cell({"Ascendente": "Asc.", "Descendente": "Desc."}.get(r.direction, r.direction)),
                Cell("Sí" if r.accumulated == "Acumulado" else "No"),
                Cell(str(r.baseline_year or ""), align="center"), Cell(figure(r.baseline, r.unit, r.decimals), align="right"),
                *(Cell(figure(v, r.unit, r.decimals), align="right") for v in r.targets),
                *(Cell(figure(v, r.unit, r.decimals), align="right") for v in r.actuals),
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
        body.append([Cell("INDEX", bold=True), Cell(idx.name, bold=True, span=7 + 2 * n), progress_cell(idx.progress, idx.band, src.rules)])
    widths = [2.3, 5.0, 1.5, 1.5, 1.35, 1.1, 0.9, 1.3, *([1.3] * (2 * n)), 1.4]
    return Table(caption, header, body, widths, size="tiny", group_rows=groups, landscape=True,
                 source=f"{src.vintage_spec.name}; cálculo de Vigía ({src.rules.title}).")


# Methodology note ------------------------------------------------------------------------------


def _usage(src: Source) -> dict[str, list[str]]:
    """Which indicators (or elements) each rule decided in this evaluation."""
    use: dict[str, list[str]] = {}
    tipo_ii = src.rules.formula is Formula.TIPO_II
    for r in src.ev.rows:
        ind = r.indicator
        if ind is None:
            if r.code == "INDEX":
                use.setdefault("INDEX_MEAN", []).append(r.code)
            elif r.measured and r.progress is not None:
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


def _codes(codes: list[str], limit: int = 14) -> str:
    if len(codes) <= limit:
        return join_es(codes)
    return f"{len(codes)} indicadores o elementos ({', '.join(codes[:limit])}…)"


def methodology_note(src: Source, number_label: str) -> list:
    rules = src.rules
    use = _usage(src)
    blocks: list = [
        Heading(f"{number_label} Nota metodológica", 2),
        Paragraph(
            f"Todas las cifras de este documento provienen de una única evaluación de «{src.spec.name}» para el periodo "
            f"{src.period_label}, calculada por Vigía con las reglas «{rules.title}» sobre la edición de datos "
            f"{src.vintage} ({src.vintage_spec.name}). Los avances se calculan con los valores sin redondear y se "
            f"publican con {rules.decimals} {'decimal' if rules.decimals == 1 else 'decimales'}; el semáforo se "
            "asigna al avance redondeado tal como se publica."),
        Paragraph("Reglas aplicadas (en el orden en que se aplican):"),
    ]
    items = []
    for rule in rules.rules:
        applied = use.get(rule.code, [])
        if rule.code in ("BANDS", "FULL_PRECISION"):
            where = "Se aplica a todas las cifras del documento."
        elif applied:
            where = f"En este documento decide el avance de: {_codes(applied)}."
        else:
            where = f"No afecta a ningún indicador en {src.year}."
        items.append(f"{rule.text} {where}")
    blocks.append(Bullets(items, ordered=True))
    blocks.append(Paragraph(
        f"Procedencia: documento fuente {src.vintage_spec.seed}; huella SHA-256 del conjunto de datos {src.checksum}"
        + (f"; versión de datos {src.data_version} de la base de Vigía" if src.data_version is not None else "")
        + ". Un mismo conjunto de datos produce siempre el mismo documento.", "note"))
    return blocks


def findings_blocks(src: Source, number_label: str, title: str) -> list:
    found = src.findings
    blocks: list = [Heading(f"{number_label} {title}", 2)]
    if not found:
        blocks.append(Paragraph(f"Vigía no encontró inconsistencias en la edición {src.vintage}."))
        return blocks
    blocks.append(Paragraph(
        "Vigía recalcula cada avance publicado en el documento fuente de la edición a partir de sus propios valores. "
        "Las diferencias encontradas son las siguientes; las cifras de este documento son las calculadas."))
    severity = {"error": "Error", "aviso": "Aviso", "info": "Información"}
    rows = [[Cell(severity.get(f.severity.value, f.severity.value)), Cell(f.code), Cell(f.rule.replace("_", " ")), Cell(f.text)] for f in found]
    blocks.append(Table(f"Hallazgos de consistencia de la edición {src.vintage}", [[Cell("Gravedad"), Cell("Código"), Cell("Regla"), Cell("Hallazgo")]],
                        rows, [1.2, 2.2, 2.0, 8.0], size="small", source="vigia check " + src.ds.code))
    return blocks


def consistency_notes(src: Source, text, codes: tuple[str, ...] = ()) -> list:
    """Notes for a stored text that cites a published figure the data contradict (e.g. AEI.01.03 3.62 vs 7.25)."""
    if not text:
        return []
    body = " ".join(text) if isinstance(text, list) else str(text)
    out = []
    for f in src.findings:
        if f.rule != "agregado_no_reproducible" or f.year != src.year:
            continue
        published, computed = f.figures.get("publicado"), f.figures.get("calculado")
        if published is None or (codes and f.code not in codes) or f.code not in body:
            continue
        shown = f"{published:g}"
        if shown in body:
            value = "ND" if computed is None else pct(computed, src.rules, sign=True)
            out.append(Paragraph(
                f"Nota de consistencia: el texto registrado cita un avance de {shown}% para {f.code}; el avance calculado "
                f"con los datos de este documento es {value}, que es el que figura en las tablas (véase el anexo de "
                "hallazgos de consistencia).", "note"))
    return out


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
