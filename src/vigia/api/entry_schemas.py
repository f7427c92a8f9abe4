"""Schemas of the write API (campaigns and reports of the token's user). Keys in English, as the
read API; descriptions in Spanish for /api/docs."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

ReportState = Literal["draft", "submitted", "observed", "approved", "published"]
Number = float | str | None  # a string is read as people write numbers ("37,5"), like the web form


class CampaignOut(Schema):
    id: int = Field(..., description="Identificador de la campaña (el {id} de las demás operaciones).")
    name: str
    plan: str = Field(..., description="Código del plan.")
    year: int
    period: Literal["anual", "S1"]
    entity: str | None = Field(None, description="Entidad de la campaña; nulo si es de todas las del plan.")
    opens: dt.date
    deadline: dt.date = Field(..., description="Plazo de reporte.")
    indicators: int = Field(..., description="Indicadores de la campaña que reporta el usuario del token.")


class ReportOut(Schema):
    indicator: str = Field(..., description="Código del indicador.")
    name: str
    unit: str = Field(..., description="Unidad de medida (percentage, number, rate…).")
    target: float | None = Field(None, description="Logro esperado del periodo; nulo si no está definido.")
    previous: float | None = Field(None, description="Valor obtenido del año anterior.")
    value: float | None = Field(None, description="Valor obtenido reportado; nulo con ND/SD o sin reportar.")
    status: Literal["ND", "SD"] | None = Field(None, description="ND (no disponible) o SD (sin dato); nulo si hay valor.")
    reason: str = Field(..., description="Motivo del ND/SD.")
    numerator: float | None = None
    denominator: float | None = None
    source: str
    analysis: str
    justification: str = Field(..., description="Justificación de una variación mayor a 50 % respecto al año anterior.")
    state: ReportState = Field(..., description="Estado del reporte en la revisión.")
    version: int = Field(..., description="Versión actual: envíela en el POST (bloqueo optimista).")


class ReportIn(Schema):
    indicator: str = Field(..., max_length=60, description="Código del indicador, p. ej. IOP.03.01.")
    value: Number = Field(None, description="Valor obtenido (número; también se acepta texto como «37,5»). Nulo con ND/SD.")
    status: Literal["ND", "SD"] | None = Field(None, description="ND o SD (con «reason»); nulo si hay valor.")
    reason: str | None = Field(None, max_length=20000, description="Motivo del ND/SD.")
    source: str | None = Field(None, max_length=20000, description="Fuente del dato.")
    numerator: Number = Field(None, description="Numerador, si la ficha lo define (el valor se calcula).")
    denominator: Number = Field(None, description="Denominador, si la ficha lo define.")
    analysis: str | None = Field(None, max_length=20000, description="Análisis descriptivo.")
    justification: str | None = Field(None, max_length=20000, description="Justificación de una variación mayor a 50 %.")
    version: int = Field(..., ge=0, le=999_999_999, description="La versión leída del reporte (GET); si cambió, 409.")
    submit: bool = Field(False, description="true: además de guardar, enviar a revisión (si el reporte está completo).")


class ReportResultOut(Schema):
    row: int = Field(..., description="Posición de la fila en la lista enviada (desde 1).")
    indicator: str
    state: ReportState
    version: int = Field(..., description="Versión después de esta solicitud.")
    changed: bool = Field(..., description="Si el contenido cambió (una fila igual a lo guardado no cambia nada).")
    submitted: bool = Field(..., description="Si se envió a revisión con esta solicitud.")
    warnings: list[str] = Field(..., description="Avisos de la validación (p. ej. una variación justificada).")


class DeliveryOut(Schema):
    campaign: int
    saved: int = Field(..., description="Reportes cuyo contenido cambió.")
    unchanged: int = Field(..., description="Filas iguales a lo ya guardado.")
    submitted: int = Field(..., description="Reportes enviados a revisión.")
    results: list[ReportResultOut]


class RowErrorOut(Schema):
    message: str = Field(..., description="Qué está mal, en español.")
    row: int | None = Field(None, description="Fila de la lista enviada (desde 1).")
    indicator: str | None = Field(None, description="Código del indicador de esa fila.")
    field: str | None = Field(None, description="Clave del campo (value, status, reason, version…).")
    parameter: str | None = Field(None, description="Parámetro no válido (errores de forma de la solicitud).")
    location: str | None = Field(None, description="Dónde va ese parámetro.")


class RowErrorsOut(Schema):
    detail: str = Field(..., description="Resumen en español.")
    errors: list[RowErrorOut] = Field(..., description="Un elemento por problema: nada se guardó.")


class CurrentOut(Schema):
    row: int
    indicator: str
    version: int = Field(..., description="Versión actual del reporte.")
    value: float | None = None
    status: str | None = None
    state: ReportState
    updated_by: str | None = Field(None, description="Quién lo guardó.")
    updated_at: dt.datetime | None = None


class ConflictOut(Schema):
    detail: str = Field(..., description="Qué reportes cambió otra persona desde que se leyeron: nada se guardó.")
    conflicts: list[CurrentOut]
