from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "inspectorate.campaigns"
    label = "campaigns"
