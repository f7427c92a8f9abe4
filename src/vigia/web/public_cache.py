"""WSGI layer that answers repeated anonymous requests for published data from memory.

The transparency portal and the public API are read by many and change only when data are
published, so their responses are kept per address and data version. The version is read from
the database at most once a second per process: a publication shows up within a second.
Requests with a session, other methods and responses that set cookies always go to Django.

Text responses are also kept gzip-compressed (once, when cached) and sent so to browsers that
accept it: a portal page with its matrix weighs a tenth on the wire. These pages hold no secret
(no session, no CSRF token), so compression leaks nothing.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import OrderedDict

PREFIXES = ("/transparencia/", "/api/publico/")
COMPRESSIBLE = ("text/",)  # pages and CSV; JSON stays plain for the simplest API clients


def accepts_gzip(environ) -> bool:
    for part in environ.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _compressed(headers, body: bytes) -> bytes | None:
    kind = next((v for h, v in headers if h.lower() == "content-type"), "")
    if len(body) < 1024 or not kind.startswith(COMPRESSIBLE) or any(h.lower() == "content-encoding" for h, _ in headers):
        return None
    return gzip.compress(body, 6, mtime=0)


def _headers(headers, body: bytes, encoded: bool) -> list:
    out = [(h, v) for h, v in headers if h.lower() not in ("content-length", "vary")]
    vary = [v for h, v in headers if h.lower() == "vary"]
    out.append(("Vary", ", ".join(vary + ["Accept-Encoding"])))
    if encoded:
        out.append(("Content-Encoding", "gzip"))
    out.append(("Content-Length", str(len(body))))
    return out


class PublicCache:
    def __init__(self, app, version, max_entries: int = 2000, version_ttl: float = 1.0):
        self.app, self._version, self.max_entries, self.version_ttl = app, version, max_entries, version_ttl
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._known = (0.0, None)

    def version(self):
        checked, value = self._known
        now = time.monotonic()
        if now - checked > self.version_ttl:
            value = self._version()
            self._known = (now, value)
        return value

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or not path.startswith(PREFIXES)
            or "sessionid=" in environ.get("HTTP_COOKIE", "")
        ):
            return self.app(environ, start_response)
        key = (path, environ.get("QUERY_STRING", ""), environ.get("HTTP_HX_REQUEST", ""), environ.get("HTTP_HX_TARGET", ""), self.version())
        with self._lock:
            hit = self._entries.get(key)
            if hit:
                self._entries.move_to_end(key)
        if hit:
            return self._send(environ, start_response, *hit)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"], captured["exc_info"] = status, headers, exc_info
            return lambda data: None  # Django returns its body; nothing is written through here

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured.get("status", "500 Internal Server Error"), captured.get("headers", [])
        if not status.startswith("200") or any(h.lower() == "set-cookie" for h, _ in headers):
            start_response(status, headers, captured.get("exc_info"))
            return [body]
        entry = (status, tuple(headers), body, _compressed(headers, body))
        with self._lock:
            self._entries[key] = entry
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return self._send(environ, start_response, *entry)

    @staticmethod
    def _send(environ, start_response, status, headers, body, packed):
        if packed is not None and accepts_gzip(environ):
            start_response(status, _headers(headers, packed, True))
            return [packed]
        start_response(status, _headers(headers, body, False) if packed is not None else list(headers))
        return [body]
