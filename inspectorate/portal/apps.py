from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "inspectorate.portal"
    label = "portal"
