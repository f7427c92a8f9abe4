"""Vigía's JSON API (django-ninja): ``vigia.api.api.api`` is mounted at /api/ in ``vigia.urls``."""
