from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "inspectorate.complaints"
    label = "complaints"
