from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("units/", views.units, name="units"),
    path("units/<uuid:pk>/", views.unit_detail, name="unit"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/<uuid:pk>/", views.enterprise_detail, name="enterprise"),
]
