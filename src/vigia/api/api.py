"""The JSON API (django-ninja): plans, elements, indicator fichas, values, avance and alerts.

Two routers answer the same operations, both built by :func:`build_router`:

* ``/api/publico/`` — no authentication; only published values (``Scope.published_only``).
* ``/api/`` — Django session of a user with a role; the figures that user's audience may see
  (``reporting.permissions.audience``), the same rule as the pages and downloads.

Plus ``/api/campanas/`` (``entry``): the write API for entities' systems, with a token.
Errors are JSON ``{"detail": "…"}`` in Spanish: 404 for an unknown plan or indicator,
400 for an unknown edition or period, 422 (naming the parameter) for a malformed parameter and
401 for the authenticated router without a session. Documentation at ``/api/docs`` (Swagger UI
served from Vigía's own static files, no CDN) and the contract at ``/api/openapi.json``.
"""

from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import reverse
from ninja import NinjaAPI, Path, Query, Router, Schema
from ninja.constants import NOT_SET
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.renderers import JSONRenderer
from ninja.security import SessionAuth
from pydantic import Field

from vigia.core import models as m
from vigia import outputs
from vigia.messages import pydantic_message
from vigia.datasets import Dataset
from vigia.methodology import alerts as alert_rules
from vigia.presentation import alerts as alert_text
from vigia.presentation.matrix import folded
from vigia.methodology.evaluation import indicator_level
from vigia.methodology.model import Status
from vigia.presentation.payload import progress_payload

from . import data, entry
from .registry import build_registry_router
from . import schemas as s
from .data import INTERNAL, PUBLIC, Scope

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000
YEAR = {"ge": 1990, "le": 2100}
PLAN = Path(..., example="pnp2030", description="Código del plan: pnp2030, pei-inpe, pp-creo…")

DESCRIPTION = """\
API de **Vigía**, el sistema de seguimiento y evaluación de la *Política Nacional Penitenciaria
al 2030* y de los planes que la implementan (PEI del INPE, programa presupuestal CREO), con la
metodología de CEPLAN.

Grupos de operaciones:

* **`/api/publico/…`** — datos publicados, sin autenticación.
* **`/api/…`** — todos los datos, incluidos los que aún están en revisión; requiere haber
  iniciado sesión en Vigía (cookie de sesión de Django).
* **`/api/publico/registro…`** y **`/api/registro…`** — el Registro Penitenciario: el extracto
  importado, sus medidas, las unidades organizativas y las cifras por establecimiento, oficina
  regional, nación y sexo (JSON o CSV). Las públicas ocultan las celdas con menos de 5 personas;
  con sesión iniciada, las cifras completas. Ninguna fila por persona sale de Vigía.
* **`/api/campanas/…`** — para los sistemas de las entidades: leer las campañas abiertas y sus
  reportes, y guardarlos (y enviarlos a revisión) en una sola entrega, todo o nada. Requiere un
  token (`Authorization: Bearer <token>`, creado con `vigia tokens create USUARIO` o en «Mi
  cuenta»); actúa con el rol y la entidad de su usuario. Con la cabecera `Idempotency-Key`, un
  reintento recibe la misma respuesta sin escribir dos veces.

Las listas se paginan con `limit` y `offset` y devuelven `items` y `count`. Las cifras se
entregan con toda su precisión; el avance (`progress`) además se redondea como lo publica el
reporte. ND (no disponible) y SD (sin dato) son estados (`status`), nunca números: su `value` es
nulo. Los errores son JSON con un campo `detail` en español.
"""


class PageInput(Schema):
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"Cuántos elementos devolver (1 a {MAX_LIMIT}).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Cuántos elementos saltar desde el inicio de la lista.")


class PageOutput(Schema):
    items: list[Any] = Field(..., description="Los elementos de esta página.")
    count: int = Field(..., description="Total de elementos que cumplen los filtros.")


class Pagination(LimitOffsetPagination):
    """limit/offset with bounds (a huge offset is a 422, not a database error) and Spanish docs."""

    Input = PageInput
    Output = PageOutput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


# Shaping ------------------------------------------------------------------------------------------


def _plan_links(scope: Scope, code: str) -> dict[str, str]:
    base = reverse(f"api:{scope.name}-plan", kwargs={"plan": code})
    return {
        "self": base,
        "elementos": f"{base}/elementos",
        "indicadores": f"{base}/indicadores",
        "valores": f"{base}/valores",
        "avance": f"{base}/avance/{{anio}}",
        "alertas": f"{base}/alertas/{{anio}}",
    }


def _plan_out(plan: m.Plan, scope: Scope) -> dict:
    return {
        "code": plan.code, "name": plan.name, "kind": plan.kind, "kind_label": plan.get_kind_display(),
        "entity": plan.entity.code, "entity_name": plan.entity.name, "ruleset": plan.ruleset,
        "period_start": plan.period_start, "period_end": plan.period_end, "current_vintage": plan.current_vintage,
        "vintages": [{"code": v.code, "name": v.name, "seed": v.seed, "date": v.date} for v in plan.vintages.all()],
        "links": _plan_links(scope, plan.code),
    }


def _indicator_levels(ds: Dataset) -> dict[str, str]:
    return {i.code: indicator_level(ds.plan, i) for i in ds.plan.indicators}


def _figure(v: Any) -> float | str | None:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, Status):
        return v.value
    return float(v)


# Routers ------------------------------------------------------------------------------------------


class RoleSession(SessionAuth):
    """A Django session of a user with a role in Vigía (the public uses /api/publico/)."""

    def authenticate(self, request, key):
        from vigia.reporting.permissions import can_view_internal

        user = super().authenticate(request, key)
        return user if user and can_view_internal(user) else None


role_session = RoleSession()


def build_router(scope: Scope) -> Router:
    """The read-only operations for one audience. Built once per scope, so the public and the
    authenticated API cannot drift apart: the only difference is ``scope``."""
    authenticated = not scope.published_only
    router = Router(auth=role_session if authenticated else NOT_SET, tags=[scope.tag])
    common: dict[int, Any] = {401: s.ErrorOut} if authenticated else {}
    not_found = {404: s.ErrorOut, 422: s.ValidationErrorOut}
    bad_request = {400: s.ErrorOut}

    def op(path: str, name: str, summary: str, description: str, response: dict[int, Any]):
        return router.get(
            path,
            response={**response, **common},
            operation_id=f"{scope.name}_{name}",
            url_name=f"{scope.name}-{name}",
            summary=summary,
            description=f"{description} Alcance: {scope.title}.",
        )

    @op("/planes", "plans", "Planes", "Los planes incluidos, con sus ediciones y enlaces.", {200: list[s.PlanOut]})
    def plans(request: HttpRequest):
        return [_plan_out(p, scope) for p in m.Plan.objects.select_related("entity").prefetch_related("vintages")]

    @op("/planes/{plan}", "plan", "Plan", "Un plan: niveles de su jerarquía y claves de sus textos.",
        {200: s.PlanDetailOut, **not_found})
    def plan(request: HttpRequest, plan: str = PLAN):
        ds = data.dataset(plan, data.viewer(request, scope))
        row = m.Plan.objects.select_related("entity").prefetch_related("vintages").get(code=ds.code)
        return {
            **_plan_out(row, scope),
            "levels": [{"code": lv.code, "name": lv.name, "parents": lv.parents, "indicator_prefix": lv.indicator_prefix}
                       for lv in ds.spec.levels],
            "texts": list(ds.spec.texts),
            "element_count": len(ds.spec.elements),
            "indicator_count": len(ds.indicator_specs),
        }

    @op("/planes/{plan}/elementos", "elements", "Elementos",
        "Objetivos, lineamientos, servicios, acciones… del plan, en el orden de la matriz.", {200: list[s.ElementOut], **not_found})
    @paginate(Pagination)
    def elements(
        request: HttpRequest,
        plan: str = PLAN,
        nivel: str | None = Query(None, max_length=60, description="Solo los elementos de este nivel (OP, LN, SS, OEI, AEI…)."),
        padre: str | None = Query(None, max_length=60, description="Solo los elementos que dependen directamente de este elemento."),
    ):
        ds = data.dataset(plan, data.viewer(request, scope))
        own: dict[str, list[str]] = {}
        for i in ds.indicator_specs:
            own.setdefault(i.element, []).append(i.code)
        return [
            {"code": e.code, "level": e.level, "name": e.name, "parent": e.parent, "attributes": e.attributes,
             "aligned_to": e.aligned_to, "texts": list(e.texts), "indicators": own.get(e.code, [])}
            for e in ds.spec.elements
            if (nivel is None or e.level == nivel) and (padre is None or e.parent == padre)
        ]

    @op("/planes/{plan}/indicadores", "indicators", "Indicadores",
        "Los indicadores del plan con lo esencial de su ficha.", {200: list[s.IndicatorOut], **not_found})
    @paginate(Pagination)
    def indicators(
        request: HttpRequest,
        plan: str = PLAN,
        entidad: str | None = Query(None, max_length=80, description="Entidad responsable (INPE, Poder Judicial…), sin distinguir mayúsculas."),
        elemento: str | None = Query(None, max_length=60, description="Solo los indicadores de este elemento."),
        nivel: str | None = Query(None, max_length=60, description="Solo los indicadores de elementos de este nivel (OP, SS, OEI…)."),
        q: str | None = Query(None, max_length=200, description="Texto a buscar en el código o el nombre (sin distinguir mayúsculas ni tildes)."),
    ):
        ds = data.dataset(plan, data.viewer(request, scope))
        levels = _indicator_levels(ds)
        element_level = {e.code: e.level for e in ds.spec.elements}
        needle = folded(q.strip()) if q and q.strip() else None
        entity = entidad.casefold() if entidad else None
        return [
            {"code": i.code, "name": i.name, "level": levels[i.code], "element": i.element,
             "element_level": element_level[i.element], "entity": i.entity, "direction": i.direction,
             "unit": i.unit, "unit_label": i.unit_label}
            for i in ds.indicator_specs
            if (entity is None or (i.entity or "").casefold() == entity)
            and (elemento is None or i.element == elemento)
            and (nivel is None or element_level[i.element] == nivel)
            and (needle is None or needle in folded(i.code) or needle in folded(i.name))
        ]

    @op("/planes/{plan}/indicadores/{code}", "indicator", "Ficha de un indicador",
        "La ficha completa del indicador y la ruta de elementos de la que depende.", {200: s.IndicatorDetailOut, **not_found})
    def indicator(
        request: HttpRequest,
        plan: str = PLAN,
        code: str = Path(..., example="IOP.01.01", description="Código del indicador, p. ej. IOP.01.01."),
    ):
        ds = data.dataset(plan, data.viewer(request, scope))
        spec = next((i for i in ds.indicator_specs if i.code == code), None)
        if spec is None:
            raise HttpError(404, f"No existe el indicador '{code}' en el plan '{ds.code}'.")
        elements = {e.code: e for e in ds.spec.elements}
        path, at = [], spec.element
        while at:
            e = elements[at]
            path.append({"code": e.code, "level": e.level, "name": e.name})
            at = e.parent
        level = next(indicator_level(ds.plan, i) for i in ds.plan.indicators if i.code == code)
        return {**spec.model_dump(), "level": level, "path": path[::-1]}

    @op("/planes/{plan}/valores", "values", "Valores",
        "Las cifras de los indicadores en formato largo (una fila por indicador, edición, año, periodo y tipo), "
        "con su fuente. ND y SD van en «status» con «value» nulo.",
        {200: list[s.ValueOut], **bad_request, **not_found})
    @paginate(Pagination)
    def values(
        request: HttpRequest,
        plan: str = PLAN,
        indicador: str | None = Query(None, max_length=60, description="Código del indicador."),
        anio: int | None = Query(None, **YEAR, description="Año de la cifra."),
        tipo: s.ValueKind | None = Query(None, description="baseline, target, actual, target_printed, actual_printed, actual_stated, numerator o denominator."),
        edicion: str | None = Query(None, max_length=40, description="Edición (p. ej. RS-2020); por defecto, todas."),
        periodo: str | None = Query(None, max_length=10, description="anual o S1; por defecto, ambos."),
    ):
        ds = data.dataset(plan, data.viewer(request, scope))
        qs = data.values(ds, scope)
        if edicion is not None:
            qs = qs.filter(vintage__code=data.vintage(ds, edicion))
        if periodo is not None:
            qs = qs.filter(period=data.period(periodo))
        if indicador is not None:
            known = any(i.code == indicador for i in ds.indicator_specs)
            qs = qs.filter(indicator__code=indicador) if known else qs.none()
        if anio is not None:
            qs = qs.filter(year=anio)
        if tipo is not None:
            qs = qs.filter(kind=tipo)
        return qs

    @op("/planes/{plan}/avance/{year}", "progress", "Avance del año",
        "Avance de cada objetivo, elemento e indicador con su semáforo, el promedio por objetivo, el índice de "
        "gestión (políticas nacionales) y el conteo de semáforos por nivel, calculados con las reglas de CEPLAN "
        "del plan. Las mismas cifras que `vigia progress --format json`.",
        {200: s.ProgressOut, **bad_request, **not_found})
    def progress(
        request: HttpRequest,
        plan: str = PLAN,
        year: int = Path(..., **YEAR, example=2024, description="Año evaluado."),
        edicion: str | None = Query(None, max_length=40, description="Edición de los datos (p. ej. RS-2020); por defecto, la vigente."),
        periodo: str = Query("anual", max_length=10, description="anual o S1 (primer semestre)."),
    ):
        viewer = data.viewer(request, scope)
        period = data.period(periodo)
        ds = data.dataset(plan, viewer, year, period)
        vintage = data.vintage(ds, edicion)
        return progress_payload(ds, data.evaluation(ds, year, vintage, period, viewer), vintage)

    @op("/planes/{plan}/alertas/{year}", "alerts", "Alertas del año",
        "Alertas (a)-(d) del reporte de seguimiento, generadas a partir de los datos: (a) indicadores de objetivos "
        "que no se han podido medir, (b) indicadores de servicios no reportados o sin logro esperado, (c) servicios "
        "cuyo valor obtenido disminuye de manera sostenida (bajó respecto del año anterior sin haber subido el año previo), "
        "no alcanzan el 95% de avance y no están en (d), y (d) indicadores con el menor avance.",
        {200: s.AlertsOut, **bad_request, **not_found})
    def alerts(
        request: HttpRequest,
        plan: str = PLAN,
        year: int = Path(..., **YEAR, example=2024, description="Año evaluado."),
        edicion: str | None = Query(None, max_length=40, description="Edición de los datos; por defecto, la vigente."),
    ):
        viewer = data.viewer(request, scope)
        ds = data.dataset(plan, viewer, year)
        vintage = data.vintage(ds, edicion)
        ev = data.evaluation(ds, year, vintage, "anual", viewer)
        found = alert_rules.alerts(ev, ds.series(vintage))
        shown = alert_text.shown(found, ds, year, ev.rules)
        return {
            "plan": ds.code, "year": year, "vintage": vintage,
            "alerts": [
                {"kind": a.kind, "title": a.title, "text": words.text,
                 "items": [{"code": i.code, "name": i.name, "detail": w.detail,
                            "figures": {k: _figure(v) for k, v in i.figures.items()}} for i, w in zip(a.items, words.items)]}
                for a, words in zip(found, shown)
            ],
        }

    return router


# The API ------------------------------------------------------------------------------------------


RESPONSES = {
    "200": "Correcto",
    "400": "Edición o periodo inexistente",
    "401": "Sin sesión iniciada",
    "404": "Plan o indicador inexistente",
    "422": "Parámetro no válido",
}
REGISTRY_RESPONSES = {  # /api/publico/registro and /api/registro
    "200": "Correcto",
    "304": "Sin cambios desde la respuesta con esa ETag",
    "400": "Fecha fuera del extracto o no disponible, o unidad inexistente (el mensaje nombra el parámetro)",
    "401": "Sin sesión iniciada",
    "404": "Ningún extracto del registro importado",
    "422": "Parámetro no válido (medida, ámbito, sexo o formato desconocidos; fecha mal escrita)",
    "503": "El extracto importado no se pudo leer en este momento",
}
WRITE_RESPONSES = {  # /api/campanas/: an entity's system with a token
    "200": "Correcto",
    "400": "Un cuerpo que no es JSON",
    "401": "Sin token válido",
    "403": "Un indicador de otra entidad: no se guardó nada",
    "404": "Campaña inexistente o cerrada",
    "409": "Otra persona cambió un reporte desde la versión enviada: no se guardó nada",
    "422": "Parámetro o fila no válidos: no se guardó nada",
}


class FiniteJSON(JSONRenderer):
    """Always valid JSON: a non-finite number (never accepted, but never trusted either) is null."""

    def render(self, request, data, *, response_status):
        return outputs.json_dumps(data, cls=self.encoder_class, **self.json_dumps_params)


class VigiaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's schema with the responses described in Spanish."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path, operations in schema["paths"].items():
            described = (WRITE_RESPONSES if path.startswith("/api/campanas/") else
                         REGISTRY_RESPONSES if path.startswith(("/api/registro", "/api/publico/registro")) else RESPONSES)
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    response["description"] = described.get(str(code), response["description"])
        return schema

    @property
    def urls(self):
        """Ninja's URL patterns, marked as not needing Django's login: the public router and the
        documentation are open, and the authenticated router answers 401 in JSON by itself
        (rather than a redirect to the login page, should LoginRequiredMiddleware be enabled)."""
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            pattern.callback = _spanish_405(pattern.callback)
            pattern.callback.login_required = False
        return patterns, app_name, namespace


READ_ONLY = ("Esta dirección de la API de Vigía solo consulta datos (GET). Los sistemas de las entidades reportan valores "
             "en /api/campanas/<id>/reportes/ con un token; las metas y los análisis se registran en las páginas de "
             "Vigía, que verifican permisos y periodos bloqueados.")


def _spanish_405(view):
    """Ninja's own 405 («Method not allowed») answered in Spanish JSON, saying what the address admits."""

    @wraps(view)
    def answer(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = sorted(method.strip() for method in response["Allow"].split(","))
        admits = READ_ONLY if allowed == ["GET"] else f"Esta dirección admite {', '.join(allowed)}."
        spanish = JsonResponse({"detail": f"Método {request.method} no admitido. {admits}"}, status=405,
                               json_dumps_params={"ensure_ascii": False})
        spanish["Allow"] = ", ".join(allowed)
        return spanish

    return answer


api = VigiaAPI(
    title="Vigía API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=Swagger(settings={"docExpansion": "list", "defaultModelsExpandDepth": 0}),
    docs_url="/docs",
    renderer=FiniteJSON(),
)
api.add_router("/publico/", build_router(PUBLIC))
api.add_router("/", build_router(INTERNAL))
api.add_router("/publico/registro", build_registry_router(PUBLIC, role_session))
api.add_router("/registro", build_registry_router(INTERNAL, role_session))
api.add_router("/campanas/", entry.router)


@api.get("", include_in_schema=False)
def index(request: HttpRequest):
    return {
        "detail": "API de Vigía. Documentación en /api/docs.",
        "docs": reverse("api:openapi-view"),
        "openapi": reverse("api:openapi-json"),
        "publico": reverse("api:publico-plans"),
        "interno": reverse("api:interno-plans"),
    }


fallback = Router()


@fallback.get("/{path:rest}", include_in_schema=False)
def unknown(request: HttpRequest, rest: str):
    raise HttpError(404, f"No existe la ruta '{request.path}' en la API. Vea la documentación en {reverse('api:openapi-view')}.")


api.add_router("", fallback)  # last: only what no operation answers


# Errors, in Spanish ------------------------------------------------------------------------------

_LOCATIONS = {"query": "consulta", "path": "ruta", "header": "cabecera", "cookie": "cookie", "body": "cuerpo"}


def _parameter_error(error: dict) -> dict:
    loc = [str(p) for p in error.get("loc", ())]
    where = loc[0] if loc else ""
    name = next((p for p in reversed(loc[1:]) if not p.isdigit()), where)  # an item of a list parameter names the list
    out = {"parameter": name, "location": _LOCATIONS.get(where, where), "message": pydantic_message(error)}
    index = next((int(p) for p in loc[1:-1] if p.isdigit()), None)  # an item of a list body (the write API's rows)
    if where == "body" and index is not None:
        out["row"] = index + 1
    return out


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [_parameter_error(e) if isinstance(e, dict) and "loc" in e else
              {"parameter": "", "location": "", "message": "valor no válido"} for e in exc.errors]
    detail = "; ".join((f"fila {e['row']}, " if "row" in e else "") + f"parámetro '{e['parameter']}': {e['message']}" for e in errors)
    return api.create_response(request, {"detail": f"Solicitud no válida: {detail}.", "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = "Se requiere iniciar sesión en Vigía. Los datos publicados están en /api/publico/ sin autenticación."
    if request.path.startswith("/api/campanas"):
        detail = ("Falta el token o no es válido: envíe «Authorization: Bearer <token>» con un token activo "
                  "(vigia tokens create USUARIO, o «Mi cuenta» en Vigía).")
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(AuthorizationError)
def _forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return api.create_response(request, {"detail": "No tiene permiso para esta operación."}, status=403)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = exc.message
    if detail.startswith("Cannot parse request body"):  # ninja's own words for a body that is not JSON
        detail = "El cuerpo de la solicitud no es JSON válido: envíe una lista de reportes en JSON (UTF-8)."
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "No encontrado."}, status=404)


__all__ = ["api", "build_router"]
