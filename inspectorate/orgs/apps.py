from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "inspectorate.orgs"
    label = "orgs"
