"""Issue 8: the adversarial suite. Malformed inputs across the value form, the Excel template, the
matrix import, evidence, objective analyses, compromisos, targets, campaigns and the API.

Every one must get a 4xx (never a 5xx) with a Spanish message naming the field, and leave the
database exactly as it was: a dump of every table of Vigía and of the users, and the list of
evidence files, are compared before and after.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

import pytest
from django.apps import apps
from django.test import Client
from openpyxl import load_workbook

from vigia.reporting.models import Commitment, Submission

from .helpers import INPE_IND, PJ_IND, YEAR, client_for, set_target

pytestmark = pytest.mark.django_db
COUNT = "IOP.01.01"  # a count of INPE (no upper bound)
NINES = "9" * 400


# Every call of the write API is recorded, refused ones too (with its token's last use and, with an
# Idempotency-Key, its answer): that record is the audit trail, not a change of data.
API_RECORDS = ("ApiCall", "ApiToken", "IdempotentRequest")


def snapshot(media) -> str:
    """A dump of every row of Vigía's tables and of the users, and the evidence files."""
    digest = hashlib.sha256()
    models = [*apps.get_app_config("core").get_models(), apps.get_model("auth", "User"),
              *[m for m in apps.get_app_config("reporting").get_models() if m.__name__ not in API_RECORDS]]
    for model in models:
        digest.update(model._meta.label.encode())
        digest.update(repr(list(model._default_manager.order_by("pk").values_list())).encode())
    digest.update(repr(sorted(str(p) for p in media.rglob("*"))).encode())
    return digest.hexdigest()


@dataclass
class Case:
    surface: str
    label: str
    send: Callable  # (ctx) -> response
    names: str  # text of the Spanish message that names the field (a regular expression)
    status: tuple = (400, 401, 403, 404, 409, 413, 422)


class Ctx:
    """The users, logged in before the snapshot (a login writes the user's last_login)."""

    def __init__(self, people, campaign):
        self.people, self.campaign = people, campaign
        self.clients = {who: client_for(user) for who, user in people.items()}

    def client(self, who):
        return self.clients[who]


# Value form ---------------------------------------------------------------------------------------


def form(code=INPE_IND, who="op_inpe", version=None, **data):
    def send(ctx):
        s = Submission.objects.get(campaign=ctx.campaign, indicator__code=code)
        return ctx.client(who).post(f"/campanas/{ctx.campaign.pk}/reportes/{code}/",
                                    {"accion": "guardar", "version": s.version if version is None else version, **data})
    return send


def act(who, action, comment=""):
    return lambda ctx: ctx.client(who).post(f"/campanas/{ctx.campaign.pk}/reportes/{INPE_IND}/", {"accion": action, "comentario": comment})


FIELD_VALUE = "campo «valor obtenido»"
FORM = [
    *[Case("formulario", f"valor {v!r}", form(value=v), FIELD_VALUE) for v in (
        "doce", "", " ", "150", "-3", "100.0001", NINES, "nan", "inf", "-inf", "Infinity", "1e5", "1,234.5.6", "12..5", "0x10",
        "١٢", "½", "1/2", "--5", "+-5", "12e3", "\x00", "12 3 4", "٫5", "12%%", "$12", "12,5,5", "∞", "1_000")],
    *[Case("formulario", f"valor de conteo {v!r}", form(COUNT, value=v), FIELD_VALUE) for v in (
        "1,000", "-1", "9" * 20, NINES, "10000000000001")],
    Case("formulario", "estado XX", form(status="XX", reason="x"), "campo «estado»"),
    Case("formulario", "estado con NUL", form(status="N\x00D", reason="x"), "campo «estado»"),
    Case("formulario", "ND sin motivo", form(status="ND"), "campo «motivo»"),
    Case("formulario", "ND con valor", form(status="ND", reason="x", value="12"), FIELD_VALUE),
    Case("formulario", "SD con motivo en blanco", form(status="SD", reason="   "), "campo «motivo»"),
    Case("formulario", "numerador sin denominador", form(numerator="10"), "campo «denominador»"),
    Case("formulario", "denominador sin numerador", form(denominator="10"), "campo «numerador»"),
    Case("formulario", "denominador 0", form(numerator="1", denominator="0"), "campo «denominador»"),
    Case("formulario", "numerador texto", form(numerator="diez", denominator="10"), "campo «numerador»"),
    Case("formulario", "numerador infinito", form(numerator=NINES, denominator="10"), "campo «numerador»"),
    Case("formulario", "denominador infinito", form(numerator="1", denominator=NINES), "campo «denominador»"),
    Case("formulario", "numerador negativo", form(numerator="-5", denominator="10"), FIELD_VALUE),
    Case("formulario", "cociente sobre 100 %", form(numerator="50", denominator="10"), FIELD_VALUE),
    Case("formulario", "fuente de 5 000", form(value="12.5", source="x" * 5000), "campo «fuente»: admite como máximo 300"),
    Case("formulario", "análisis de 20 001", form(value="12.5", analysis="x" * 20001), "campo «análisis descriptivo»: admite como máximo 20,000"),
    Case("formulario", "motivo de 20 001", form(status="ND", reason="x" * 20001), "campo «motivo \\(ND/SD\\)»"),
    Case("formulario", "justificación de 20 001", form(value="12.5", justification="x" * 20001), "campo «justificación de la variación»"),
    Case("formulario", "salto sin justificación", form(value="30"), "justificación"),
    *[Case("formulario", f"versión {v!r}", form(value="12.5", version=v), "campo «versión»") for v in ("abc", "", "-1", "1.5", "9" * 30, "١")],
    Case("formulario", "versión vieja", form(value="12.5", version=7), "guardó este reporte"),
    Case("formulario", "acción desconocida", lambda ctx: ctx.client("op_inpe").post(
        f"/campanas/{ctx.campaign.pk}/reportes/{INPE_IND}/", {"accion": "borrar"}), "campo «acción»"),
    Case("formulario", "otra entidad", form(PJ_IND, value="30"), "otra entidad"),
    Case("formulario", "observar un borrador", act("analista", "observar"), "no se puede pasar"),
    Case("formulario", "enviar sin valor", act("op_inpe", "enviar"), "no hay valor"),
    Case("formulario", "comentario de 20 001", act("op_inpe", "enviar", "c" * 20001), "campo «comentario»"),
    Case("formulario", "indicador inexistente", lambda ctx: ctx.client("op_inpe").post(
        f"/campanas/{ctx.campaign.pk}/reportes/NO.EXISTE/", {"accion": "guardar", "version": 0}), "no existe"),
]


# Excel template ------------------------------------------------------------------------------------


def _workbook(ctx, change=None, sheet="Reporte", who="op_inpe"):
    wb = load_workbook(io.BytesIO(ctx.client(who).get(f"/campanas/{ctx.campaign.pk}/plantilla.xlsx").content))
    if change:
        change(wb[sheet] if sheet in wb.sheetnames else wb.active, wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row(ws, code=INPE_IND):
    return next(r for r in ws.iter_rows(min_row=2) if r[0].value == code)


def cells(code=INPE_IND, **values):
    """The template with cells of one row set (columns by letter)."""
    def change(ws, wb):
        row = _row(ws, code)
        for letter, value in values.items():
            row[ord(letter) - ord("A")].value = value
    return change


def xlsx(change=None, who="op_inpe", raw=None, zip_change=None):
    def send(ctx):
        content = raw if raw is not None else _workbook(ctx, change, who=who)
        if zip_change:
            content = _rezip(content, zip_change)
        return _upload(ctx, who, content)
    return send


def _upload(ctx, who, content: bytes):
    f = io.BytesIO(content)
    f.name = "plantilla.xlsx"
    return ctx.client(who).post(f"/campanas/{ctx.campaign.pk}/cargar/", {"archivo": f})


def _rezip(content: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = change(item.filename, src.read(item))
            if data is not None:
                dst.writestr(item, data)
    return out.getvalue()


def _sheet(transform):
    return lambda name, data: transform(data) if name == "xl/worksheets/sheet1.xml" else data


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    return buf.getvalue()


def _renamed(ws, wb):
    ws.title = "Hoja1"


def _merged(ws, wb):
    ws.merge_cells("G2:H2")


def _header(ws, wb):
    ws["A1"] = "Codigo"


def _swapped(ws, wb):
    ws["A1"], ws["B1"] = ws["B1"].value, ws["A1"].value


def _unknown_code(ws, wb):
    ws.append(["NO.EXISTE", "", "", YEAR, "anual", None, 5])


FILE = "archivo|libro|hoja|Excel"
TEMPLATE = [
    Case("plantilla", "no es xlsx", xlsx(raw=b"%PDF-1.4 no es excel"), FILE),
    Case("plantilla", "vacío", xlsx(raw=b""), FILE),
    Case("plantilla", "zip truncado", lambda ctx: _upload(ctx, "op_inpe", _workbook(ctx)[:3000]), FILE),
    Case("plantilla", "bomba zip", xlsx(raw=_zip_bomb()), "desproporcionado"),
    Case("plantilla", "6 MB", xlsx(raw=b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024)), "el máximo es 5 MB"),
    Case("plantilla", "sin workbook.xml", xlsx(zip_change=lambda n, d: None if n == "xl/workbook.xml" else d), FILE),
    Case("plantilla", "XML roto", xlsx(zip_change=_sheet(lambda d: d[: len(d) // 2])), FILE),
    Case("plantilla", "dimensión A1:XFD1048576", xlsx(zip_change=_sheet(
        lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', d))), "declara"),
    Case("plantilla", "sin dimensión", xlsx(zip_change=_sheet(lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b"", d))), "tamaño"),
    Case("plantilla", "sin hoja Reporte", xlsx(_renamed), "hoja «Reporte»"),
    Case("plantilla", "columna renombrada", xlsx(_header), "columnas"),
    Case("plantilla", "columnas cambiadas de orden", xlsx(_swapped), "columnas"),
    Case("plantilla", "celdas combinadas", xlsx(_merged), "celdas combinadas"),
    Case("plantilla", "fórmula en el valor", xlsx(cells(G="=10+2")), "fórmulas en Valor obtenido"),
    Case("plantilla", "fórmula en la fuente", xlsx(cells(G="12.5", L="=1+2")), "fórmulas en Fuente"),
    Case("plantilla", "número en Estado", xlsx(cells(J=5, K="x")), "campo «estado»"),
    Case("plantilla", "número en Motivo", xlsx(cells(J="ND", K=123)), "campo «motivo"),
    Case("plantilla", "número en Fuente", xlsx(cells(G="12.5", L=2024)), "campo «fuente»"),
    Case("plantilla", "fecha en Análisis", xlsx(cells(G="12.5", M=datetime(2025, 1, 1))), "campo «análisis descriptivo»"),
    Case("plantilla", "fecha en Justificación", xlsx(cells(G="12.5", N=date(2025, 1, 1))), "campo «justificación"),
    Case("plantilla", "fecha en el valor", xlsx(cells(G=datetime(2025, 1, 1))), FIELD_VALUE),
    Case("plantilla", "booleano en el valor", xlsx(cells(G=True)), FIELD_VALUE),
    Case("plantilla", "texto en el valor", xlsx(cells(G="mucho")), FIELD_VALUE),
    Case("plantilla", "400 nueves", xlsx(cells(G=NINES)), "no es un número finito"),
    Case("plantilla", "1e308", xlsx(cells(COUNT, G=1e308)), "magnitud máxima"),
    Case("plantilla", "porcentaje 150", xlsx(cells(G=150)), "supera el máximo"),
    Case("plantilla", "porcentaje negativo", xlsx(cells(G=-1)), "por debajo del mínimo"),
    Case("plantilla", "numerador texto", xlsx(cells(H="diez", I=10)), "campo «numerador»"),
    Case("plantilla", "denominador 0", xlsx(cells(H=1, I=0)), "campo «denominador»"),
    Case("plantilla", "ND con valor", xlsx(cells(G=12, J="ND", K="x")), FIELD_VALUE),
    Case("plantilla", "ND sin motivo", xlsx(cells(J="ND")), "campo «motivo"),
    Case("plantilla", "estado XX", xlsx(cells(J="XX", K="x")), "campo «estado»"),
    Case("plantilla", "fuente de 301", xlsx(cells(G="12.5", L="f" * 301)), "campo «fuente»: admite como máximo 300"),
    Case("plantilla", "análisis de 20 001", xlsx(cells(G="12.5", M="a" * 20001)), "campo «análisis descriptivo»"),
    Case("plantilla", "indicador inexistente", xlsx(_unknown_code), "no es un indicador de esta campaña"),
    Case("plantilla", "código numérico", xlsx(cells(A=123, G="12.5")), "no es un indicador de esta campaña"),
    Case("plantilla", "versión cambiada", xlsx(cells(G="12.5", O=99)), "descargue una nueva"),
    Case("plantilla", "versión texto", xlsx(cells(G="12.5", O="abc")), "descargue una nueva"),
    Case("plantilla", "fila de otra entidad", lambda ctx: _upload(ctx, "op_inpe", _workbook(ctx, cells(PJ_IND, G="30"), who="op_pj")), "no es responsable"),
    Case("plantilla", "sin archivo", lambda ctx: ctx.client("op_inpe").post(f"/campanas/{ctx.campaign.pk}/cargar/"), "campo «archivo»"),
]


# Matrix import -----------------------------------------------------------------------------------------


def _matrix(ctx, code="IOP.03.01", column="Valor obtenido 2024", value=None, change=None):
    wb = load_workbook(io.BytesIO(ctx.client("ogpm").get("/planes/pnp2030/matriz.xlsx").content))
    ws = wb.active
    if value is not None:
        header = [c.value for c in ws[1]]
        row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == code)
        row[header.index(column)].value = value
    if change:
        change(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def matrix(raw=None, resolution="", zip_change=None, **kwargs):
    def send(ctx):
        content = raw if raw is not None else _matrix(ctx, **kwargs)
        if zip_change:
            content = _rezip(content, zip_change)
        f = io.BytesIO(content)
        f.name = "matriz.xlsx"
        return ctx.client("ogpm").post("/planes/pnp2030/matriz/importar/", {"archivo": f, "resolucion": resolution})
    return send


def _no_code(ws):
    ws["A1"] = "Clave"


def _no_years(ws):
    for cell in ws[1]:
        if str(cell.value or "").startswith(("Logro esperado", "Valor obtenido")):
            cell.value = f"Dato {cell.column}"


def _old_year(ws):
    for cell in ws[1]:
        if cell.value == "Valor obtenido 2024":
            cell.value = "Valor obtenido 1800"


MATRIX = [
    Case("matriz", "no es xlsx", matrix(raw=b"no es excel"), FILE),
    Case("matriz", "bomba zip", matrix(raw=_zip_bomb()), "desproporcionado"),
    Case("matriz", "dimensión enorme", matrix(zip_change=_sheet(
        lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:ZZ900000"/>', d))), "declara"),
    Case("matriz", "sin columna Código", matrix(change=_no_code), "columna «Código»"),
    Case("matriz", "sin columnas de años", matrix(change=_no_years), "Logro esperado AAAA"),
    Case("matriz", "año 1800", matrix(change=_old_year), "años fuera de"),
    Case("matriz", "fórmula", matrix(value="=1+2"), "fórmula"),
    Case("matriz", "texto", matrix(value="muchos"), "«Valor obtenido 2024»"),
    Case("matriz", "400 nueves", matrix(code=COUNT, value=NINES), "«Valor obtenido 2024»"),
    Case("matriz", "1e300 en un conteo", matrix(code=COUNT, value=1e300), "magnitud máxima"),
    Case("matriz", "porcentaje 150", matrix(value=150), "supera el máximo"),
    Case("matriz", "meta −50 %", matrix(column="Logro esperado 2024", value=-50), "«Logro esperado 2024»"),
    Case("matriz", "meta ND", matrix(column="Logro esperado 2024", value="ND"), "un logro esperado es un número"),
    Case("matriz", "conteo ambiguo", matrix(code=COUNT, value="1,234"), "ambiguo"),
    Case("matriz", "fecha", matrix(value=datetime(2024, 1, 1)), "«Valor obtenido 2024»"),
    Case("matriz", "booleano", matrix(value=True), "«Valor obtenido 2024»"),
    Case("matriz", "celdas combinadas", matrix(change=lambda ws: ws.merge_cells("A2:B2")), "celdas combinadas"),
    Case("matriz", "resolución de 201", matrix(value="12", resolution="R" * 201), "campo «resolución que lo sustenta»"),
    Case("matriz", "sin archivo", lambda ctx: ctx.client("ogpm").post("/planes/pnp2030/matriz/importar/"), "campo «archivo»"),
    Case("matriz", "analista", lambda ctx: ctx.client("analista").post("/planes/pnp2030/matriz/importar/"), "importa la matriz"),
]


# Evidence ---------------------------------------------------------------------------------------------


def evidence(content: bytes | None, name="informe.pdf", who="op_inpe"):
    def send(ctx):
        data = {}
        if content is not None:
            f = io.BytesIO(content)
            f.name = name
            data["archivo"] = f
        return ctx.client(who).post(f"/campanas/{ctx.campaign.pk}/reportes/{INPE_IND}/evidencia/", data)
    return send


EVIDENCE = [
    Case("evidencia", "sin archivo", evidence(None), "campo «archivo»"),
    Case("evidencia", "vacío", evidence(b""), "campo «archivo»"),
    Case("evidencia", "ejecutable como pdf", evidence(b"MZ\x90\x00 ejecutable"), "no es PDF, XLSX, PNG ni JPEG"),
    Case("evidencia", "html", evidence(b"<html><script>alert(1)</script>", "x.html"), "no es PDF"),
    Case("evidencia", "svg", evidence(b"<svg onload=alert(1)>", "x.svg"), "no es PDF"),
    Case("evidencia", "zip que no es xlsx", evidence(_zip_bomb()[:200] and b"PK\x03\x04" + b"\0" * 100, "x.xlsx"), "no es PDF"),
    Case("evidencia", "gif", evidence(b"GIF89a....", "x.gif"), "no es PDF"),
    Case("evidencia", "11 MB", evidence(b"%PDF" + b"\0" * (11 * 1024 * 1024)), "el máximo es 10 MB"),
    Case("evidencia", "otra entidad", evidence(b"%PDF-1.4", who="op_pj"), "entidad responsable"),
    Case("evidencia", "decisor", evidence(b"%PDF-1.4", who="decisor"), "entidad responsable"),
]


# Objective analyses ----------------------------------------------------------------------------------


def analysis(version="0", text="Análisis", code="OP.03", who="op_inpe"):
    return lambda ctx: ctx.client(who).post(f"/campanas/{ctx.campaign.pk}/analisis/{code}/", {"version": version, "texto": text})


ANALYSES = [
    *[Case("análisis", f"versión {v!r}", analysis(version=v), "campo «versión»") for v in ("abc", "", "-1", "1.5", "9" * 30)],
    Case("análisis", "versión adelantada", analysis(version="5"), "otra persona guardó"),
    Case("análisis", "texto de 20 001", analysis(text="t" * 20001), "campo «análisis»: admite como máximo 20,000"),
    Case("análisis", "lineamiento, no objetivo", analysis(code="LN.01.01"), "no existe"),
    Case("análisis", "objetivo inexistente", analysis(code="OP.99"), "no existe"),
    Case("análisis", "otra entidad", analysis(code="OP.03", who="op_pj"), "entidad responsable|revisores"),
    Case("análisis", "decisor", analysis(who="decisor"), "entidad responsable|revisores"),
]


# Compromisos ----------------------------------------------------------------------------------------------


def commitment(who="analista", **data):
    def send(ctx):
        item = Commitment.objects.order_by("pk").first()
        values = {"id": item.pk, "version": item.version, "status": item.status, **data}
        return ctx.client(who).post("/compromisos/", values)
    return send


COMMITMENTS = [
    *[Case("compromisos", f"id {v!r}", commitment(id=v), "campo «id»") for v in ("abc", "", "-1", "1.5", "9" * 30)],
    Case("compromisos", "id inexistente", commitment(id="999999"), "no existe"),
    *[Case("compromisos", f"versión {v!r}", commitment(version=v), "campo «versión»") for v in ("abc", "", "-3")],
    Case("compromisos", "versión vieja", commitment(version="57"), "otra persona"),
    Case("compromisos", "estado hecho", commitment(status="hecho"), "campo «estado»"),
    *[Case("compromisos", f"plazo {v!r}", commitment(deadline=v), "campo «plazo»") for v in
      ("31/12/2026", "2026-02-30", "9999-12-31", "1800-01-01", "mañana", "2026-13-01")],
    Case("compromisos", "responsable de 301", commitment(responsible="r" * 301), "campo «responsable»: admite como máximo 300"),
    Case("compromisos", "seguimiento de 20 001", commitment(follow_up="s" * 20001), "campo «seguimiento»"),
    Case("compromisos", "operador", commitment(who="op_inpe"), "matriz de compromisos"),
]


# Targets -------------------------------------------------------------------------------------------------


def target(value="60", resolution="", code=INPE_IND, year=YEAR, who="ogpm"):
    return lambda ctx: ctx.client(who).post(f"/planes/pnp2030/indicadores/{code}/logro/{year}/", {"valor": value, "resolucion": resolution})


FIELD_TARGET = "campo «logro esperado»"
TARGETS = [
    *[Case("metas", f"meta {v!r}", target(v), FIELD_TARGET) for v in ("", "abc", "-50", "150", NINES, "inf", "nan", "1e5", "∞")],
    Case("metas", "conteo ambiguo", target("1,234", code=COUNT), FIELD_TARGET),
    Case("metas", "conteo enorme", target("9" * 20, code=COUNT), FIELD_TARGET),
    Case("metas", "resolución de 201", target(resolution="R" * 201), "campo «resolución que lo sustenta»"),
    Case("metas", "año 99999", target(year=99999), "No existe el año 99999"),
    Case("metas", "año 1800", target(year=1800), "No existe el año 1800"),
    Case("metas", "indicador inexistente", target(code="NO.EXISTE"), "no existe"),
    Case("metas", "analista", target(who="analista"), "logros esperados"),
    Case("metas", "operador", target(who="op_inpe"), "logros esperados"),
]


# Campaigns ----------------------------------------------------------------------------------------------


def open_campaign(**data):
    values = {"plan": "pei-inpe", "year": "2025", "opens": "2026-01-01", "deadline": "2026-02-01", **data}
    return lambda ctx: ctx.client("ogpm").post("/campanas/", values)


CAMPAIGNS = [
    *[Case("campañas", f"año {v!r}", open_campaign(year=v), "campo «año»") for v in ("abc", "99999", "1800", "", "2025.5")],
    *[Case("campañas", f"plazo {v!r}", open_campaign(deadline=v), "campo «plazo»") for v in ("9999-12-31", "2025-12-31", "31/12/2026", "")],
    Case("campañas", "inicio imposible", open_campaign(opens="2026-02-30"), "campo «inicio»"),
    Case("campañas", "nombre de 201", open_campaign(name="n" * 201), "campo «nombre»: admite como máximo 200"),
    Case("campañas", "campaña repetida", open_campaign(plan="pnp2030"), "ya están? en la campaña"),
    Case("campañas", "plan inexistente", open_campaign(plan="nada"), "no existe"),
    Case("campañas", "reabrir sin motivo", lambda ctx: ctx.client("ogpm").post(f"/campanas/{ctx.campaign.pk}/cerrar/", {"reabrir": "1"}),
         "campo «motivo»"),
]


# API ------------------------------------------------------------------------------------------------------


def api(path, who=None, **params):
    return lambda ctx: (ctx.client(who) if who else Client()).get(path, params)


P = "/api/publico/planes/pnp2030"
API = [
    Case("API", "anio texto", api(f"{P}/valores", anio="dosmil"), "parámetro 'anio'"),
    Case("API", "anio 1800", api(f"{P}/valores", anio="1800"), "parámetro 'anio'"),
    Case("API", "anio 99999", api(f"{P}/valores", anio="99999"), "parámetro 'anio'"),
    Case("API", "limit 0", api(f"{P}/valores", limit="0"), "parámetro 'limit'"),
    Case("API", "limit 5000", api(f"{P}/valores", limit="5000"), "parámetro 'limit'"),
    Case("API", "offset −1", api(f"{P}/valores", offset="-1"), "parámetro 'offset'"),
    Case("API", "offset enorme", api(f"{P}/valores", offset="9" * 30), "parámetro 'offset'"),
    Case("API", "tipo xx", api(f"{P}/valores", tipo="xx"), "parámetro 'tipo'"),
    Case("API", "edición inexistente", api(f"{P}/valores", edicion="X"), "edición 'X'"),
    Case("API", "periodo S9", api(f"{P}/valores", periodo="S9"), "periodo 'S9'"),
    Case("API", "indicador de 61", api(f"{P}/valores", indicador="I" * 61), "parámetro 'indicador'"),
    Case("API", "q de 201", api(f"{P}/indicadores", q="q" * 201), "parámetro 'q'"),
    Case("API", "nivel de 61", api(f"{P}/elementos", nivel="N" * 61), "parámetro 'nivel'"),
    Case("API", "entidad de 81", api(f"{P}/indicadores", entidad="E" * 81), "parámetro 'entidad'"),
    Case("API", "año en la ruta texto", api(f"{P}/avance/dosmil"), "parámetro 'year'"),
    Case("API", "año en la ruta 3000", api(f"{P}/avance/3000"), "parámetro 'year'"),
    Case("API", "periodo de avance S9", api(f"{P}/avance/2024", periodo="S9"), "periodo 'S9'"),
    Case("API", "edición de alertas", api(f"{P}/alertas/2024", edicion="RS-1999"), "edición 'RS-1999'"),
    Case("API", "plan inexistente", api("/api/publico/planes/nada/valores"), "plan 'nada'"),
    Case("API", "plan con ..", api("/api/publico/planes/..%2F..%2Fetc/valores"), "No existe"),
    Case("API", "plan con NUL", api("/api/publico/planes/pnp%002030"), "plan"),
    Case("API", "indicador inexistente", api(f"{P}/indicadores/NO.EXISTE"), "indicador 'NO.EXISTE'"),
    Case("API", "ruta inexistente", api("/api/publico/nada"), "No existe la ruta"),
    Case("API", "interna sin sesión", api("/api/planes/pnp2030/avance/2024"), "iniciar sesión"),
    Case("API", "interna sin rol", api("/api/planes/pnp2030/avance/2024", who="sin_rol"), "iniciar sesión"),
    Case("API", "interna año 1800", api("/api/planes/pnp2030/avance/1800", who="op_inpe"), "parámetro 'year'"),
]


# Entry grid (issue 9) -------------------------------------------------------------------------------


def grid_form(who="op_inpe", action="guardar", **lines):
    """The grid as posted: every line of ``who`` unchanged, with ``lines`` (code → inputs) typed in."""
    def send(ctx):
        from vigia.reporting import grid

        user = ctx.people[who]
        data = {"accion": action}
        for s in grid.reports(user, ctx.campaign) if grid.reports(user, ctx.campaign) else []:
            data.update({f"r{s.pk}-{k}": v for k, v in grid.stored(s).items()}, **{f"r{s.pk}-version": s.version})
            for key, value in lines.get(s.indicator.code.replace(".", "_"), {}).items():
                data[f"r{s.pk}-{key}"] = value
        return ctx.client(who).post(f"/campanas/{ctx.campaign.pk}/grilla/", data)
    return send


def grid_foreign(ctx):
    pj = Submission.objects.get(campaign=ctx.campaign, indicator__code=PJ_IND)
    return ctx.client("op_inpe").post(f"/campanas/{ctx.campaign.pk}/grilla/", {"accion": "guardar", f"r{pj.pk}-version": pj.version,
                                                                               f"r{pj.pk}-value": "30"})


IOP = INPE_IND.replace(".", "_")
GRID = [
    *[Case("grilla", f"valor {v!r}", grid_form(**{IOP: {"value": v}}), FIELD_VALUE) for v in
      ("doce", "150", "-3", NINES, "nan", "inf", "1e5", "\x00", "12..5")],
    Case("grilla", "salto sin justificación", grid_form(**{IOP: {"value": "30"}}), "justificación"),
    Case("grilla", "valor y ND", grid_form(**{IOP: {"value": "12", "status": "ND", "reason": "x"}}), FIELD_VALUE),
    Case("grilla", "ND sin motivo", grid_form(**{IOP: {"status": "ND"}}), "campo «motivo»"),
    Case("grilla", "estado XX", grid_form(**{IOP: {"status": "XX", "reason": "x"}}), "campo «estado»"),
    Case("grilla", "fuente de 301", grid_form(**{IOP: {"value": "12.5", "source": "f" * 301}}), "campo «fuente»"),
    Case("grilla", "análisis de 20 001", grid_form(**{IOP: {"value": "12.5", "analysis": "a" * 20001}}), "campo «análisis descriptivo»"),
    *[Case("grilla", f"versión {v!r}", grid_form(**{IOP: {"value": "12.5", "version": v}}), "campo «versión»") for v in ("abc", "-1", "9" * 30)],
    Case("grilla", "versión vieja", grid_form(**{IOP: {"value": "12.5", "version": "7"}}), "guardó este reporte|Otra persona cambió"),
    Case("grilla", "enviar con un error", grid_form(action="enviar", **{IOP: {"value": "12.5"}, "IOP_02_01": {"value": "mucho"}}), FIELD_VALUE),
    Case("grilla", "fila de otra entidad", grid_foreign, "no son indicadores que usted reporte"),
    Case("grilla", "analista", lambda ctx: ctx.client("analista").post(f"/campanas/{ctx.campaign.pk}/grilla/", {"accion": "guardar"}),
         "grilla de registro"),
    Case("grilla", "campaña inexistente", lambda ctx: ctx.client("op_inpe").post("/campanas/9999/grilla/", {}), "no existe|no encontr"),
]


# Write API (issue 9) --------------------------------------------------------------------------------


class Tokens:
    """Tokens created before the snapshot (creating one writes its digest)."""

    def __init__(self, ctx):
        from vigia.reporting import tokens

        self.by_user = {who: tokens.create(ctx.people[who]) for who in ("op_inpe", "analista")}


def post_api(rows=None, raw=None, who="op_inpe", token=None, campaign=None, **headers):
    def send(ctx):
        bearer = token if token is not None else ctx.tokens.by_user[who]
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if bearer:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {bearer}"
        body = raw if raw is not None else json.dumps(rows)
        return Client().post(f"/api/campanas/{campaign or ctx.campaign.pk}/reportes/", body, content_type="application/json", **extra)
    return send


def row(**data):
    return {"indicator": INPE_IND, "version": 0, **data}


WRITE_API = [
    Case("API escritura", "sin token", post_api([row(value=12.5)], token=""), "Authorization: Bearer"),
    Case("API escritura", "token falso", post_api([row(value=12.5)], token="vigia_falso"), "token"),
    Case("API escritura", "indicador de otra entidad", post_api([row(value=12.5), row(indicator=PJ_IND, value=30)]), PJ_IND),
    Case("API escritura", "analista", post_api([row(value=12.5)], who="analista"), "no reporta"),
    Case("API escritura", "versión vieja", post_api([row(value=12.5, version=7)]), "Otra persona cambió"),
    *[Case("API escritura", f"valor {v!r}", post_api([row(value=v)]), "valor obtenido|parámetro") for v in
      ("doce", "NaN", "Infinity", "150", -3, True, [1], {"a": 1}, NINES, "1e5")],
    Case("API escritura", "valor 1e400", post_api(raw=f'[{{"indicator": "{INPE_IND}", "version": 0, "value": 1e400}}]'), "valor obtenido"),
    Case("API escritura", "estado XX", post_api([row(status="XX", reason="x")]), "parámetro 'status'"),
    Case("API escritura", "ND sin motivo", post_api([row(status="ND")]), "campo «motivo»"),
    Case("API escritura", "motivo de 20 001", post_api([row(status="ND", reason="r" * 20001)]), "parámetro 'reason'"),
    Case("API escritura", "fuente de 301", post_api([row(value=12.5, source="f" * 301)]), "campo «fuente»"),
    Case("API escritura", "fuente de 301 con NUL", post_api([row(value=12.5, source="a\x00" * 301)]), "campo «fuente»"),
    *[Case("API escritura", f"versión {v!r}", post_api([row(value=12.5, version=v)]), "parámetro 'version'") for v in ("x", -1, 10**12, None)],
    Case("API escritura", "sin versión", post_api([{"indicator": INPE_IND, "value": 12.5}]), "parámetro 'version'"),
    Case("API escritura", "indicador de 61", post_api([row(indicator="I" * 61, value=1)]), "parámetro 'indicator'"),
    Case("API escritura", "indicador inexistente", post_api([row(indicator="NO.EXISTE", value=1)]), "no es un indicador de la campaña"),
    Case("API escritura", "no es una lista", post_api({"indicator": INPE_IND}), "Solicitud no válida"),
    Case("API escritura", "no es JSON", post_api(raw="{"), "no es JSON válido"),
    Case("API escritura", "salto sin justificación", post_api([row(value=30)]), "justificación"),
    Case("API escritura", "campaña inexistente", post_api([row(value=12.5)], campaign=9999), "No existe la campaña"),
    Case("API escritura", "Idempotency-Key de 201", post_api([row(value=12.5)], **{"Idempotency-Key": "k" * 201}), "Idempotency-Key"),
]


# Campaign set-up and bulk review (issue 9) ------------------------------------------------------------------


def setup(who="ogpm", **data):
    values = {"plan": "pnp2030", "year": "2026", "period": "anual", "deadline": "2099-01-31", "indicators": ["IOP.05.01"],
              "no_target_reason": "Metas en aprobación", **data}
    return lambda ctx: ctx.client(who).post("/campanas/nueva/", values)


def edit(who="ogpm", **data):
    return lambda ctx: ctx.client(who).post(f"/campanas/{ctx.campaign.pk}/configurar/", {"no_target_reason": "x", **data})


SETUP = [
    Case("configuración", "código inexistente", setup(indicators=["IOP.05.01", "IOP.05.99"]), "IOP.05.99 no es un indicador"),
    Case("configuración", "ningún indicador", setup(indicators=[]), "campo «indicadores»"),
    Case("configuración", "indicador de otra campaña", setup(year=str(YEAR)), "ya están? en la campaña"),
    Case("configuración", "indicador de otra entidad", setup(entity="Poder Judicial"), "no es de Poder Judicial"),
    Case("configuración", "entidad inexistente", setup(entity="NADA"), "campo «entidad»"),
    Case("configuración", "periodo S9", setup(period="S9"), "campo «periodo»"),
    Case("configuración", "sin metas ni motivo", setup(no_target_reason=""), "no tiene logro esperado"),
    Case("configuración", "motivo de 20 001", setup(no_target_reason="m" * 20001), "campo «motivo para abrir"),
    *[Case("configuración", f"meta {v!r}", setup(**{"meta-IOP.05.01": v}), FIELD_TARGET) for v in ("abc", "150", "-1", NINES, "nan")],
    Case("configuración", "plazo imposible", setup(deadline="2026-02-30"), "campo «plazo»"),
    Case("configuración", "analista", setup(who="analista"), "abre campañas"),
    Case("configuración", "quitar todos", edit(indicators=[]), "al menos un indicador"),
    Case("configuración", "agregar inexistente", edit(indicators=[INPE_IND, "NO.EXISTE"]), "NO.EXISTE no es un indicador"),
    Case("configuración", "meta no válida", edit(indicators=[INPE_IND], **{f"meta-{INPE_IND}": "mucho"}), FIELD_TARGET),
    Case("configuración", "operador", edit(who="op_inpe", indicators=[INPE_IND]), "cambia campañas"),
    *[Case("revisión en bloque", f"ids {v!r}", lambda ctx, v=v: ctx.client("analista").post("/pendientes/aprobar/", {"ids": v}),
           "campo «reportes»") for v in ("abc", "", "-1", "9" * 30)],
    Case("revisión en bloque", "sin ids", lambda ctx: ctx.client("analista").post("/pendientes/aprobar/", {}), "campo «reportes»"),
    Case("revisión en bloque", "acción desconocida", lambda ctx: ctx.client("analista").post("/pendientes/borrar/", {"ids": "1"}), "no existe"),
    Case("revisión en bloque", "comentario de 20 001", lambda ctx: ctx.client("analista").post(
        "/pendientes/aprobar/", {"ids": "1", "comentario": "c" * 20001}), "campo «comentario»"),
    Case("revisión en bloque", "operador", lambda ctx: ctx.client("op_inpe").post("/pendientes/aprobar/", {"ids": "1"}), "revisan reportes"),
]

CASES = FORM + TEMPLATE + MATRIX + EVIDENCE + ANALYSES + COMMITMENTS + TARGETS + CAMPAIGNS + API + GRID + WRITE_API + SETUP


def _alerts(body: str) -> str:
    """What the page says went wrong (its alerts), for a readable failure."""
    found = re.findall(r'role="alert"[^>]*>(.*?)</div>', body, re.S) or re.findall(r'role="alert"[^>]*>(.*?)</p>', body, re.S)
    return " | ".join(re.sub(r"<[^>]+>", " ", f).strip() for f in found) or body[:500]


def test_the_suite_covers_every_surface_with_at_least_150_inputs():
    assert len(CASES) >= 150
    assert {c.surface for c in CASES} == {"formulario", "plantilla", "matriz", "evidencia", "análisis", "compromisos", "metas",
                                           "campañas", "API", "grilla", "API escritura", "configuración", "revisión en bloque"}


@pytest.fixture
def ctx(people, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    set_target(people["ogpm"], INPE_IND, "60")  # so a value of 2025 has its target (the jump rule has a 2024 value)
    ctx = Ctx(people, campaign)
    ctx.tokens = Tokens(ctx)
    return ctx


@pytest.mark.parametrize("case", CASES, ids=[f"{c.surface}: {c.label}" for c in CASES])
def test_malformed_input_is_refused_cleanly_and_changes_nothing(ctx, case, settings):
    before = snapshot(settings.MEDIA_ROOT)
    response = case.send(ctx)
    body = html.unescape(response.content.decode("utf-8", "replace"))
    if response.get("Content-Type", "").startswith("application/json"):
        body = response.json()["detail"]
    assert response.status_code in case.status, (response.status_code, _alerts(body))
    assert re.search(case.names, body, re.IGNORECASE), (response.status_code, _alerts(body))
    assert "Traceback" not in body and "matches the given query" not in body
    assert snapshot(settings.MEDIA_ROOT) == before, "the database or the evidence files changed"
