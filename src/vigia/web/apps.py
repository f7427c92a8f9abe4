from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "vigia.web"
    label = "web"
    verbose_name = "Interfaz web"
