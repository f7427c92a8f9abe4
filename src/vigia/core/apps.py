from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vigia.core"
    label = "core"
    verbose_name = "Planes e indicadores"

    def ready(self):
        from . import versions

        versions.track_core()
