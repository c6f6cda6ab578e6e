"""Open311 GeoReport v2 at /open311/v2/ (JSON and XML)."""

from django.urls import re_path

from . import views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^v2/discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.services, name="services"),
    re_path(r"^v2/services/(?P<code>[\w-]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(r"^v2/requests?/(?P<rid>[\w-]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[\w-]+)" + FMT, views.token, name="token"),
    re_path(r"^v2/.*?(?:\.(?P<fmt>json|xml))?$", views.not_found, name="not-found"),
]
