from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "inspectorate.audit"
    label = "audit"
