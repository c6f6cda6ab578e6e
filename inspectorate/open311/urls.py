"""Open311 GeoReport v2 at /open311/v2/ (JSON and XML); its OpenAPI description and Swagger UI page."""

from django.urls import re_path
from drf_spectacular.views import SpectacularSwaggerView

from . import openapi, views

app_name = "open311"

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^v2/discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.services, name="services"),
    re_path(r"^v2/services/(?P<code>[\w-]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(r"^v2/requests?/(?P<rid>[\w-]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[\w-]+)" + FMT, views.token, name="token"),
    re_path(r"^v2/openapi\.json$", openapi.openapi, name="openapi"),
    re_path(r"^v2/docs/$", SpectacularSwaggerView.as_view(url_name="open311:openapi"), name="docs"),
    re_path(r"^v2/.*?(?:\.(?P<fmt>json|xml))?$", views.not_found, name="not-found"),
]
