"""The penitentiary registry in the API: the imported extract's facts, the measures' catalogue, the
organisational units on a date and the figures (``Registry.measures``), in JSON or CSV.

Built once per audience, like the plans' routers: ``/api/publico/registro`` gives the public figures
(cells under 5 persons suppressed, as on the portal, and only the stored dates: month-ends and the
cut-off, whose differences cannot single out one person's day); ``/api/registro`` gives the full
figures, on any date of a kept extract, to users whom ``reporting.permissions.sees_registry_cells``
allows — the internal registry page's rule. Only aggregates are read: no person-level row or id can
leave. The extract's fingerprint (SHA-256) and whether person-level rows were kept are internal
facts: the public gets neither. Answers carry an ETag (the extract, the audience and the address):
a client that sends it back gets 304 until the next import.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from datetime import date
from typing import Any, Literal

import duckdb
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja.constants import NOT_SET
from ninja.errors import HttpError

from vigia.core import models as m
from vigia.registry import Registry, RegistryError
from vigia.registry import output
from vigia.registry.measures import MEASURES, sql
from vigia.registry.schema import DEPARTMENTS, NATION, OFFICES
from vigia.reporting.permissions import sees_registry_cells

from . import registry_schemas as s
from .data import Scope
from .schemas import ErrorOut, ValidationErrorOut

MAX_DATES = 120  # ten years of month-ends
MAX_ROWS = 10_000
NOTICE = "DATOS DE DEMOSTRACIÓN: extracto sintético del registro penitenciario, ninguna persona real."
NONE_YET = "Todavía no se importó ningún extracto del registro penitenciario."


def _registry(scope: Scope) -> Registry:
    """The imported extract; 404 in Spanish when there is none."""
    try:
        return Registry.open(settings.DATA_DIR)
    except RegistryError:
        raise HttpError(404, NONE_YET + ("" if scope.published_only else " Impórtelo con: vigia registry import CARPETA.")) from None
    except duckdb.Error:
        raise HttpError(503, "No se pudo leer el extracto importado del registro penitenciario; vuelva a intentarlo en unos minutos.") from None


def _demo() -> dict:
    return {"demo": settings.VIGIA_DEMO, "notice": NOTICE if settings.VIGIA_DEMO else None}


def _suppressed(request: HttpRequest, scope: Scope) -> bool:
    return scope.published_only or not sees_registry_cells(request.auth)


def _fresh(request: HttpRequest, response: HttpResponse, registry: Registry, scope: Scope) -> HttpResponse | None:
    """Sets the ETag and caching headers on ``response``; a 304 when the client already has this answer."""
    info = registry.info
    key = repr((info.sha256, info.imported, info.kept, scope.name, settings.VIGIA_DEMO, request.get_full_path()))
    etag = f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache" if scope.published_only else "private, no-cache"
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        answer = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control"):
            answer[header] = response[header]
        return answer
    return None


def _dates(registry: Registry, asked: list[date] | None, suppressed: bool) -> list[date]:
    """The dates asked for (default the cut-off date), each one the audience may ask for."""
    dates = sorted(set(asked or [registry.info.cutoff]))
    if len(dates) > MAX_DATES:
        raise HttpError(400, f"Parámetro «fecha»: como máximo {MAX_DATES} fechas por consulta (se pidieron {len(dates)}).")
    stored = set(registry.standard_dates())
    other = next((d for d in dates if d not in stored and registry.info.start <= d <= registry.info.cutoff), None)
    if suppressed and other:
        raise HttpError(400, f"Parámetro «fecha»: los datos publicados tienen cifras a fin de cada mes y a la fecha de corte; "
                             f"el {other:%d/%m/%Y} no es una de ellas (las fechas están en «dates» de {reverse('api:publico-registry')}).")
    return dates


@lru_cache(maxsize=4)  # per imported extract (Registry.open gives the same object until the next import)
def _unit_codes(registry: Registry) -> set[str]:
    return {NATION, *OFFICES, *(u["code"] for u in registry.establishment_rows())}


def build_registry_router(scope: Scope, auth: Any) -> Router:
    """The registry's read operations for one audience (``auth``: the session of a user with a role,
    or none for the public)."""
    authenticated = not scope.published_only
    router = Router(auth=auth if authenticated else NOT_SET, tags=[f"Registro penitenciario: {scope.tag.lower()}"])
    common: dict[int, Any] = {401: ErrorOut} if authenticated else {}
    missing = {404: ErrorOut, 503: ErrorOut}

    def op(path: str, name: str, summary: str, description: str, response: dict[int, Any], **extra):
        return router.get(path, response={**response, **common}, operation_id=f"{scope.name}_{name}",
                          url_name=f"{scope.name}-{name}", summary=summary,
                          description=f"{description} Alcance: {scope.title}.", **extra)

    def links() -> dict[str, str]:
        return {k: reverse(f"api:{scope.name}-{name}") for k, name in
                (("self", "registry"), ("medidas", "registry-measures"), ("unidades", "registry-units"), ("cifras", "registry-figures"))}

    @op("", "registry", "Extracto del registro",
        "El extracto del Registro Penitenciario importado: fecha de corte, periodo, cuántos establecimientos, estancias y "
        "personas trae (solo totales), cuándo se importó y las fechas con cifras calculadas.",
        {200: s.RegistryOut if scope.published_only else s.RegistryInternalOut, **missing})
    def registry(request: HttpRequest, response: HttpResponse):
        reg = _registry(scope)
        if (fresh := _fresh(request, response, reg, scope)) is not None:
            return fresh
        info, suppressed = reg.info, _suppressed(request, scope)
        out = {"start": info.start, "cutoff": info.cutoff, "imported": timezone.make_aware(info.imported), "establishments": info.establishments,
               "stays": info.stays, "persons": info.persons, "dates": reg.standard_dates(),
               "any_date": info.kept and not suppressed, "suppressed": suppressed, **_demo(), "links": links()}
        if authenticated:
            out.update({"sha256": info.sha256, "formats": info.formats, "kept": info.kept})
        return out

    @op("/medidas", "registry-measures", "Medidas del registro",
        "Las medidas que Vigía calcula del registro: nombre, etiqueta, unidad, si son cocientes o van por sexo, los "
        "indicadores de los planes vinculados a cada una y su definición (el SQL que se ejecuta). No necesita un extracto importado.",
        {200: list[s.MeasureOut]})
    def measures(request: HttpRequest):
        linked: dict[str, list[dict]] = {}
        for measure, plan, code in (m.Indicator.objects.exclude(registry_measure="").order_by("plan__code", "position")
                                    .values_list("registry_measure", "plan__code", "code")):
            linked.setdefault(measure, []).append({"plan": plan, "code": code})
        return [{"name": x.name, "label": x.label, "unit": x.unit, "ratio": x.ratio, "by_sex": x.by_sex, "kind": x.kind,
                 "national": x.national, "indicators": linked.get(x.name, []), "definition": sql(x.name)} for x in MEASURES]

    @op("/unidades", "registry-units", "Unidades organizativas",
        "El INPE (PE), sus oficinas regionales y los establecimientos (EP y EML) en funcionamiento en la fecha, con su "
        "departamento, la capacidad de albergue y el área que rigen ese día.",
        {200: s.UnitsOut, 400: ErrorOut, 422: ValidationErrorOut, **missing})
    def units(request: HttpRequest, response: HttpResponse,
              fecha: date | None = Query(None, description="Fecha AAAA-MM-DD dentro del extracto; por defecto, la fecha de corte.")):
        reg = _registry(scope)
        on = fecha or reg.info.cutoff
        if not reg.info.start <= on <= reg.info.cutoff:
            raise HttpError(400, f"Parámetro «fecha»: la fecha {on:%d/%m/%Y} está fuera del extracto, que va del "
                                 f"{reg.info.start:%d/%m/%Y} al {reg.info.cutoff:%d/%m/%Y}.")
        if (fresh := _fresh(request, response, reg, scope)) is not None:
            return fresh
        offices: dict[str, list[dict]] = {o: [] for o in OFFICES}
        for u in reg.units(on):
            offices.setdefault(u["office"], []).append({**u, "department_name": DEPARTMENTS.get(u["department"], u["department"])})
        return {"date": on, "code": NATION, "name": "Instituto Nacional Penitenciario (INPE)", **_demo(),
                "offices": [{"code": o, "name": f"Oficina Regional {o}", "establishments": e} for o, e in offices.items() if e]}

    @op("/cifras", "registry-figures", "Cifras del registro",
        "Las medidas en una o más fechas, por establecimiento, oficina regional, nación y sexo: una fila por medida, fecha, "
        "unidad y sexo con las columnas measure, date, scope, code, sex, value, numerator, denominator (las de "
        "`vigia registry measures --format csv`). Porcentajes en por ciento, con toda su precisión. "
        + ("Las celdas que descansan en 1 a 4 personas, y las que las delatarían, van vacías con «suppressed» verdadero; "
           "solo las fechas de «dates» (fin de cada mes y fecha de corte)." if scope.published_only else
           "Cifras completas (sin ocultar celdas), en cualquier fecha del periodo si el extracto conservó las filas por persona.")
        + " Con formato=csv, el archivo completo (sin paginar).",
        {200: s.FiguresOut, 400: ErrorOut, 422: ValidationErrorOut, **missing},
        openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}})
    def figures(
        request: HttpRequest,
        response: HttpResponse,
        fecha: list[date] | None = Query(None, description=f"Fecha AAAA-MM-DD (repetible, hasta {MAX_DATES}); por defecto, la fecha de corte."),
        medida: list[s.MeasureName] | None = Query(None, description="Medida (repetible): poblacion, sobrepoblacion, sin_sentencia…; por defecto, todas."),
        ambito: list[s.ScopeName] | None = Query(None, description="Ámbito (repetible): nation, office o establishment; por defecto, todos."),
        codigo: str | None = Query(None, max_length=80, description="Una unidad: PE, el nombre de una oficina regional o el código de un establecimiento."),
        sexo: Literal["M", "F", "ambos"] | None = Query(None, description="M, F o ambos (las filas de ambos sexos); por defecto, todas."),
        formato: Literal["json", "csv"] = Query("json", description="json (paginado) o csv (todas las filas)."),
        limit: int = Query(1000, ge=1, le=MAX_ROWS, description=f"Cuántas filas devolver en JSON (1 a {MAX_ROWS})."),
        offset: int = Query(0, ge=0, le=10_000_000, description="Cuántas filas saltar desde el inicio."),
    ):
        reg = _registry(scope)
        suppressed = _suppressed(request, scope)
        dates = _dates(reg, fecha, suppressed)
        if codigo is not None and codigo not in _unit_codes(reg):
            raise HttpError(400, f"Parámetro «codigo»: no existe la unidad «{codigo[:80]}» en el extracto (use PE, el nombre de "
                                 f"una oficina regional o el código de un establecimiento; ver {reverse(f'api:{scope.name}-registry-units')}).")
        if (fresh := _fresh(request, response, reg, scope)) is not None:
            return fresh
        try:
            rows = reg.measures(dates, list(medida or []) or None, list(ambito or []) or None, codigo,
                                None if sexo is None else "" if sexo == "ambos" else sexo, public=suppressed)
        except RegistryError as exc:  # a date outside the extract, or not stored in a discarded one
            raise HttpError(400, f"Parámetro «fecha»: {exc}.") from None
        if formato == "csv":
            return _csv(rows, suppressed, response)
        return {"cutoff": reg.info.cutoff, "suppressed": suppressed, **_demo(), "count": len(rows),
                "items": [output.record(r, True) for r in rows[offset:offset + limit]]}

    return router


def _csv(rows, suppressed: bool, headers: HttpResponse) -> HttpResponse:
    buffer = io.StringIO()
    output.write_csv(rows, buffer, suppressed)
    answer = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = "registro-cifras" + ("-DEMOSTRACION" if settings.VIGIA_DEMO else "")
    answer["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    for header in ("ETag", "Cache-Control"):
        answer[header] = headers[header]
    if settings.VIGIA_DEMO:
        answer["X-Vigia-Datos"] = "demostracion"
    return answer
