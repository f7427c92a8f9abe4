"""The WSGI cache of anonymous portal and public API responses: served from memory, gzip-compressed
for browsers that accept it, and never for requests with a session."""

import gzip

from vigia.web.public_cache import PublicCache, accepts_gzip


def _app(calls):
    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "3000")])
        return [b"<p>cifra</p>" * 250]
    return app


def _get(cache, path="/transparencia/pnp2030/2024/", **extra):
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(cache({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", **extra}, start_response))
    return seen, body


def test_cached_pages_go_out_compressed_to_browsers_that_accept_gzip():
    calls = []
    cache = PublicCache(_app(calls), lambda: 1)
    seen, body = _get(cache, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert seen["headers"]["Content-Encoding"] == "gzip" and gzip.decompress(body) == b"<p>cifra</p>" * 250
    assert int(seen["headers"]["Content-Length"]) == len(body) < 300 and "Accept-Encoding" in seen["headers"]["Vary"]
    seen, body = _get(cache)  # a client without gzip gets the plain page, from memory
    assert "Content-Encoding" not in seen["headers"] and body == b"<p>cifra</p>" * 250 and calls == ["/transparencia/pnp2030/2024/"]
    _get(cache, HTTP_COOKIE="sessionid=abc")  # with a session: always Django
    assert len(calls) == 2


def test_accept_encoding_parsing():
    assert accepts_gzip({"HTTP_ACCEPT_ENCODING": "br, gzip;q=0.8"})
    assert not accepts_gzip({"HTTP_ACCEPT_ENCODING": "gzip;q=0, br"})
    assert not accepts_gzip({})
