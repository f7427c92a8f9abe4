"""Charts in the seeds' style: Spanish labels, decimal point, legible in greyscale.

Used by the web pages (SVG) and the generated reports (SVG/PNG), so both show the same figure.
"""

from __future__ import annotations

import io
import threading

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from vigia.methodology.bands import Band  # noqa: E402

_lock = threading.Lock()  # pyplot's state is global: one figure at a time
BAND_COLOURS = {Band.GREEN: "#1a7f37", Band.YELLOW: "#b58100", Band.RED: "#c62828", Band.ND: "#757575"}
BAND_MARKERS = {Band.GREEN: "o", Band.YELLOW: "^", Band.RED: "s", Band.ND: "x"}

plt.rcParams.update({
    "font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
    "svg.fonttype": "none", "axes.formatter.use_locale": False,
    "svg.hashsalt": "vigia",  # stable element ids: the same data give the same SVG (and PDF)
})

Formats = str | tuple[str, ...]


def _render(fig, fmt: Formats, tight: bool = True) -> bytes | dict[str, bytes]:
    """The figure as ``fmt`` bytes, or as {format: bytes} when ``fmt`` is a tuple (one figure, saved in each).

    ``tight`` crops to the drawn content (one extra draw, computed once for all formats); a
    figure laid out with fixed margins skips it."""
    try:
        bbox = fig.get_tightbbox(fig.canvas.get_renderer()).padded(0.1) if tight else None
        out = {}
        for f in (fmt,) if isinstance(fmt, str) else fmt:
            buf = io.BytesIO()
            meta = {"Date": None} if f == "svg" else {"Software": None} if f == "png" else None
            fig.savefig(buf, format=f, bbox_inches=bbox, dpi=150 if tight else 130, metadata=meta)
            out[f] = buf.getvalue()
    finally:
        plt.close(fig)
    return out[fmt] if isinstance(fmt, str) else out


def _value_formatter(percentage: bool):
    return FuncFormatter(lambda v, _: f"{v:,.1f}%".replace(".0%", "%") if percentage else f"{v:,.2f}".rstrip("0").rstrip("."))


def evolution(
    title: str,
    years: list[int],
    targets: list[float | None],
    actuals: list[float | None],
    bands: list[Band],
    baseline: float | None = None,
    baseline_year: int | None = None,
    percentage: bool = False,
    fmt: Formats = "svg",
) -> bytes | dict[str, bytes]:
    """Expected vs obtained per year, the baseline as a line, each obtained point marked by its band.

    ``fmt`` is one format ("svg", "png") or a tuple of formats (then a dict format -> bytes)."""
    with _lock:
        fig, ax = plt.subplots(figsize=(6.6, 3.7))
        # fixed margins (no tight-bbox pass): title on top, the legend in the bottom band
        fig.subplots_adjust(left=0.12, right=0.98, top=0.9, bottom=0.33)
        ty = [(y, t) for y, t in zip(years, targets) if t is not None]
        if ty:
            ax.plot([y for y, _ in ty], [t for _, t in ty], linestyle="--", color="#37474f", marker="D", markersize=4, label="Logro esperado")
        ay = [(y, a, b) for y, a, b in zip(years, actuals, bands) if a is not None]
        if ay:
            ax.plot([y for y, _, _ in ay], [a for _, a, _ in ay], linestyle="-", color="#0d47a1", linewidth=2, label="Valor obtenido")
            for band in Band:
                pts = [(y, a) for y, a, b in ay if b is band]
                if pts:
                    ax.scatter([p[0] for p in pts], [p[1] for p in pts], marker=BAND_MARKERS[band], s=55, zorder=3,
                               color=BAND_COLOURS[band], edgecolor=None if BAND_MARKERS[band] == "x" else "black", linewidth=0.6,
                               label=f"Avance: {band.label}")
            for y, a, _ in ay:
                ax.annotate(_label(a, percentage), (y, a), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=7.5)
        if baseline is not None:
            ax.axhline(baseline, color="#6d4c41", linestyle=":", linewidth=1.2,
                       label=f"Línea de base{f' ({baseline_year})' if baseline_year else ''}: {_label(baseline, percentage)}")
        ax.set_xticks(years)
        ax.set_xticklabels([str(y) for y in years])
        if len(years) == 1:  # one year: keep the point in the middle, not on the frame
            ax.set_xlim(years[0] - 1, years[0] + 1)
        ax.yaxis.set_major_formatter(_value_formatter(percentage))
        ax.margins(y=0.15)  # room for the value labels above the highest point
        ax.set_xlabel("Año")
        ax.set_ylabel("Porcentaje" if percentage else "Valor")
        fig.suptitle(title, x=0.01, y=0.985, ha="left", va="top", fontsize=9.5)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        handles, labels = ax.get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=2, frameon=False, fontsize=7.5)
        return _render(fig, fmt, tight=False)


def objectives(
    title: str,
    codes: list[str],
    progress: list[float | None],
    bands: list[Band],
    fmt: Formats = "svg",
    decimals: int = 1,
    clip: float | None = None,
) -> bytes | dict[str, bytes]:
    """Horizontal bars of progress per objective, with the 75 % and 95 % thresholds.

    ``decimals`` as the plan publishes them; ``clip`` cuts bars longer than it (the label keeps
    the true value and a ▸ marks the cut), so one 1666.7 % does not flatten every other bar."""
    with _lock:
        fig, ax = plt.subplots(figsize=(6.4, 0.45 * len(codes) + 1.2))
        values = [p or 0.0 for p in progress]
        shown = [min(v, clip) if clip else v for v in values]
        hatches = {Band.GREEN: "", Band.YELLOW: "//", Band.RED: "xx", Band.ND: ".."}
        bars = ax.barh(codes, shown, color=[BAND_COLOURS[b] for b in bands], edgecolor="black", linewidth=0.6)
        for bar, band in zip(bars, bands):
            bar.set_hatch(hatches[band])
        for y, (p, s, b) in enumerate(zip(progress, shown, bands)):
            cut = " ▸" if p is not None and clip and p > clip else ""
            ax.text(s + 1, y, "ND" if p is None else f"{p:.{decimals}f}%{cut} ({b.value})", va="center", fontsize=8,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0}, zorder=4)
        for threshold in (75, 95):
            ax.axvline(threshold, color="#424242", linestyle=":", linewidth=1)
        ax.invert_yaxis()
        ax.set_xlim(0, max([100.0, *shown]) * 1.25)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}%"))
        ax.set_xlabel("Avance (%)")
        ax.set_title(title, loc="left", fontsize=10)
        return _render(fig, fmt)


def _label(value: float, percentage: bool) -> str:
    return f"{value:,.2f}%" if percentage else f"{value:,.2f}".rstrip("0").rstrip(".")
