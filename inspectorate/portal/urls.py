from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<slug:code>/", views.campaign, name="campaign"),
    path("report/<slug:code>/", views.report, name="report"),
    path("report/<slug:code>/similar/", views.similar_hint, name="similar"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.rate, name="rate"),
    path("results/", views.tables, name="tables"),
    path("results/<uuid:pk>/", views.table, name="table"),
    path("audit/anchors/", views.anchors, name="anchors"),
    path("audit/anchors.csv", views.anchors_csv, name="anchors_csv"),
]
