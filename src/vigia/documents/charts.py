"""Charts as plain SVG, written directly: Spanish labels, decimal point, nice ticks, legible in greyscale.

Drawing a chart is string building (a millisecond), so the documents, the PDF engine (which
embeds the SVG as vectors) and the web pages share one figure without a plotting library. Every
series is told apart by line style and marker shape as well as colour; a band is a marker shape
plus its word in the legend; a missing year leaves a gap in the line, never a bridge.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from vigia.methodology.bands import Band
from vigia.presentation import numbers

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
INK, GRID, EXPECTED, OBTAINED = "#1b1b1b", "#d0d0d0", "#5f6b73", "#0d47a1"
BAND_COLOURS = {Band.GREEN: "#1a7f37", Band.YELLOW: "#b58100", Band.RED: "#c62828", Band.ND: "#757575"}
BAND_MARKERS = {Band.GREEN: "circle", Band.YELLOW: "triangle", Band.RED: "square", Band.ND: "cross"}
BAND_WORDS = {Band.GREEN: "verde (≥ 95%)", Band.YELLOW: "amarillo (75% a < 95%)", Band.RED: "rojo (< 75%)"}
HATCH = {Band.GREEN: "", Band.YELLOW: "hatch-diag", Band.RED: "hatch-cross", Band.ND: "hatch-dots"}


def nice_ticks(lo: float, hi: float, count: int = 5, whole: bool = False) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × 10ⁿ steps) from at or below ``lo`` to at or above ``hi``; never
    0.8/1.2-style labels. ``whole``: a count, whose steps are whole numbers (0, 1, 2, never 0.25)."""
    if hi < lo:
        lo, hi = hi, lo
    if math.isclose(lo, hi):
        pad = abs(hi) * 0.5 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole and step != int(step):
        step = 1 if step < 1 else 5 * power  # 2.5 → 5: a count has no quarter ticks
    start = math.floor(lo / step + 1e-9) * step
    ticks = [round(start, 10)]
    while ticks[-1] < hi - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _tick_label(value: float, ticks: list[float], percentage: bool) -> str:
    """Every tick with the decimals of the step (0.25 → two), so labels read 0.75, 1.00, 1.25."""
    step = f"{(ticks[1] - ticks[0]) if len(ticks) > 1 else 1:g}"
    text = numbers.grouped(value, len(step.split(".")[1]) if "." in step else 0)
    return f"{text}%" if percentage else text


def _value_label(value: float, percentage: bool, decimals: int | None) -> str:
    return numbers.number(value, "percentage" if percentage else "number", decimals)


class _Svg:
    """A tiny SVG writer: shapes and text in user units (1 unit = 1 pt at 100% scale)."""

    def __init__(self, width: float, height: float, title: str):
        self.width, self.height, self.parts = width, height, []
        self.title = title

    def add(self, fragment: str) -> None:
        self.parts.append(fragment)

    def text(self, x, y, s, size=8.0, anchor="start", weight="normal", fill=INK, rotate=None, halo=False) -> None:
        """``halo``: a white outline under the glyphs, so a value label stays legible over a line or a bar."""
        turn = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate else ""
        outline = ' stroke="#ffffff" stroke-width="2.4" stroke-linejoin="round" paint-order="stroke"' if halo else ""
        self.add(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
                 f'fill="{fill}"{turn}{outline}>{escape(s)}</text>')

    def line(self, x1, y1, x2, y2, stroke=INK, width=0.6, dash="") -> None:
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" stroke-width="{width}"{d}/>')

    def marker(self, kind: str, x: float, y: float, fill: str, r: float = 3.6) -> None:
        if kind == "circle":
            self.add(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}" stroke="{INK}" stroke-width="0.6"/>')
        elif kind == "square":
            self.add(f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" fill="{fill}" stroke="{INK}" stroke-width="0.6"/>')
        elif kind == "triangle":
            self.add(f'<polygon points="{x:.1f},{y - r - 0.6:.1f} {x - r - 0.4:.1f},{y + r - 0.6:.1f} {x + r + 0.4:.1f},{y + r - 0.6:.1f}" '
                     f'fill="{fill}" stroke="{INK}" stroke-width="0.6"/>')
        elif kind == "diamond":
            self.add(f'<polygon points="{x:.1f},{y - r:.1f} {x - r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x + r:.1f},{y:.1f}" '
                     f'fill="{fill}" stroke="{INK}" stroke-width="0.6"/>')
        else:  # cross
            self.line(x - r, y - r, x + r, y + r, fill, 1.4)
            self.line(x - r, y + r, x + r, y - r, fill, 1.4)

    def bytes(self) -> bytes:
        defs = ('<defs>'
                '<pattern id="hatch-diag" width="4" height="4" patternUnits="userSpaceOnUse"><path d="M0,4 L4,0" stroke="#000" stroke-width="0.5"/></pattern>'
                '<pattern id="hatch-cross" width="4" height="4" patternUnits="userSpaceOnUse"><path d="M0,0 L4,4 M0,4 L4,0" stroke="#000" stroke-width="0.5"/></pattern>'
                '<pattern id="hatch-dots" width="4" height="4" patternUnits="userSpaceOnUse"><circle cx="2" cy="2" r="0.6" fill="#000"/></pattern>'
                '</defs>')
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width:.0f}pt" height="{self.height:.0f}pt" '
                f'viewBox="0 0 {self.width:.1f} {self.height:.1f}" font-family="{FONT}" role="img">'
                f'<title>{escape(self.title)}</title>{defs}<rect width="100%" height="100%" fill="#ffffff"/>')
        return (head + "".join(self.parts) + "</svg>").encode("utf-8")


def _legend(svg: _Svg, items: list[tuple[str, str, str]], y: float, x0: float = 40.0) -> None:
    """One row of legend entries: (kind, colour, label); kind is a marker, 'dash', 'solid' or 'dotted'."""
    x = x0
    for kind, colour, label in items:
        if kind in ("dash", "solid", "dotted"):
            dash = {"dash": "5 3", "dotted": "1.5 2.5", "solid": ""}[kind]
            svg.line(x, y - 2.5, x + 16, y - 2.5, colour, 1.6 if kind == "solid" else 1.1, dash)
            x += 20
        else:
            svg.marker(kind, x + 4, y - 2.5, colour, 3.2)
            x += 11
        svg.text(x, y, label, 7.2)
        x += 5.0 * len(label) * 0.72 + 14


def evolution(
    title: str,
    years: list[int],
    targets: list[float | None],
    actuals: list[float | None],
    bands: list[Band],
    baseline: float | None = None,
    baseline_year: int | None = None,
    percentage: bool = False,
    decimals: int | None = None,
    whole: bool = False,
):
    """Expected vs obtained per year, each obtained point shaped by its band.

    With fewer than two years holding a value the chart is the compact expected-vs-obtained
    comparison of the one year instead: a single point on an axis is no evolution."""
    held = [y for y, t, a in zip(years, targets, actuals) if t is not None or a is not None]
    if len(held) < 2:
        k = years.index(held[0]) if held else len(years) - 1
        return comparison(title, years[k] if years else 0, targets[k] if targets else None, actuals[k] if actuals else None,
                          bands[k] if bands else Band.ND, percentage, decimals, whole)
    first, last = years.index(held[0]), years.index(held[-1])
    years, targets, actuals, bands = years[first:last + 1], targets[first:last + 1], actuals[first:last + 1], bands[first:last + 1]
    values = [v for v in (*targets, *actuals, baseline) if v is not None]
    ticks = nice_ticks(min(0.0, min(values)), max(values) * 1.08 if max(values) > 0 else 1.0, whole=whole)
    W, H, left, right, top, bottom = 470.0, 250.0, 52.0, 14.0, 26.0, 62.0
    svg = _Svg(W, H, title)
    svg.text(4, 13, title, 8.6, weight="bold")
    lo, hi = ticks[0], ticks[-1]
    px = lambda k: left + (W - left - right) * (k + 0.5) / len(years)  # noqa: E731
    py = lambda v: H - bottom - (H - bottom - top) * (v - lo) / (hi - lo)  # noqa: E731
    for t in ticks:
        svg.line(left, py(t), W - right, py(t), GRID, 0.5)
        svg.text(left - 4, py(t) + 2.6, _tick_label(t, ticks, percentage), 7.2, "end")
    svg.line(left, H - bottom, W - right, H - bottom, INK, 0.8)
    for k, y in enumerate(years):
        svg.text(px(k), H - bottom + 11, str(y), 7.4, "middle")
    svg.text(12, (top + H - bottom) / 2, "Porcentaje" if percentage else "Valor", 7.4, "middle", rotate=-90)
    if baseline is not None:
        svg.line(left, py(baseline), W - right, py(baseline), "#6d4c41", 1.0, "1.5 2.5")
    _polyline(svg, [(px(k), py(t)) if t is not None else None for k, t in enumerate(targets)], EXPECTED, 1.2, "5 3")
    _polyline(svg, [(px(k), py(a)) if a is not None else None for k, a in enumerate(actuals)], OBTAINED, 1.8, "")
    for k, t in enumerate(targets):
        if t is not None:
            svg.marker("diamond", px(k), py(t), "#ffffff", 3.0)
    for k, (a, b) in enumerate(zip(actuals, bands)):
        if a is not None:
            svg.marker(BAND_MARKERS[b], px(k), py(a), BAND_COLOURS[b])
            svg.text(px(k), py(a) - 6.5, _value_label(a, percentage, decimals), 7.0, "middle", halo=True)
    legend = [("dash", EXPECTED, "Logro esperado"), ("solid", OBTAINED, "Valor obtenido")]
    if baseline is not None:
        legend.append(("dotted", "#6d4c41", f"Línea de base{f' ({baseline_year})' if baseline_year else ''}: "
                                            f"{_value_label(baseline, percentage, decimals)}"))
    _legend(svg, legend, H - 30)
    shown = [b for b in (Band.GREEN, Band.YELLOW, Band.RED, Band.ND) if any(b is x and a is not None for x, a in zip(bands, actuals))]
    _legend(svg, [(BAND_MARKERS[b], BAND_COLOURS[b], _band_label(b)) for b in shown], H - 14)
    return svg.bytes()


def _band_label(band: Band) -> str:
    return "Sin avance (ND)" if band is Band.ND else f"Avance {BAND_WORDS[band]}"


def _polyline(svg: _Svg, points: list[tuple[float, float] | None], colour: str, width: float, dash: str) -> None:
    """Lines between consecutive years that both have a value: a missing year breaks the line."""
    run: list[tuple[float, float]] = []
    for p in [*points, None]:
        if p is None:
            if len(run) > 1:
                d = f' stroke-dasharray="{dash}"' if dash else ""
                pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                svg.add(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{width}"{d}/>')
            run = []
        else:
            run.append(p)


def comparison(title: str, year: int, target: float | None, actual: float | None, band: Band, percentage: bool = False,
               decimals: int | None = None, whole: bool = False):
    """The one year that has values: expected and obtained as two labelled bars."""
    W, H, left, right = 470.0, 118.0, 118.0, 70.0
    svg = _Svg(W, H, title)
    svg.text(4, 13, title, 8.6, weight="bold")
    values = [v for v in (target, actual) if v is not None]
    ticks = nice_ticks(0.0, max(values) if values and max(values) > 0 else 1.0, 5, whole)
    span = ticks[-1] - ticks[0]
    px = lambda v: left + (W - left - right) * (v - ticks[0]) / span  # noqa: E731
    top, bar = 26.0, 18.0
    for t in ticks:
        svg.line(px(t), top - 2, px(t), top + 2 * bar + 16, GRID, 0.5)
        svg.text(px(t), top + 2 * bar + 26, _tick_label(t, ticks, percentage), 7.0, "middle")
    rows = ((f"Logro esperado {year}", target, "#ffffff", ""), (f"Valor obtenido {year}", actual, BAND_COLOURS[band], HATCH[band]))
    for k, (label, value, fill, hatch) in enumerate(rows):
        y = top + k * (bar + 8)
        svg.text(left - 6, y + bar / 2 + 2.8, label, 7.6, "end")
        if value is None:
            svg.text(left + 4, y + bar / 2 + 2.8, "ND", 7.6)
            continue
        w = max(px(value) - left, 0.8)
        svg.add(f'<rect x="{left:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar}" fill="{fill}" stroke="{INK}" stroke-width="0.7"/>')
        if hatch:
            svg.add(f'<rect x="{left:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar}" fill="url(#{hatch})" stroke="none"/>')
        svg.text(left + w + 4, y + bar / 2 + 2.8, _value_label(value, percentage, decimals), 7.6, weight="bold")
    svg.line(left, top - 4, left, top + 2 * bar + 12, INK, 0.8)
    svg.text(4, H - 6, f"{_band_label(band)}." if actual is not None and target is not None else "", 7.2)
    return svg.bytes()


def objectives(
    title: str,
    codes: list[str],
    progress: list[float | None],
    bands: list[Band],
    decimals: int = 1,
    clip: float | None = None,
):
    """Horizontal bars of progress per element, with the 75% and 95% band thresholds drawn and named.

    ``clip`` cuts bars longer than it (the label keeps the true value and ▸ marks the cut)."""
    W, row = 470.0, 17.0
    top = 26.0
    H = top + row * len(codes) + 52
    left, right = 74.0, 96.0
    svg = _Svg(W, H, title)
    svg.text(4, 13, title, 8.6, weight="bold")
    values = [p or 0.0 for p in progress]
    shown = [min(v, clip) if clip else v for v in values]
    ticks = nice_ticks(0.0, max([100.0, *shown]), 6)
    px = lambda v: left + (W - left - right) * v / ticks[-1]  # noqa: E731
    bottom = top + row * len(codes)
    for t in ticks:
        svg.line(px(t), top - 2, px(t), bottom, GRID, 0.5)
        svg.text(px(t), bottom + 10, f"{numbers.grouped(t, 0)}%", 7.0, "middle")
    for threshold, dash in ((75, "4 2"), (95, "1.5 2")):
        svg.line(px(threshold), top - 4, px(threshold), bottom, INK, 0.9, dash)
    for k, (code, p, s, b) in enumerate(zip(codes, progress, shown, bands)):
        y = top + k * row + 3
        svg.text(left - 5, y + 8.5, code, 7.4, "end")
        if p is None:
            svg.text(left + 4, y + 8.5, "ND (sin avance)", 7.2)
            continue
        w = max(px(s) - left, 0.8)
        svg.add(f'<rect x="{left:.1f}" y="{y:.1f}" width="{w:.1f}" height="{row - 6}" fill="{BAND_COLOURS[b]}" stroke="{INK}" stroke-width="0.6"/>')
        if HATCH[b]:
            svg.add(f'<rect x="{left:.1f}" y="{y:.1f}" width="{w:.1f}" height="{row - 6}" fill="url(#{HATCH[b]})" stroke="none"/>')
        cut = " ▸" if clip and p > clip else ""
        svg.text(left + w + 3, y + 8.5, f"{numbers.grouped(round(p, decimals), decimals)}%{cut} ({b.value})", 7.2, halo=True)
    svg.line(left, top - 4, left, bottom, INK, 0.8)
    svg.text(px(ticks[-1]) / 2 + left / 2, bottom + 21, "Avance (%)", 7.4, "middle")
    _legend(svg, [("dash", INK, "Umbral amarillo: 75%"), ("dotted", INK, "Umbral verde: 95%")], H - 10, left)
    return svg.bytes()
