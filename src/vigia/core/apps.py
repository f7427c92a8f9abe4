from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vigia.core"
    label = "core"
    verbose_name = "Planes e indicadores"
