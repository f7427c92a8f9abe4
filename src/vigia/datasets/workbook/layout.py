"""The plan workbook's layout: sheet names, columns and the Spanish words its cells use.

Writer and reader share these tables, so a column renamed here is renamed in both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from vigia.registry.measures import MEASURES

INSTRUCTIONS, PLAN, VINTAGES, LEVELS, MATRIX, FICHAS, TEXTS, VALUES = (
    "Instrucciones", "Plan", "Ediciones", "Niveles", "Matriz", "Fichas", "Textos", "Valores")
REQUIRED = (PLAN, VINTAGES, LEVELS, MATRIX, FICHAS, TEXTS, VALUES)

# (header, key) pairs, in sheet order
PLAN_FIELDS = [("Código", "code"), ("Tipo de plan", "kind"), ("Nombre", "name"), ("Reglas de cálculo", "ruleset"),
               ("Entidad (sigla)", "entity"), ("Entidad (nombre)", "entity_name"), ("Año de inicio", "start"), ("Año de fin", "end")]
VINTAGE_COLUMNS = [("Código", "code"), ("Nombre", "name"), ("Documento fuente", "seed"), ("Fecha", "date"),
                   ("Fórmula declarada", "stated_formula"), ("Vigente", "current")]
LEVEL_COLUMNS = [("Código", "code"), ("Nombre", "name"), ("Depende de", "parent"), ("Prefijo de indicadores", "indicator_prefix")]
FICHA_COLUMNS = [
    ("Código", "code"), ("Nombre", "name"), ("Elemento", "element"), ("Entidad responsable", "entity"),
    ("Unidad responsable", "responsible_unit"), ("Fuente de datos", "data_source"), ("Tipo", "type"),
    ("Sentido esperado", "direction"), ("Máximo o mínimo permisible", "bound"), ("Acumulado", "accumulated"),
    ("Agregable", "additive"), ("Unidad de medida", "unit"), ("Etiqueta de unidad", "unit_label"), ("Decimales", "decimals"),
    ("Año de línea de base", "baseline_year"), ("Mínimo válido", "valid_min"), ("Máximo válido", "valid_max"),
    ("Numerador", "numerator_label"), ("Denominador", "denominator_label"), ("Articulación", "aligned_to"),
    ("Medida del registro penitenciario", "registry_measure"),
]
MATRIX_COLUMNS = [
    ("Código", "code"), ("Nivel", "level"), ("Denominación", "name"), ("Depende de", "parent"), ("Articulación", "aligned_to"),
    ("Entidad responsable", "entity"), ("Sentido esperado", "direction"), ("Acumulado", "accumulated"),
    ("Unidad de medida", "unit"), ("Año de línea de base", "baseline_year"), ("Línea de base", "baseline"),
]
# On an indicator row of the Matriz these repeat the ficha (key in the Fichas sheet): shown to read, checked on import
MATRIX_COPIES = {"name": "name", "parent": "element", "aligned_to": "aligned_to", "entity": "entity", "direction": "direction",
                 "accumulated": "accumulated", "unit": "unit", "baseline_year": "baseline_year"}
TEXT_COLUMNS = [("Código", "code"), ("Clase", "class"), ("Clave", "key"), ("Tipo de dato", "type"), ("Contenido", "content")]
VALUE_COLUMNS = [("Código", "indicator"), ("Año", "year"), ("Periodo", "period"), ("Tipo de cifra", "kind"), ("Valor", "value"),
                 ("Estado", "status"), ("Edición", "vintage"), ("Fuente", "source"), ("Nota", "note")]

INDICATOR_LEVEL = "Indicador"  # the Nivel of an indicator row in the Matriz
YEAR_COLUMN = re.compile(r"^\s*(Logro esperado|Valor obtenido)\s+(\d{4})\s*$", re.IGNORECASE)
YEAR_KINDS = {"logro esperado": "target", "valor obtenido": "actual"}

KIND_LABELS = {"policy": "Política nacional", "pei": "Plan estratégico institucional", "pp": "Programa presupuestal"}
RULESET_LABELS = {"policy": "Política nacional: Avance Tipo I sin tope, índice de gestión",
                  "pei": "Plan institucional: Alcance Tipo I con tope de 100"}
DIRECTION_LABELS = {"ascending": "Ascendente", "descending": "Descendente", "undefined": "No definido"}
BOUND_LABELS = {"max": "Máximo permisible", "min": "Mínimo permisible"}
REGISTRY_MEASURES = {m.name: m.name for m in MEASURES}  # written by name (README, «Registro penitenciario»)
UNIT_LABELS = {"percentage": "Porcentaje", "number": "Número", "amount": "Cantidad", "rate": "Tasa", "ratio": "Ratio",
               "index": "Índice", "variation_rate": "Tasa de variación"}
ACCUMULATED_LABELS = {True: "Acumulado", False: "No acumulado"}
YES_NO = {True: "Sí", False: "No"}
FORMULA_LABELS = {"tipo_i": "Tipo I", "tipo_ii": "Tipo II"}
FIGURE_LABELS = {"baseline": "Línea de base", "target": "Logro esperado", "actual": "Valor obtenido",
                 "progress": "Avance publicado", "target_printed": "Logro esperado impreso", "actual_printed": "Valor obtenido impreso",
                 "actual_stated": "Valor obtenido citado en el texto", "numerator": "Numerador citado", "denominator": "Denominador citado"}
TEXT_CLASSES = {"texts": "Texto", "attributes": "Atributo"}
STATUSES = ("ND", "SD")


@lru_cache(maxsize=4096)  # the same few words (levels, units, kinds) in every row
def fold(text: str) -> str:
    """A word as compared when reading: case, accents and surrounding spaces do not matter."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def choice(raw, labels: dict, what: str):
    """The key whose label (or key itself) ``raw`` names; ValueError in Spanish otherwise."""
    wanted = fold(raw)
    for key, label in labels.items():
        if wanted in (fold(label), fold(str(key))):
            return key
    options = ", ".join(f"«{label}»" for label in labels.values())
    raise ValueError(f"«{raw}» no es {what} válido (use {options})")


def join_codes(codes) -> str | None:
    return ", ".join(codes) or None


def ficha_cells(i) -> dict:
    """An indicator's ficha as the Fichas sheet writes it, keyed as FICHA_COLUMNS."""
    return {
        "code": i.code, "name": i.name, "element": i.element, "entity": i.entity, "responsible_unit": i.responsible_unit,
        "data_source": i.data_source, "type": i.type, "direction": DIRECTION_LABELS[i.direction],
        "bound": BOUND_LABELS.get(i.bound or ""), "accumulated": ACCUMULATED_LABELS[i.accumulated],
        "additive": YES_NO[i.additive], "unit": UNIT_LABELS[i.unit], "unit_label": i.unit_label, "decimals": i.decimals,
        "baseline_year": i.baseline_year, "valid_min": i.valid_min, "valid_max": i.valid_max,
        "numerator_label": i.numerator_label, "denominator_label": i.denominator_label, "aligned_to": join_codes(i.aligned_to),
        "registry_measure": i.registry_measure,
    }
