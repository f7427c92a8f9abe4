"""Alerts (a)-(d) as pages show them: each item's figures in the ficha's unit and decimals
("27.20% en 2023 → 18.38% en 2024"), the avance with its rule set's decimals, and sources named
by their documents."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigia.datasets import Dataset
from vigia.methodology.alerts import Alert
from vigia.methodology.rules import RuleSet

from . import numbers
from .sources import replace_citations


_SOURCE_PREFIX = re.compile(r"Alerta [a-d] \(\d{3}\):\s*(\w?)")


@dataclass(frozen=True)
class ShownItem:
    code: str
    name: str
    figures: str  # "avance 4.0%", "27.20% en 2023 → 18.38% en 2024"
    detail: str


@dataclass(frozen=True)
class ShownAlert:
    kind: str
    title: str
    items: tuple[ShownItem, ...]

    @property
    def text(self) -> str:
        """The alert as one paragraph (API, documents): every item with its figures in the house style."""
        parts = []
        for i in self.items:
            extra = "; ".join(x for x in (i.figures, i.detail.strip().rstrip(".")) if x)
            parts.append(f"{i.code} “{i.name}”" + (f" ({extra})" if extra else ""))
        return f"{self.title}: " + "; ".join(parts) + "."


def _figures(f: dict, unit: str, decimals: int | None, year: int, rules: RuleSet) -> str:
    def value(v):
        return numbers.number(v, unit, decimals)

    if "avance" in f:
        return f"avance {numbers.progress(f['avance'], rules)}"
    if "anterior" in f:
        return f"{value(f['anterior'])} en {year - 1} → {value(f['actual'])} en {year}"
    if "esperado" in f:
        parts = [f"logro esperado {value(f['esperado'])}" if f["esperado"] is not None else "",
                 f"valor obtenido {value(f['obtenido'])}" if f["obtenido"] is not None else ""]
        return "; ".join(p for p in parts if p)
    return ""


def shown(alerts: list[Alert], ds: Dataset, year: int, rules: RuleSet) -> list[ShownAlert]:
    specs = {i.code: i for i in ds.indicator_specs}
    out = []
    for a in alerts:
        items = []
        for item in a.items:
            spec = specs.get(item.code)
            unit, decimals = (spec.unit, spec.decimals) if spec else ("number", None)
            detail = _SOURCE_PREFIX.sub(lambda m: m.group(1).upper(), item.detail)  # the alert itself is the context
            items.append(ShownItem(item.code, item.name, _figures(item.figures, unit, decimals, year, rules),
                                   replace_citations(detail[:1].upper() + detail[1:], ds)))
        out.append(ShownAlert(a.kind, a.title, tuple(items)))
    return out
