from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "inspectorate.accountability"
    label = "accountability"
