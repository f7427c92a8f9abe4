"""What changed between two states of a plan: levels, elements, indicator fichas and figures
added, removed or changed. The version history and the preview of an upload both show it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .loader import Dataset, Record
from .workbook import layout as L

ADDED, REMOVED, CHANGED = "agregado", "eliminado", "cambiado"
PROGRAMME = ("baseline", "target")  # what a version of a plan defines, besides its structure
PLAN_LABELS = {"name": "nombre", "kind": "tipo de plan", "ruleset": "reglas de cálculo", "entity": "entidad",
               "entity_name": "nombre de la entidad", "period": "periodo", "current_vintage": "edición vigente",
               "texts": "textos", "vintages": "ediciones"}
ELEMENT_LABELS = {"level": "nivel", "name": "denominación", "parent": "depende de", "aligned_to": "articulación",
                  "attributes": "atributos", "texts": "textos"}
LEVEL_LABELS = {"name": "nombre", "parent": "depende de", "indicator_prefix": "prefijo de indicadores"}
FICHA_LABELS = {key: label.lower() for label, key in L.FICHA_COLUMNS} | {"texts": "textos"}


@dataclass(frozen=True)
class Change:
    section: str  # "plan", "nivel", "elemento", "indicador", "cifra"
    code: str
    action: str  # agregado, eliminado, cambiado
    field: str = ""  # what changed (Spanish), for a change
    old: str = ""
    new: str = ""


def diff(old: Dataset, new: Dataset, kinds: tuple[str, ...] | None = None) -> list[Change]:
    """Every difference from ``old`` to ``new``; figures only of ``kinds`` (all when None)."""
    out = _fields("plan", {old.code: old.spec}, {new.code: new.spec}, PLAN_LABELS, _plan_value) if old.code == new.code else []
    out += _fields("nivel", {lv.code: lv for lv in old.spec.levels}, {lv.code: lv for lv in new.spec.levels}, LEVEL_LABELS, _plain)
    out += _fields("elemento", {e.code: e for e in old.spec.elements}, {e.code: e for e in new.spec.elements}, ELEMENT_LABELS, _plain)
    out += _fields("indicador", {i.code: i for i in old.indicator_specs}, {i.code: i for i in new.indicator_specs}, FICHA_LABELS, _ficha_value)
    out += _figures(old.records, new.records, kinds)
    return out


def summary(changes: list[Change]) -> dict[str, dict[str, int]]:
    """How many of each section were added, removed and changed (a change counts its item once)."""
    out: dict[str, dict[str, int]] = {}
    seen: set[tuple] = set()
    for c in changes:
        if (c.section, c.code, c.action) in seen:
            continue
        seen.add((c.section, c.code, c.action))
        counts = out.setdefault(c.section, {ADDED: 0, REMOVED: 0, CHANGED: 0})
        counts[c.action] += 1
    return out


def _fields(section: str, old: dict, new: dict, labels: dict[str, str], show) -> list[Change]:
    out = [Change(section, code, ADDED) for code in new if code not in old]
    out += [Change(section, code, REMOVED) for code in old if code not in new]
    for code in old.keys() & new.keys():
        for key, label in labels.items():
            before, after = show(old[code], key), show(new[code], key)
            if before != after:
                out.append(Change(section, code, CHANGED, label, before, after))
    order = {code: k for k, code in enumerate([*new, *(c for c in old if c not in new)])}
    return sorted(out, key=lambda c: (order[c.code], c.field))


def _plain(item, key: str) -> str:
    value = getattr(item, key)
    if isinstance(value, (dict, list)):
        return _text(value)
    return "" if value is None else str(value)


def _plan_value(spec, key: str) -> str:
    if key == "period":
        return f"{spec.period.start or '…'}–{spec.period.end or '…'}"
    if key == "kind":
        return L.KIND_LABELS[spec.kind]
    if key == "ruleset":
        return L.RULESET_LABELS[spec.ruleset]
    if key == "vintages":
        return ", ".join(v.code for v in spec.vintages)
    return _plain(spec, key)


def _ficha_value(spec, key: str) -> str:
    if key == "texts":
        return _text(spec.texts)
    value = L.ficha_cells(spec)[key]
    return "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


def _text(value) -> str:
    """A nested text in one line, to tell whether it changed (its detail is in the workbook)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str) if value else ""


def _figure(r: Record | None) -> str:
    if r is None:
        return ""
    return r.status.value if r.status else f"{r.value:g}"


def _figures(old: tuple[Record, ...], new: tuple[Record, ...], kinds) -> list[Change]:
    before = {r.key: r for r in old if kinds is None or r.kind in kinds}
    after = {r.key: r for r in new if kinds is None or r.kind in kinds}
    out = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: tuple(str(p) for p in k)):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and (a.value, a.status) == (b.value, b.status):
            continue
        code, vintage, year, period, kind = key[:5]
        label = f"{L.FIGURE_LABELS[kind].lower()} {year}" + ("" if period == "anual" else f" {period}") + f" ({vintage})"
        action = ADDED if a is None else REMOVED if b is None else CHANGED
        out.append(Change("cifra", code, action, label, _figure(a), _figure(b)))
    return out
