from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "inspectorate.rectification"
    label = "rectification"
