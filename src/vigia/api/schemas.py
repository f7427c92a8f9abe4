"""Response schemas of the JSON API: every answer declares its shape, so the OpenAPI document is
a contract that clients (and the contract tests) can check.

Field names are in English, as in the code; descriptions are in Spanish, for the people who read
the documentation at /api/docs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from vigia.core import models as m

PlanKind = Literal["policy", "pei", "pp"]
BandName = Literal["rojo", "amarillo", "verde", "ND"]
DataStatus = Literal["ND", "SD"]
MissingStatus = Literal["ND", "SD", "absent"]
ValueKind = Literal["baseline", "target", "actual", "target_printed", "actual_printed", "actual_stated", "numerator", "denominator"]


# Errors ------------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(..., description="Qué salió mal, en español.")


class ParameterErrorOut(Schema):
    parameter: str = Field(..., description="Nombre del parámetro no válido.")
    location: str = Field(..., description="Dónde va el parámetro: «ruta» o «consulta».")
    message: str = Field(..., description="Por qué no es válido.")


class ValidationErrorOut(Schema):
    detail: str = Field(..., description="Resumen en español que nombra cada parámetro no válido.")
    errors: list[ParameterErrorOut] = Field(..., description="Un elemento por parámetro no válido.")


# Plans -------------------------------------------------------------------------------------------


class VintageOut(Schema):
    code: str = Field(..., description="Código de la edición, p. ej. RS-2024.")
    name: str = Field(..., description="Documento (reporte o evaluación) que publica estas cifras.")
    seed: str = Field(..., description="Archivo fuente transcrito.")
    date: dt.date | None = Field(None, description="Fecha del documento, si la imprime.")


class PlanOut(Schema):
    code: str = Field(..., description="Código del plan: pnp2030, pei-inpe, pp-creo…")
    name: str
    kind: PlanKind = Field(..., description="policy (política nacional), pei (plan estratégico institucional) o pp (programa presupuestal).")
    kind_label: str = Field(..., description="El tipo de plan en palabras.")
    entity: str = Field(..., description="Sigla de la entidad rectora del plan.")
    entity_name: str
    ruleset: str = Field(..., description="Conjunto de reglas de cálculo de CEPLAN que aplica (policy o pei).")
    period_start: int | None = Field(None, description="Primer año del plan.")
    period_end: int | None = Field(None, description="Último año (horizonte) del plan.")
    current_vintage: str = Field(..., description="Edición vigente: la que se usa si no se indica «edicion».")
    vintages: list[VintageOut] = Field(..., description="Ediciones (reportes) con cifras propias.")
    links: dict[str, str] = Field(..., description="Direcciones de los recursos del plan en esta API; {anio} se reemplaza por el año.")


class LevelOut(Schema):
    code: str = Field(..., description="Código del nivel: OP, LN, SS, OEI, AEI…")
    name: str
    parents: list[str] = Field(..., description="Niveles de los que puede depender un elemento de este nivel.")
    indicator_prefix: str | None = Field(None, description="Prefijo de los indicadores de este nivel (IOP, ISS…).")


class PlanDetailOut(PlanOut):
    levels: list[LevelOut] = Field(..., description="Niveles de la jerarquía del plan, de arriba abajo.")
    texts: list[str] = Field(..., description="Claves de los textos del plan (problema público, aprobación, ediciones…).")
    element_count: int
    indicator_count: int


# Elements and indicators ---------------------------------------------------------------------------


class ElementOut(Schema):
    code: str
    level: str = Field(..., description="Nivel del elemento (OP, LN, SS, OEI, AEI…).")
    name: str
    parent: str | None = Field(None, description="Código del elemento del que depende; nulo en el nivel superior.")
    attributes: dict[str, Any] = Field(..., description="Atributos propios del elemento (tipo, priorizado…).")
    aligned_to: list[str] = Field(..., description="Articulación con elementos de otros planes (plan:código).")
    texts: list[str] = Field(..., description="Claves de los textos del elemento.")
    indicators: list[str] = Field(..., description="Códigos de los indicadores propios del elemento.")


class IndicatorOut(Schema):
    code: str
    name: str
    level: str = Field(..., description="Nivel del indicador como lo cuenta el semáforo: IOP, ISS, IND.OEI…")
    element: str = Field(..., description="Código del elemento que mide.")
    element_level: str = Field(..., description="Nivel del elemento que mide.")
    entity: str | None = Field(None, description="Sigla de la entidad responsable.")
    direction: Literal["ascending", "descending", "undefined"] = Field(..., description="Sentido esperado.")
    unit: str = Field(..., description="Unidad de medida.")
    unit_label: str | None = None


class PathItemOut(Schema):
    code: str
    level: str
    name: str


class IndicatorDetailOut(Schema):
    code: str
    name: str
    level: str = Field(..., description="Nivel del indicador como lo cuenta el semáforo: IOP, ISS, IND.OEI…")
    element: str
    entity: str | None = None
    responsible_unit: str | None = None
    data_source: str | None = None
    type: str | None = None
    direction: Literal["ascending", "descending", "undefined"]
    bound: Literal["max", "min"] | None = Field(None, description="Límite permisible, solo con sentido no definido.")
    accumulated: bool
    additive: bool = Field(..., description="Agregable: se compara lo acumulado a la fecha.")
    unit: str
    unit_label: str | None = None
    baseline_year: int | None = None
    decimals: int | None = Field(None, description="Decimales con que se publican los valores (por defecto, según la unidad).")
    valid_min: float | None = Field(None, description="Mínimo válido de los valores (por defecto, según la unidad).")
    valid_max: float | None = Field(None, description="Máximo válido de los valores (por defecto, según la unidad).")
    numerator_label: str | None = Field(None, description="Numerador, cuando el valor se reporta como cociente.")
    denominator_label: str | None = None
    registry_measure: str | None = Field(None, description="Medida del registro penitenciario que lo calcula (sobrepoblacion, "
                                         "sin_sentencia, reingreso_5a…), si la tiene.")
    aligned_to: list[str]
    texts: dict[str, Any] = Field(..., description="Textos de la ficha (definición, fórmula, notas…).")
    path: list[PathItemOut] = Field(..., description="Elementos de los que depende el indicador, del nivel superior al propio.")


# Values ------------------------------------------------------------------------------------------


class ValueOut(Schema):
    indicator: str
    vintage: str = Field(..., description="Edición que publica la cifra.")
    year: int
    period: str = Field(..., description="anual o S1 (primer semestre).")
    kind: ValueKind = Field(..., description="baseline (línea de base), target (logro esperado), actual (valor obtenido) o la cifra impresa.")
    value: float | None = Field(None, description="La cifra con toda su precisión; nula cuando hay «status».")
    status: DataStatus | None = Field(None, description="ND (no disponible) o SD (sin dato); nunca son números.")
    source: str = Field(..., description="Documento y página de donde se transcribió.")
    note: str
    state: str = Field(..., description="Estado de revisión de la cifra (published: publicada).")

    @staticmethod
    def resolve_indicator(obj: m.Value) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_vintage(obj: m.Value) -> str:
        return obj.vintage.code

    @staticmethod
    def resolve_status(obj: m.Value) -> str | None:
        return obj.status or None


# Progress and alerts -------------------------------------------------------------------------------


class ProgressRowOut(Schema):
    code: str
    level: str = Field(..., description="Nivel del elemento, o del indicador (IOP, ISS…); INDEX para el índice de gestión.")
    name: str
    depth: int = Field(..., description="Profundidad en la jerarquía (0 = nivel superior).")
    parent: str | None = Field(None, description="Elemento del que depende la fila.")
    entity: str | None = Field(None, description="Entidad responsable (solo indicadores).")
    direction: Literal["ascending", "descending", "undefined"] | None = None
    unit: str | None = None
    target: float | None = Field(None, description="Logro esperado del año (solo indicadores).")
    actual: float | None = Field(None, description="Valor obtenido del año (solo indicadores).")
    target_status: MissingStatus | None = Field(None, description="Sin logro esperado: ND o SD si la fuente lo declara; "
                                                "«absent» si la fuente no da la cifra (sin dato en la fuente).")
    actual_status: MissingStatus | None = Field(None, description="Sin valor obtenido: ND, SD o «absent», como target_status.")
    progress: float | None = Field(None, description="Avance (%) redondeado como lo publica el reporte; nulo si es ND.")
    progress_exact: float | None = Field(None, description="Avance (%) sin redondear.")
    band: BandName = Field(..., description="Semáforo: rojo (< 75 %), amarillo (75 % a < 95 %), verde (≥ 95 %) o ND.")
    reason: str = Field(..., description="Por qué el avance tiene este valor (solo indicadores).")
    measured: bool = Field(..., description="Falso para un elemento sin indicadores en ningún nivel inferior.")


class BandCountsOut(Schema):
    rojo: int
    amarillo: int
    verde: int
    ND: int


class RuleOut(Schema):
    code: str
    text: str


class ProgressOut(Schema):
    plan: str
    name: str
    year: int
    period: str
    vintage: str = Field(..., description="Edición cuyas cifras se usaron.")
    ruleset: str
    rules: list[RuleOut] = Field(..., description="Las reglas de CEPLAN detrás de estas cifras.")
    rows: list[ProgressRowOut] = Field(..., description="Cada elemento e indicador en el orden de la matriz, con el índice al final si el plan lo tiene.")
    objectives: list[ProgressRowOut] = Field(..., description="Los elementos del nivel superior (objetivos).")
    index: float | None = Field(None, description="Índice de gestión redondeado como se publica (solo políticas nacionales).")
    index_exact: float | None = None
    band_counts: dict[str, BandCountsOut] = Field(..., description="Número de elementos o indicadores por nivel y semáforo.")


class AlertItemOut(Schema):
    code: str
    name: str
    figures: dict[str, float | str | None] = Field(..., description="Cifras que sustentan la alerta.")
    detail: str


class AlertOut(Schema):
    kind: Literal["a", "b", "c", "d"]
    title: str
    text: str = Field(..., description="La alerta redactada como en el reporte de seguimiento.")
    items: list[AlertItemOut]


class AlertsOut(Schema):
    plan: str
    year: int
    vintage: str
    alerts: list[AlertOut] = Field(..., description="Alertas (a)-(d); se omite la que no tiene nada que decir.")
