"""Error pages in Spanish, in the site's layout, with the reason and a way back.

Django's defaults are English and drop the reason ("No existe el año 2031 para este plan"); these
handlers keep the reasons Vigía raises in Spanish and replace the framework's English ones.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape

logger = logging.getLogger(__name__)

TITLES = {
    400: "Solicitud no válida",
    403: "Acceso denegado",
    404: "Página no encontrada",
    429: "Demasiados intentos",
    500: "Error del servidor",
}
DEFAULT_REASONS = {
    400: "La solicitud no es válida. Revise la dirección o el formulario e inténtelo de nuevo.",
    403: "No tiene permiso para ver esta página o hacer esta acción.",
    404: "La dirección no existe en Vigía.",
    500: "Ocurrió un error inesperado. Ya quedó registrado; inténtelo de nuevo en unos minutos.",
}
_UNTRANSLATED = re.compile(r"^No \w+ matches the given query\.$")  # get_object_or_404; Django's other messages are translated


def _reason(exception, status: int) -> str:
    """The exception's own message (Vigía's are Spanish, Django's are translated), else a Spanish default."""
    message = exception.args[0] if exception is not None and exception.args else None
    if isinstance(message, str) and message.strip() and not _UNTRANSLATED.match(message):
        return message
    return DEFAULT_REASONS[status]


def _back(request) -> str | None:
    """The page the user came from, when it is on this site."""
    referer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referer)
    return referer if referer and parts.netloc == request.get_host() and parts.scheme in ("http", "https") else None


def page(request, status: int, reason: str, headers: dict | None = None) -> HttpResponse:
    context = {"status": status, "title": TITLES[status], "reason": reason}
    try:
        context["back"] = _back(request)
        response = render(request, "vigia/error.html", context, status=status)
    except Exception:  # noqa: BLE001 - the error page must not fail (the database may be down)
        logger.exception("No se pudo mostrar la página de error %s", status)
        body = (f'<!doctype html><html lang="es-PE"><head><meta charset="utf-8"><title>{TITLES[status]} · Vigía</title></head>'
                f'<body><h1>{TITLES[status]}</h1><p>{escape(reason)}</p><p><a href="/">Ir al inicio</a></p></body></html>')
        response = HttpResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def bad_request(request, exception=None):
    return page(request, 400, DEFAULT_REASONS[400])


def permission_denied(request, exception=None):
    return page(request, 403, _reason(exception, 403))


def page_not_found(request, exception=None):
    return page(request, 404, _reason(exception, 404))


def server_error(request):
    return page(request, 500, DEFAULT_REASONS[500])


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: the form expired or came from elsewhere (Django's page is English)."""
    return page(request, 403, "El formulario caducó o no proviene de Vigía (verificación CSRF). "
                              "Vuelva a la página, recárguela y envíe el formulario de nuevo; "
                              "si el problema sigue, verifique que su navegador acepte las cookies de este sitio.")


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: too many failed logins from this address for this user."""
    seconds = int(settings.AXES_COOLOFF_TIME * 3600)
    reason = (f"El ingreso quedó bloqueado por {seconds // 60} minutos: hubo demasiados intentos fallidos con este usuario "
              "desde su dirección. Espere e inténtelo de nuevo, o recupere su contraseña por correo.")
    return page(request, 429, reason, {"Retry-After": str(seconds)})
