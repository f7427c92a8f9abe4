"""Operational activities (AO) and investments (CUI) of an institutional plan as a compact table:
what each one delivered in figures, what it depends on by name, and what its code is."""

from __future__ import annotations

from dataclasses import dataclass

from vigia.datasets import Dataset

from . import numbers

# What the figures transcribed from the evaluation count, in the words of its narrative.
FIGURES = {
    "ppl_served": "PPL atendidas", "ppl_served_2023": "PPL atendidas en 2023", "establishments": "establecimientos",
    "pope_served": "población penitenciaria atendida", "pope_favorable": "con resultado favorable",
    "favorable_pct": "favorable (%)", "eml": "establecimientos de medio libre", "regional_offices": "oficinas regionales",
    "housing_units_delivered": "unidades de albergue entregadas", "staff_trained": "servidores capacitados",
    "ppl_working": "PPL que trabajan", "agreements_carceles_productivas": "convenios Cárceles Productivas",
    "ppl_trained_private_companies": "PPL capacitadas por empresas", "ppl_certified_public_entity": "PPL certificadas",
    "ppl_trained_business_approach": "PPL capacitadas en enfoque empresarial",
    "transfers_seguridad_penitenciaria": "traslados por seguridad", "transfers_reordenamiento": "traslados por reordenamiento",
    "transfers_tratamiento_penitenciario": "traslados por tratamiento", "transfers_excepcionales": "traslados excepcionales",
    "devices_installed": "equipos instalados", "devices_active_december": "equipos activos en diciembre",
    "ordinary_searches": "requisas ordinarias", "extraordinary_searches": "requisas extraordinarias",
    "trainees_formed": "aspirantes formados", "ppl_with_pai": "PPL con plan de atención individual",
}
CODES_NOTE = ("Códigos: «AOI…» es el código de la actividad operativa en el POI del INPE; «CUI» es el código único de "
              "la inversión en el sistema de inversión pública; los códigos «AO.xx.xx.xx» los asigna Vigía cuando "
              "el informe de evaluación no da uno oficial.")


@dataclass(frozen=True)
class Operation:
    code: str
    kind: str  # "Actividad operativa" or "Inversión"
    name: str
    parent_code: str
    parent_name: str
    results: tuple[str, ...]  # "7,964 PPL atendidas"
    description: str
    official_code: bool


def _results(figures: dict) -> tuple[str, ...]:
    out = []
    for key, value in figures.items():
        if not isinstance(value, (int, float)) or key not in FIGURES:
            continue
        text = numbers.number(value, "percentage" if key.endswith("_pct") else "number")
        out.append(f"{text} {FIGURES[key]}" if not key.endswith("_pct") else f"{FIGURES[key].split(' (')[0]}: {text}")
    return tuple(out)


def operations(ds: Dataset) -> list[Operation]:
    names = {e.code: e.name for e in ds.spec.elements}
    out = []
    for e in ds.spec.elements:
        if e.level not in ("AO", "INV"):
            continue
        a = e.attributes
        out.append(Operation(
            e.code, "Actividad operativa" if e.level == "AO" else "Inversión", e.name.strip(), e.parent or "",
            names.get(e.parent or "", "").strip(), _results(a.get("figures") or {}), a.get("description", ""),
            a.get("code_is_official", True),
        ))
    return out
