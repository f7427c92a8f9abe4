"""The demonstration mode (`vigia serve --demo`): every page carries the «DATOS DE DEMOSTRACIÓN» banner."""

from django.conf import settings


def banner(request) -> dict:
    return {"vigia_demo": settings.VIGIA_DEMO}
