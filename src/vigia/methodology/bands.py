"""Semáforo: the band of a progress value, and band counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import Enum

import numpy as np

from .rules import RuleSet


class Band(str, Enum):
    RED = "rojo"
    YELLOW = "amarillo"
    GREEN = "verde"
    ND = "ND"

    @property
    def label(self) -> str:
        """The band in words, so that colour is never the only cue."""
        return _LABELS[self]

    @property
    def range(self) -> str:
        return _RANGES[self]


_LABELS = {
    Band.RED: "Rojo (< 75 %)",
    Band.YELLOW: "Amarillo (75 % a < 95 %)",
    Band.GREEN: "Verde (≥ 95 %)",
    Band.ND: "Gris (ND)",
}
_RANGES = {Band.RED: "[0-75%>", Band.YELLOW: "[75-95%>", Band.GREEN: "≥ 95%", Band.ND: "ND"}
ORDER = (Band.RED, Band.YELLOW, Band.GREEN, Band.ND)  # the column order of seed 003


def displayed(progress: float | None, rules: RuleSet) -> float | None:
    """The progress as a report publishes it (rounded half away from zero)."""
    if progress is None or np.isnan(progress):
        return None
    q = 10**rules.decimals
    return float(np.sign(progress) * np.floor(abs(progress) * q + 0.5) / q)


def band_of(progress: float | None, rules: RuleSet) -> Band:
    shown = displayed(progress, rules)
    if shown is None:
        return Band.ND
    if shown >= rules.green:
        return Band.GREEN
    if shown >= rules.yellow:
        return Band.YELLOW
    return Band.RED


def bands_of(progress: np.ndarray, rules: RuleSet) -> np.ndarray:
    """Vectorised band codes: 0 red, 1 yellow, 2 green, 3 ND."""
    q = 10**rules.decimals
    with np.errstate(invalid="ignore"):
        shown = np.sign(progress) * np.floor(np.abs(progress) * q + 0.5) / q
        codes = np.where(shown >= rules.green, 2, np.where(shown >= rules.yellow, 1, 0))
    return np.where(np.isnan(progress), 3, codes).astype(np.int8)


def count(bands: Iterable[Band]) -> dict[Band, int]:
    c = Counter(bands)
    return {b: c.get(b, 0) for b in ORDER}
