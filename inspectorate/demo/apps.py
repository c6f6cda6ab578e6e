from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "inspectorate.demo"
    label = "demo"
