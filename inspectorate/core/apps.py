from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "inspectorate.core"
    label = "core"
