"""Interactive charts as data: each builder returns a ``Chart`` whose ``option`` is an Apache
ECharts option (plain JSON), plus the accessible table and the CSV behind it.

Pages render a chart as a JSON block beside a container and one static script draws every such
block (``web/static/vigia/js/charts.js``), so a new kind of chart is a new builder here, never
new page code. Pure Python (no Django), beneath ``web`` and ``documents``.

Every chart carries what a person needs without the picture: a description read by screen
readers, a tooltip text per point (``tips``), the same figures as a table, and shapes (decals and
symbols) besides colour, the shapes of the semáforo badges (● verde, ▲ amarillo, ■ rojo).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from vigia.methodology.bands import ORDER, Band
from vigia.methodology.rules import RuleSet

from . import numbers

# Fills with at least 3:1 contrast on white (WCAG non-text contrast), as the badges' ink.
BAND_COLOURS = {Band.GREEN: "#1a7f37", Band.YELLOW: "#9a6700", Band.RED: "#b3261e", Band.ND: "#6e7781"}
BAND_SYMBOLS = {Band.GREEN: "circle", Band.YELLOW: "triangle", Band.RED: "rect", Band.ND: "emptyCircle"}
BAND_NAMES = {Band.GREEN: "Verde", Band.YELLOW: "Amarillo", Band.RED: "Rojo", Band.ND: "ND"}
INK, MUTED, GRID = "#1b1f24", "#57606a", "#d0d7de"
FONT = "system-ui, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"


def _decal(symbol: str) -> dict:
    return {"symbol": symbol, "symbolSize": 0.55, "color": "rgba(255, 255, 255, 0.55)", "dashArrayX": 6, "dashArrayY": 6}


BAND_DECALS = {Band.GREEN: _decal("circle"), Band.YELLOW: _decal("triangle"), Band.RED: _decal("rect"), Band.ND: _decal("none")}


@dataclass
class Chart:
    """One chart: its ECharts option, what it says in words, and the figures as a table and a CSV."""

    key: str  # unique on the page: the container's id and the downloaded files' name
    title: str
    description: str  # one or two sentences a screen reader reads instead of the picture
    option: dict
    columns: list[str]  # the accessible table (formatted as the pages print figures)
    rows: list[list[str]]
    csv_columns: list[str]  # the download (numbers as numbers)
    csv_rows: list[list]
    tips: list[list[str]] = field(default_factory=list)  # tooltip text per series and data point
    size: str = "md"  # sm, md, lg: the container's height class
    unit: str = "%"  # suffix of values the script formats (axis pointer, keyboard reading)
    decimals: int = 1
    geo: dict | None = None  # a map: {"name", "url"} of the GeoJSON the script registers before drawing

    def payload(self) -> dict:
        """What the page script receives (JSON)."""
        out = {"option": self.option, "tips": self.tips, "description": self.description, "file": self.key,
               "csv": {"columns": self.csv_columns, "rows": self.csv_rows}, "unit": self.unit, "decimals": self.decimals}
        if self.geo:
            out["map"] = self.geo
        return out


def _base(legend: bool = False) -> dict:
    option = {
        "textStyle": {"fontFamily": FONT, "color": INK},
        "tooltip": {"confine": True},
        "grid": {"left": 8, "right": 24, "top": 64 if legend else 24, "bottom": 8, "containLabel": True},
    }
    if legend:
        option["legend"] = {"top": 0, "left": 0, "itemGap": 14, "textStyle": {"color": INK}}
    return option


def _thresholds(rules: RuleSet, axis: str) -> dict:
    """The 75 and 95 lines, labelled, on a progress axis ("xAxis" for bars, "yAxis" for lines)."""
    return {
        "silent": True, "symbol": "none",
        "lineStyle": {"type": "dashed", "color": MUTED, "width": 1},
        "label": {"color": INK, "position": "start" if axis == "xAxis" else "end", "fontSize": 11},
        "data": [
            {axis: rules.yellow, "label": {"formatter": f"{rules.yellow:g}%"}},
            {axis: rules.green, "label": {"formatter": f"{rules.green:g}%"}},
        ],
    }


def _progress_max(values: Sequence[float | None]) -> float:
    top = max([v for v in values if v is not None] + [100.0])
    return float(-(-top // 10) * 10)


@dataclass(frozen=True)
class Bar:
    code: str
    name: str
    progress: float | None  # as published (already rounded)
    band: Band


def progress_bars(key: str, title: str, bars: Sequence[Bar], rules: RuleSet, what: str = "objetivo") -> Chart:
    """Avance per objective (OP, OEI, AEI…) as horizontal bars in band colours with the thresholds."""
    shown = [b for b in bars]
    data, tips = [], []
    for b in shown:
        text = numbers.progress(b.progress, rules)
        data.append({  # an ND bar has no length but keeps its label, so the gap reads "ND"
            "value": b.progress if b.progress is not None else 0, "name": b.code,
            "itemStyle": {"color": BAND_COLOURS[b.band], "decal": BAND_DECALS[b.band]},
            "label": {"show": True, "position": "right", "formatter": text if b.progress is not None else "ND", "color": INK},
        })
        tips.append(f"{b.code} {b.name}: avance {text} ({numbers.BAND_LEGEND[b.band]})")
    option = _base()
    option["grid"]["right"] = 72  # room for "100.00%" beside the longest bar
    option["tooltip"].update({"trigger": "item"})
    option["xAxis"] = {"type": "value", "min": 0, "max": _progress_max([b.progress for b in shown]),
                       "axisLabel": {"formatter": "{value}%", "color": MUTED}, "splitLine": {"lineStyle": {"color": GRID}}}
    option["yAxis"] = {"type": "category", "inverse": True, "data": [b.code for b in shown],
                       "axisLabel": {"color": INK, "fontWeight": 600}, "axisTick": {"show": False}}
    option["series"] = [{"type": "bar", "name": "Avance", "data": data, "barMaxWidth": 28, "markLine": _thresholds(rules, "xAxis")}]
    measured = [b for b in shown if b.progress is not None]
    lowest = min(measured, key=lambda b: b.progress) if measured else None
    highest = max(measured, key=lambda b: b.progress) if measured else None
    description = f"Gráfico de barras del avance de {len(shown)} {what}s, con las líneas de {rules.yellow:g}% y {rules.green:g}%."
    if lowest and highest:
        description += (f" El mayor avance es {highest.code} ({numbers.progress(highest.progress, rules)}) y el menor"
                        f" {lowest.code} ({numbers.progress(lowest.progress, rules)}).")
    return Chart(
        key, title, description, option,
        ["Código", "Denominación", "Avance", "Semáforo"],
        [[b.code, b.name, numbers.progress(b.progress, rules), numbers.BAND_LEGEND[b.band]] for b in shown],
        ["codigo", "denominacion", "avance", "semaforo"],
        [[b.code, b.name, b.progress, b.band.value] for b in shown],
        [tips], size="sm" if len(shown) <= 4 else ("md" if len(shown) <= 8 else "lg"), decimals=rules.decimals,
    )


def index_trend(key: str, title: str, points: Sequence[tuple[int, float | None, Band]], rules: RuleSet) -> Chart:
    """The índice de gestión per year as a line with band-shaped points; an ND year is a gap."""
    data, tips = [], []
    for year, value, band in points:
        text = numbers.progress(value, rules)
        data.append({"value": value, "symbol": BAND_SYMBOLS[band], "symbolSize": 12,
                     "itemStyle": {"color": BAND_COLOURS[band]},
                     "label": {"show": value is not None, "formatter": text, "position": "top", "color": INK}})
        tips.append(f"{year}: índice {text} ({numbers.BAND_LEGEND[band]})")
    option = _base()
    option["tooltip"].update({"trigger": "item"})
    option["grid"]["right"] = 48
    option["grid"]["top"] = 28
    option["xAxis"] = {"type": "category", "data": [str(y) for y, _, _ in points], "axisLabel": {"color": INK}, "boundaryGap": True}
    option["yAxis"] = {"type": "value", "min": 0, "max": _progress_max([v for _, v, _ in points]),
                       "axisLabel": {"formatter": "{value}%", "color": MUTED}, "splitLine": {"lineStyle": {"color": GRID}}}
    option["series"] = [{"type": "line", "name": "Índice de gestión", "data": data, "connectNulls": False,
                         "lineStyle": {"color": INK, "width": 2}, "markLine": _thresholds(rules, "yAxis")}]
    known = [(y, v) for y, v, _ in points if v is not None]
    description = f"Gráfico de línea del índice de gestión por año, de {points[0][0]} a {points[-1][0]}." if points else ""
    if known:
        description += " " + "; ".join(f"{y}: {numbers.progress(v, rules)}" for y, v in known) + "."
    return Chart(
        key, title, description, option,
        ["Año", "Índice de gestión", "Semáforo"],
        [[str(y), numbers.progress(v, rules), numbers.BAND_LEGEND[b]] for y, v, b in points],
        ["anio", "indice", "semaforo"], [[y, v, b.value] for y, v, b in points], [tips], size="sm", decimals=rules.decimals,
    )


def band_counts(key: str, title: str, counts: Sequence[tuple[str, Sequence[int]]], level_names: dict[str, str] | None = None) -> Chart:
    """How many elements of each level fall in each band: stacked bars, one per level."""
    names = level_names or {}
    levels = [level for level, _ in counts]
    series = []
    for k, band in enumerate(ORDER):
        values = [c[k] for _, c in counts]
        series.append({
            "type": "bar", "stack": "total", "name": numbers.BAND_LEGEND[band], "barMaxWidth": 30,
            "itemStyle": {"color": BAND_COLOURS[band], "decal": BAND_DECALS[band]},
            "label": {"show": True, "color": "#ffffff", "fontWeight": 600, "formatter": "{c}"},
            "data": [{"value": v, "label": {"show": v > 0}} for v in values],
        })
    tips = [[f"{names.get(level, level)} — {numbers.BAND_LEGEND[band]}: {c[k]}" for level, c in counts] for k, band in enumerate(ORDER)]
    option = _base()  # the page shows the legend beside the chart, where it wraps on a phone
    option["tooltip"].update({"trigger": "item"})
    option["xAxis"] = {"type": "value", "minInterval": 1, "axisLabel": {"color": MUTED}, "splitLine": {"lineStyle": {"color": GRID}}}
    option["yAxis"] = {"type": "category", "inverse": True, "data": [names.get(level, level) for level in levels],
                       "axisLabel": {"color": INK, "fontWeight": 600}}
    option["series"] = series
    description = "Barras apiladas con el número de elementos de cada nivel por color del semáforo. " + " ".join(
        f"{names.get(level, level)}: " + ", ".join(f"{n} {BAND_NAMES[b].lower()}" for b, n in zip(ORDER, c)) + "."
        for level, c in counts)
    return Chart(
        key, title, description, option,
        ["Nivel", *(numbers.BAND_LEGEND[b] for b in ORDER)],
        [[names.get(level, level), *(numbers.count(n) for n in c)] for level, c in counts],
        ["nivel", *(b.value for b in ORDER)], [[level, *c] for level, c in counts], tips,
        size="sm", unit="", decimals=0,
    )


# in the order of presentation.outlook.CLASSES: lograda, en camino, aceleración, estancado, sin meta, sin datos
OUTLOOK_COLOURS = ["#1a7f37", "#0b6e99", "#9a6700", "#b3261e", "#57606a", "#6e7781"]
OUTLOOK_DECALS = [_decal("circle"), _decal("diamond"), _decal("triangle"), _decal("rect"), _decal("pin"), _decal("none")]


def outlook_bars(key: str, title: str, groups: Sequence[tuple[str, str, dict[str, int]]], horizon: int) -> Chart:
    """Trajectory classes per objective (code, name, {class: count}): stacked bars, one per objective."""
    labels = list(groups[0][2]) if groups else []
    series, tips = [], []
    for k, label in enumerate(labels):
        values = [g[2][label] for g in groups]
        series.append({
            "type": "bar", "stack": "total", "name": label, "barMaxWidth": 30,
            "itemStyle": {"color": OUTLOOK_COLOURS[k % len(OUTLOOK_COLOURS)], "decal": OUTLOOK_DECALS[k % len(OUTLOOK_DECALS)]},
            "label": {"show": True, "color": "#ffffff", "fontWeight": 600, "formatter": "{c}"},
            "data": [{"value": v, "label": {"show": v > 0}} for v in values],
        })
        tips.append([f"{code} {name} — {label}: {g[label]} indicador{'es' if g[label] != 1 else ''}" for code, name, g in groups])
    option = _base()  # the counts above the chart are its legend
    option["tooltip"].update({"trigger": "item"})
    option["xAxis"] = {"type": "value", "minInterval": 1, "axisLabel": {"color": MUTED}, "splitLine": {"lineStyle": {"color": GRID}}}
    option["yAxis"] = {"type": "category", "inverse": True, "data": [code for code, _, _ in groups], "axisLabel": {"color": INK, "fontWeight": 600}}
    option["series"] = series
    totals = {label: sum(g[2][label] for g in groups) for label in labels}
    description = (f"Barras apiladas con los indicadores de cada objetivo según su perspectiva al {horizon}. En total: "
                   + ", ".join(f"{n} {label}" for label, n in totals.items()) + ".")
    return Chart(
        key, title, description, option,
        ["Objetivo", *labels], [[f"{code} {name}", *(numbers.count(g[label]) for label in labels)] for code, name, g in groups],
        ["objetivo", *labels], [[code, *(g[label] for label in labels)] for code, _, g in groups], tips,
        size="sm" if len(groups) <= 3 else "md", unit="", decimals=0,
    )


@dataclass(frozen=True)
class YearPoint:
    year: int
    target: float | None
    actual: float | None
    band: Band = Band.ND
    actual_text: str = ""  # as the page prints it (ND, SD, — or the number)
    target_text: str = ""


def evolution(key: str, title: str, points: Sequence[YearPoint], unit: str, decimals: int | None,
              baseline: tuple[int, float] | None = None, projection: dict[int, float] | None = None,
              horizon_targets: dict[int, float] | None = None) -> Chart:
    """An indicator over the years: target (dotted), obtained (solid, band-shaped points; a gap where
    there is no value), the baseline, and the trajectory projected to the horizon (dashed)."""
    projection = projection or {}
    extra_targets = horizon_targets or {}
    years = sorted({p.year for p in points} | set(projection) | set(extra_targets) | ({baseline[0]} if baseline else set()))
    by_year = {p.year: p for p in points}

    def fmt(v):
        return numbers.number(v, unit, decimals)

    def at(year, pick):
        p = by_year.get(year)
        return pick(p) if p else None

    targets = [at(y, lambda p: p.target) if y in by_year else extra_targets.get(y) for y in years]
    actuals = []
    for y in years:
        p = by_year.get(y)
        if p is None or p.actual is None:
            actuals.append(None)
        else:
            actuals.append({"value": p.actual, "symbol": BAND_SYMBOLS[p.band], "symbolSize": 11, "itemStyle": {"color": BAND_COLOURS[p.band]}})
    last_actual = max((p.year for p in points if p.actual is not None), default=None)
    projected = [None] * len(years)
    if projection and last_actual is not None:
        for k, y in enumerate(years):
            if y == last_actual:
                projected[k] = by_year[y].actual
            elif y in projection:
                projected[k] = projection[y]
    base = [baseline[1] if baseline and y == baseline[0] else None for y in years]
    suffix = "%" if unit in numbers.PERCENT_UNITS else ""
    option = _base(legend=True)
    option["tooltip"].update({"trigger": "axis"})
    option["grid"]["right"] = 16
    option["xAxis"] = {"type": "category", "data": [str(y) for y in years], "axisLabel": {"color": INK}, "boundaryGap": True}
    option["yAxis"] = {"type": "value", "scale": False, "axisLabel": {"formatter": "{value}" + suffix, "color": MUTED},
                       "splitLine": {"lineStyle": {"color": GRID}}}
    series = [
        {"type": "line", "name": "Logro esperado", "data": targets, "connectNulls": False, "symbol": "diamond", "symbolSize": 9,
         "itemStyle": {"color": "#0b4f8a"}, "lineStyle": {"type": "dotted", "width": 2, "color": "#0b4f8a"}},
        {"type": "line", "name": "Valor obtenido", "data": actuals, "connectNulls": False,
         "itemStyle": {"color": INK}, "lineStyle": {"width": 2.5, "color": INK}},
    ]
    if baseline:
        series.append({"type": "scatter", "name": "Línea de base", "data": base, "symbol": "pin", "symbolSize": 20,
                       "itemStyle": {"color": "#57606a"}})
    if projection:
        series.append({"type": "line", "name": "Proyección (tendencia)", "data": projected, "connectNulls": True, "symbol": "none",
                       "lineStyle": {"type": "dashed", "width": 2, "color": "#8250df"}, "itemStyle": {"color": "#8250df"}})
    option["legend"]["data"] = [s["name"] for s in series]
    option["series"] = series

    def tip(series_name, values, texts=None):
        return [f"{y} — {series_name}: {(texts or {}).get(y) or (fmt(v) if v is not None else numbers.ABSENT_LABEL)}"
                for y, v in zip(years, values)]

    actual_texts = {p.year: (p.actual_text or fmt(p.actual) if p.actual is not None else p.actual_text) for p in points}
    target_texts = {p.year: p.target_text for p in points if p.target_text}
    tips = [tip("Logro esperado", targets, target_texts),
            tip("Valor obtenido", [p.actual if (p := by_year.get(y)) else None for y in years], actual_texts)]
    if baseline:
        tips.append([f"{y} — Línea de base: {fmt(baseline[1])}" if y == baseline[0] else "" for y in years])
    if projection:
        tips.append([f"{y} — Proyección: {fmt(v)}" if v is not None else "" for y, v in zip(years, projected)])
    rows, csv_rows = [], []
    for y, t, v, pr in zip(years, targets, [by_year[y].actual if y in by_year else None for y in years], projected):
        p = by_year.get(y)
        rows.append([str(y),
                     target_texts.get(y) or (fmt(t) if t is not None else numbers.ABSENT),
                     actual_texts.get(y) or (fmt(v) if v is not None else numbers.ABSENT),
                     fmt(pr) if pr is not None and y != last_actual else "",
                     fmt(baseline[1]) if baseline and y == baseline[0] else ""])
        csv_rows.append([y, t, v, pr if y != last_actual else None, baseline[1] if baseline and y == baseline[0] else None,
                         p.band.value if p and p.actual is not None else ""])
    known = [(p.year, p.actual) for p in points if p.actual is not None]
    description = f"Gráfico de líneas del logro esperado y del valor obtenido por año ({years[0]}–{years[-1]})." if years else ""
    if known:
        description += f" Primer valor obtenido: {fmt(known[0][1])} en {known[0][0]}; último: {fmt(known[-1][1])} en {known[-1][0]}."
    if projection:
        end = max(projection)
        description += f" Al ritmo observado llegaría a {fmt(projection[end])} en {end} (línea discontinua)."
    return Chart(
        key, title, description, option,
        ["Año", "Logro esperado", "Valor obtenido", "Proyección", "Línea de base"], rows,
        ["anio", "logro_esperado", "valor_obtenido", "proyeccion", "linea_de_base", "semaforo"], csv_rows, tips,
        size="md", unit=suffix, decimals=numbers.decimals_for(unit, decimals),
    )


# Maps -----------------------------------------------------------------------------------------------

SCALE = ["#deebf7", "#6baed6", "#08306b"]  # light to dark blue: a measure without a target
NO_DATA = "#eaeef2"


@dataclass(frozen=True)
class Region:
    """One area of a choropleth: its feature id (department ubigeo), name, figure and, where the
    indicator has a target, its band; `group` names what the area is coloured by (its office)."""

    code: str
    name: str
    value: float | None
    text: str
    band: Band | None = None
    group: str = ""


def choropleth(key: str, title: str, regions: Sequence[Region], geo: dict, label: str, suffix: str, decimals: int,
               columns: Sequence[str], rows: Sequence[Sequence[str]], csv_columns: Sequence[str], csv_rows: Sequence[Sequence]) -> Chart:
    """A map of Peru by department (features named by `geo["id"]`): band colours and shapes where a
    target exists, else a blue scale; the table and CSV are the caller's (by department or office)."""
    banded = any(r.band is not None for r in regions)
    data, tips = [], []
    for r in regions:
        item = {"name": r.code, "value": r.value}
        if banded and r.band is not None and r.value is not None:
            item["itemStyle"] = {"areaColor": BAND_COLOURS[r.band], "decal": BAND_DECALS[r.band]}
        data.append(item)
        where = f"{r.name} ({r.group})" if r.group else r.name
        tips.append(f"{where}: {label} {r.text}" + (f" ({numbers.BAND_LEGEND[r.band]})" if banded and r.band else ""))
    option = {"textStyle": {"fontFamily": FONT, "color": INK}, "tooltip": {"confine": True, "trigger": "item"}}
    option["series"] = [{
        "type": "map", "map": geo["name"], "nameProperty": geo["id"], "roam": False, "selectedMode": False,
        "layoutCenter": ["50%", "50%"], "layoutSize": "95%",
        "label": {"show": False}, "itemStyle": {"borderColor": "#ffffff", "borderWidth": 0.8, "areaColor": NO_DATA},
        "emphasis": {"label": {"show": False}, "itemStyle": {"borderColor": INK, "borderWidth": 1.5}},
        "data": data,
    }]
    known = [r.value for r in regions if r.value is not None]
    if known and not banded:
        low, high = min(known), max(known)
        option["visualMap"] = {"type": "continuous", "min": low, "max": high if high > low else low + 1, "left": 0, "bottom": 0,
                               "calculable": False, "inRange": {"color": SCALE}, "itemHeight": 90,
                               "text": [numbers.grouped(high, decimals) + suffix, numbers.grouped(low, decimals) + suffix],
                               "textStyle": {"color": INK}, "seriesIndex": 0}
    shown = [r for r in regions if r.value is not None]
    description = f"Mapa del Perú por departamento: {label}."
    if shown:
        top, bottom = max(shown, key=lambda r: r.value), min(shown, key=lambda r: r.value)
        description += f" El valor más alto es {top.name} ({top.text}) y el más bajo {bottom.name} ({bottom.text})."
    if banded:
        description += " Colores y formas del semáforo según el logro esperado."
    return Chart(key, title, description, option, list(columns), [list(r) for r in rows], list(csv_columns),
                 [list(r) for r in csv_rows], [tips], size="lg", unit=suffix, decimals=decimals, geo=geo)


def monthly(key: str, title: str, points: Sequence[tuple[str, float | None, str]], label: str, suffix: str, decimals: int,
            target: tuple[str, float] | None = None) -> Chart:
    """A measure month by month (label, value, text): a line with a gap where there is no value;
    the indicator's target, if any, as a dotted line."""
    option = _base(legend=bool(target))
    option["tooltip"].update({"trigger": "axis"})
    option["grid"]["right"] = 16
    option["xAxis"] = {"type": "category", "data": [p[0] for p in points], "axisLabel": {"color": INK}, "boundaryGap": False}
    option["yAxis"] = {"type": "value", "scale": True, "axisLabel": {"formatter": "{value}" + suffix, "color": MUTED},
                       "splitLine": {"lineStyle": {"color": GRID}}}
    series = [{"type": "line", "name": label, "data": [p[1] for p in points], "connectNulls": False, "symbol": "circle",
               "symbolSize": 5, "showSymbol": len(points) <= 24, "itemStyle": {"color": INK}, "lineStyle": {"width": 2, "color": INK}}]
    tips = [[f"{p[0]} — {label}: {p[2]}" for p in points]]
    if target:
        series.append({"type": "line", "name": f"Logro esperado {target[0]}", "data": [target[1]] * len(points), "symbol": "none",
                       "lineStyle": {"type": "dotted", "width": 2, "color": "#0b4f8a"}, "itemStyle": {"color": "#0b4f8a"}})
        text = numbers.grouped(target[1], decimals) + suffix
        tips.append([f"Logro esperado {target[0]}: {text}"] * len(points))
        option["legend"]["data"] = [s["name"] for s in series]
    option["series"] = series
    known = [p for p in points if p[1] is not None]
    description = f"Gráfico de línea de {label} por mes, de {points[0][0]} a {points[-1][0]}." if points else ""
    if known:
        description += f" Primer valor {known[0][2]} ({known[0][0]}); último {known[-1][2]} ({known[-1][0]})."
    return Chart(key, title, description, option, ["Mes", label], [[p[0], p[2]] for p in points], ["mes", "valor"],
                 [[p[0], p[1]] for p in points], tips, size="md", unit=suffix, decimals=decimals)
