from django.apps import AppConfig


class KpiConfig(AppConfig):
    name = "inspectorate.kpi"
    label = "kpi"
