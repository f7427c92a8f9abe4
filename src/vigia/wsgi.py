"""WSGI entry point for gunicorn: Django behind the public-data response cache."""

import os

from django.core.wsgi import get_wsgi_application

from vigia.core.files import private_umask

private_umask()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigia.settings")
django_application = get_wsgi_application()

from vigia.core.store import global_version  # noqa: E402  (needs Django set up)
from vigia.web.public_cache import PublicCache  # noqa: E402

application = PublicCache(django_application, global_version)
