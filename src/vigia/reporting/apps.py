from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "vigia.reporting"
    label = "reporting"
    verbose_name = "Reporte de valores y revisión"
