from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "inspectorate.open311"
    label = "open311"
