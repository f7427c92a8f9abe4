from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vigia.core"
    label = "core"
    verbose_name = "Planes e indicadores"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import files, versions

        versions.track_core()
        connection_created.connect(files.restrict_sqlite, dispatch_uid="vigia-private-sqlite")
