from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "inspectorate.hazards"
    label = "hazards"
