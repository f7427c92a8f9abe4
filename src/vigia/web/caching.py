"""Rendered page content cached per data version.

A page's content depends only on the data (never on who looks at it), so it is rendered once
per plan version, address and query, and every later request only wraps it in the site frame.
A load or an edit bumps the version, so nothing stale is ever shown. Downloads of the matrix are
kept the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

TIMEOUT = 6 * 3600


def _key(kind: str, *parts) -> str:
    return kind + ":" + hashlib.sha1(repr(parts).encode()).hexdigest()


def download(request, version_key, build: Callable[[], HttpResponse]) -> HttpResponse:
    """A file made from the data (matrix CSV/XLSX/JSON), built once per data version and address."""
    key = _key("file", version_key, request.get_full_path())
    cached = cache.get(key)
    if cached is None:
        response = build()
        cached = (response.content, response["Content-Type"], response.get("Content-Disposition", ""))
        cache.set(key, cached, TIMEOUT)
    content, kind, disposition = cached
    response = HttpResponse(content, content_type=kind)
    if disposition:
        response["Content-Disposition"] = disposition
    return response


def fragment(request, version_key, template: str, build: Callable[[], dict]) -> str:
    """``template`` rendered with ``build()``, cached under the data version and the full address."""
    htmx = getattr(request, "htmx", None)
    key = _key("frag", version_key, template, request.get_full_path(), bool(htmx), htmx.target if htmx else None)
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, build())
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)


def page(request, title: str, version_key, template: str, build: Callable[[], dict]):
    """A full page (or only its fragment for an HTMX request)."""
    html = fragment(request, version_key, template, build)
    if getattr(request, "htmx", False):
        return HttpResponse(html)
    return render(request, "vigia/page.html", {"title": title, "content": html})
