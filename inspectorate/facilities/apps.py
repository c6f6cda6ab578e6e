from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "inspectorate.facilities"
    label = "facilities"
