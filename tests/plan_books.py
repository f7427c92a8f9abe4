"""Plan workbooks as a planning office fills them in, for the tests: a plan of another entity with
a hierarchy no bundled plan has (objective → action → activity, indicators at two levels)."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from vigia.datasets import workbook

CODE = "pronacej-pei"
HEADERS = {
    "Plan": ["Campo", "Valor"],
    "Ediciones": ["Código", "Nombre", "Documento fuente", "Fecha", "Fórmula declarada", "Vigente"],
    "Niveles": ["Código", "Nombre", "Depende de", "Prefijo de indicadores"],
    "Fichas": ["Código", "Nombre", "Elemento", "Entidad responsable", "Unidad responsable", "Fuente de datos", "Tipo",
               "Sentido esperado", "Máximo o mínimo permisible", "Acumulado", "Agregable", "Unidad de medida",
               "Etiqueta de unidad", "Decimales", "Año de línea de base", "Mínimo válido", "Máximo válido", "Numerador",
               "Denominador", "Articulación"],
    "Textos": ["Código", "Clase", "Clave", "Tipo de dato", "Contenido"],
    "Valores": ["Código", "Año", "Periodo", "Tipo de cifra", "Valor", "Estado", "Edición", "Fuente", "Nota"],
}
YEARS = [2024, 2025, 2026, 2027]


def _ficha(code, name, element, direction, unit, entity="PRONACEJ"):
    return [code, name, element, entity, "Unidad de Planeamiento", "Registro de adolescentes", None, direction, None,
            "No acumulado", "No", unit, "%" if unit == "Porcentaje" else None, None, 2024, None, None, None, None, None]


# (code, level, name, parent) in document order; indicators (code, element, name, direction, unit, baseline, targets, actuals)
ELEMENTS = [
    ("OBJ.01", "OBJ", "Reducir la reincidencia de los adolescentes en conflicto con la ley penal", None),
    ("ACC.01.01", "ACC", "Programas de reinserción en los centros juveniles", "OBJ.01"),
    ("ACT.01.01.01", "ACT", "Talleres de formación laboral", "ACC.01.01"),
    ("ACT.01.01.02", "ACT", "Acompañamiento familiar", "ACC.01.01"),
    ("OBJ.02", "OBJ", "Mejorar las condiciones de los centros juveniles", None),
    ("ACC.02.01", "ACC", "Mantenimiento de la infraestructura", "OBJ.02"),
    ("ACT.02.01.01", "ACT", "Mantenimiento de dormitorios", "ACC.02.01"),
]
INDICATORS = [
    ("IO.01.01", "OBJ.01", "Porcentaje de adolescentes que reinciden en los dos años siguientes a su egreso", "Descendente", "Porcentaje",
     18.4, {2025: 17.0, 2026: 15.5, 2027: 14.0}, {2025: 16.2}),
    ("IA.01.01.01.01", "ACT.01.01.01", "Número de adolescentes que concluyen un taller de formación laboral", "Ascendente", "Número",
     640, {2025: 700, 2026: 780, 2027: 860}, {2025: 655}),
    ("IA.01.01.02.01", "ACT.01.01.02", "Porcentaje de familias que participan en el acompañamiento", "Ascendente", "Porcentaje",
     35.0, {2025: 45.0, 2026: 55.0, 2027: 65.0}, {2025: "ND"}),
    ("IO.02.01", "OBJ.02", "Porcentaje de centros juveniles con hacinamiento", "Descendente", "Porcentaje",
     60.0, {2025: 55.0, 2026: 50.0, 2027: 40.0}, {2025: 62.0}),
    ("IA.02.01.01.01", "ACT.02.01.01", "Número de dormitorios rehabilitados", "Ascendente", "Número",
     0, {2025: 20, 2026: 40, 2027: 60}, {2025: 24}),
]


def rows() -> dict[str, list[list]]:
    """The sheets as a planning officer types them (no Vigía-written styling, no extra sheets)."""
    book = {name: [header] for name, header in HEADERS.items()}
    book["Plan"] += [["Código", CODE], ["Tipo de plan", "Plan estratégico institucional"],
                     ["Nombre", "Plan Estratégico Institucional 2025-2027 del Programa Nacional de Centros Juveniles"],
                     ["Reglas de cálculo", "Plan institucional: Alcance Tipo I con tope de 100"], ["Entidad (sigla)", "PRONACEJ"],
                     ["Entidad (nombre)", "Programa Nacional de Centros Juveniles"], ["Año de inicio", 2025], ["Año de fin", 2027]]
    book["Ediciones"].append(["PEI-2025", "PEI 2025-2027 aprobado", "Resolución Ejecutiva N° 012-2025-PRONACEJ/DE", "2025-02-10", None, "Sí"])
    book["Niveles"] += [["OBJ", "Objetivo estratégico", None, "IO"], ["ACC", "Acción estratégica", "OBJ", None],
                        ["ACT", "Actividad", "ACC", "IA"]]
    book["Textos"] += [[None, "Texto", "mission", "texto", "Promover la reinserción social de los adolescentes en conflicto con la ley penal"],
                       ["ACT.01.01.01", "Atributo", "responsible", "texto", "Dirección de Centros Juveniles"]]
    matrix_header = ["Código", "Nivel", "Denominación", "Depende de", "Articulación", "Entidad responsable", "Sentido esperado",
                     "Acumulado", "Unidad de medida", "Año de línea de base", "Línea de base"]
    matrix_header += [f"Logro esperado {y}" for y in YEARS] + [f"Valor obtenido {y}" for y in YEARS]
    book["Matriz"] = [matrix_header]
    for code, level, name, parent in ELEMENTS:
        book["Matriz"].append([code, level, name, parent])
        for icode, element, iname, direction, unit, base, targets, actuals in INDICATORS:
            if element != code:
                continue
            book["Fichas"].append(_ficha(icode, iname, element, direction, unit))
            book["Matriz"].append([icode, "Indicador", iname, element, None, None, None, None, None, 2024, base]
                                  + [targets.get(y) for y in YEARS] + [actuals.get(y) for y in YEARS])
    return book


def xlsx(book: dict[str, list[list]] | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, sheet in (book or rows()).items():
        ws = wb.create_sheet(name)
        for row in sheet:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def opened(data: bytes) -> dict[str, list[tuple]]:
    """Sheets of a workbook file as ``workbook.read`` takes them."""
    return workbook.sheets(load_workbook(io.BytesIO(data)))
