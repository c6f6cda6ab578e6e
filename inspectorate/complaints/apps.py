from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "inspectorate.complaints"
    label = "complaints"

    def ready(self) -> None:
        from . import freshness

        freshness.connect()
