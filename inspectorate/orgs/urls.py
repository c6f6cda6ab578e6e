from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("units/", views.units, name="units"),
    path("units/<uuid:pk>/", views.unit_detail, name="unit"),
    path("units/import/", views.import_units, name="import_units"),
    path("units/import/template.xlsx", views.import_template, name="import_template"),
    path("enterprises/", views.enterprises, name="enterprises"),
    path("enterprises/<uuid:pk>/", views.enterprise_detail, name="enterprise"),
]
