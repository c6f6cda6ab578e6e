from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "inspectorate.fieldwork"
    label = "fieldwork"
