"""The workbook a planning office starts a new plan from: the layout with example rows to replace."""

from __future__ import annotations

from ..loader import Dataset, Record
from ..schema import ElementSpec, IndicatorSpec, LevelSpec, Period, PlanSpec, Vintage


def example() -> Dataset:
    """An objective → action → activity plan with one indicator per level that carries them."""
    spec = PlanSpec(
        code="codigo-del-plan", kind="pei", name="Nombre del plan (reemplace las filas de ejemplo)", ruleset="pei",
        entity="SIGLA", entity_name="Nombre de la entidad", period=Period(start=2025, end=2030), current_vintage="PLAN",
        vintages=[Vintage(code="PLAN", name="Plan aprobado", seed="Norma que aprueba el plan")],
        levels=[LevelSpec(code="OBJ", name="Objetivo", indicator_prefix="IO"),
                LevelSpec(code="ACC", name="Acción", parent="OBJ"),
                LevelSpec(code="ACT", name="Actividad", parent="ACC", indicator_prefix="IA")],
        elements=[ElementSpec(code="OBJ.01", level="OBJ", name="Primer objetivo"),
                  ElementSpec(code="ACC.01.01", level="ACC", name="Primera acción del objetivo", parent="OBJ.01"),
                  ElementSpec(code="ACT.01.01.01", level="ACT", name="Primera actividad de la acción", parent="ACC.01.01")],
    )
    indicators = (
        IndicatorSpec(code="IO.01.01", name="Indicador del objetivo", element="OBJ.01", entity="SIGLA", direction="ascending",
                      unit="percentage", unit_label="%", baseline_year=2024),
        IndicatorSpec(code="IA.01.01.01.01", name="Indicador de la actividad", element="ACT.01.01.01", entity="SIGLA",
                      direction="ascending", unit="number", baseline_year=2024),
    )
    source = "Norma que aprueba el plan"
    records = (
        Record("IO.01.01", 2024, "anual", "baseline", 40.0, None, "PLAN", source, "", 0),
        *(Record("IO.01.01", y, "anual", "target", 40.0 + 5 * (y - 2024), None, "PLAN", source, "", 0) for y in range(2025, 2031)),
        Record("IA.01.01.01.01", 2024, "anual", "baseline", 100.0, None, "PLAN", source, "", 0),
        *(Record("IA.01.01.01.01", y, "anual", "target", 100.0 + 20 * (y - 2024), None, "PLAN", source, "", 0) for y in range(2025, 2031)),
    )
    return Dataset(None, spec, indicators, records)
