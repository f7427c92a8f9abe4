"""WSGI layer that answers repeated anonymous requests for published data from memory.

The transparency portal and the public API are read by many and change only when data are
published, so their responses are kept per address and data version. The version is read from
the database at most once a second per process: a publication shows up within a second.
Requests with a session, other methods and responses that set cookies always go to Django.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

PREFIXES = ("/transparencia/", "/api/publico/")


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
            status, headers, body = hit
            start_response(status, list(headers))
            return [body]
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        headers = captured.get("headers", [])
        if captured.get("status", "").startswith("200") and not any(h.lower() == "set-cookie" for h, _ in headers):
            with self._lock:
                self._entries[key] = (captured["status"], tuple(headers), body)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return [body]
