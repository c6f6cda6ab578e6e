from django.urls import path

from . import views_exports

app_name = "reports"

urlpatterns = [
    path("exports/", views_exports.exports_page, name="exports"),
    path("exports/start/", views_exports.start_export, name="start_export"),
]
