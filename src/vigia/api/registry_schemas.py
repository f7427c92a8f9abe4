"""Response schemas of the registry's read API (``api.registry``): English keys, Spanish descriptions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from vigia.registry.measures import MEASURES, SCOPES

MeasureName = Literal[tuple(m.name for m in MEASURES)]
ScopeName = Literal[SCOPES]
DEMO = Field(..., description="Verdadero en una instalación de demostración (`vigia serve --demo`): extracto sintético, "
                              "ninguna persona real.")
NOTICE = Field(None, description="«DATOS DE DEMOSTRACIÓN…» en una instalación de demostración; nulo si no.")


class RegistryOut(Schema):
    start: dt.date = Field(..., description="Primer día que el extracto cubre completo.")
    cutoff: dt.date = Field(..., description="Fecha de corte del extracto.")
    imported: dt.datetime = Field(..., description="Cuándo se importó el extracto (hora del servidor, con su desfase).")
    establishments: int = Field(..., description="Establecimientos (EP y EML) del extracto.")
    stays: int = Field(..., description="Estancias del extracto (cifra total; ninguna fila por persona sale de Vigía).")
    persons: int = Field(..., description="Personas distintas del extracto (cifra total).")
    dates: list[dt.date] = Field(..., description="Fechas con cifras calculadas: cada fin de mes del periodo y la fecha de corte.")
    any_date: bool = Field(..., description="Si /cifras acepta cualquier fecha del periodo (sesión iniciada y filas por persona "
                                            "conservadas); si no, solo las de «dates».")
    suppressed: bool = Field(..., description="Si las cifras de este grupo ocultan las celdas con menos de 5 personas.")
    demo: bool = DEMO
    notice: str | None = NOTICE
    links: dict[str, str] = Field(..., description="Direcciones de los recursos del registro en esta API.")


class RegistryInternalOut(RegistryOut):
    sha256: str = Field(..., description="Huella SHA-256 de los archivos del extracto: la que citan `vigia registry status` "
                                         "y los valores propuestos a las campañas.")
    formats: str = Field(..., description="Formato de los archivos importados (csv o parquet).")
    kept: bool = Field(..., description="Si se conservaron las filas por persona (cualquier fecha) o se descartaron tras el cálculo.")


class LinkedIndicatorOut(Schema):
    plan: str = Field(..., description="Código del plan.")
    code: str = Field(..., description="Código del indicador cuya ficha nombra esta medida.")


class MeasureOut(Schema):
    name: MeasureName = Field(..., description="Nombre de la medida, como en la columna «measure» de las cifras.")
    label: str = Field(..., description="La medida en palabras.")
    unit: str = Field(..., description="Unidad: %, personas, plazas, EP, m² por persona, fugas.")
    ratio: bool = Field(..., description="Cociente: sus cifras traen numerador y denominador (porcentajes en por ciento).")
    by_sex: bool = Field(..., description="Se calcula también por sexo (M, F).")
    kind: Literal["EP", "EML"] = Field(..., description="Establecimientos que la tienen: EP (penales) o EML (medio libre).")
    national: bool = Field(..., description="Solo a nivel nacional (personas distintas entre establecimientos).")
    indicators: list[LinkedIndicatorOut] = Field(..., description="Indicadores de los planes vinculados a la medida (ficha: "
                                                                  "registry_measure).")
    definition: str = Field(..., description="La definición de la medida: su SQL comentado (DuckDB), tal como se ejecuta.")


class EstablishmentOut(Schema):
    code: str = Field(..., description="Código del establecimiento.")
    name: str
    kind: Literal["EP", "EML"] = Field(..., description="EP (establecimiento penitenciario) o EML (medio libre).")
    department: str = Field(..., description="Ubigeo INEI del departamento (01 a 25).")
    department_name: str
    capacity: int | None = Field(None, description="Capacidad de albergue vigente en la fecha (vacía en un EML).")
    area_m2: float | None = Field(None, description="Área vigente en la fecha, en m² (vacía si no se conoce).")
    since: dt.date = Field(..., description="Desde cuándo rigen esa capacidad y esa área.")


class OfficeOut(Schema):
    code: str = Field(..., description="Nombre de la oficina regional como lo escribe el extracto (columna «code» de las cifras).")
    name: str
    establishments: list[EstablishmentOut]


class UnitsOut(Schema):
    date: dt.date = Field(..., description="Fecha en que rigen las unidades, capacidades y áreas.")
    code: str = Field(..., description="PE: el INPE, nivel nacional.")
    name: str
    offices: list[OfficeOut] = Field(..., description="Las oficinas regionales con sus establecimientos en funcionamiento en la fecha.")
    demo: bool = DEMO
    notice: str | None = NOTICE


class FigureOut(Schema):
    measure: MeasureName
    date: dt.date
    scope: ScopeName = Field(..., description="nation, office o establishment.")
    code: str = Field(..., description="PE, el nombre de la oficina regional o el código del establecimiento.")
    sex: Literal["", "M", "F"] = Field(..., description="Vacío para ambos sexos; M o F.")
    value: float | None = Field(None, description="La cifra, con toda su precisión; nula si el denominador es 0 o si se ocultó.")
    numerator: float | None = Field(None, description="Numerador (solo cocientes).")
    denominator: float | None = Field(None, description="Denominador (solo cocientes).")
    suppressed: bool = Field(..., description="Celda oculta: descansa en 1 a 4 personas, o delataría a otra que lo hace.")


class FiguresOut(Schema):
    cutoff: dt.date = Field(..., description="Fecha de corte del extracto de estas cifras.")
    suppressed: bool = Field(..., description="Si se ocultaron las celdas con menos de 5 personas (datos publicados).")
    demo: bool = DEMO
    notice: str | None = NOTICE
    count: int = Field(..., description="Total de filas que cumplen los filtros.")
    items: list[FigureOut] = Field(..., description="Una fila por medida, fecha, unidad y sexo (esta página).")
