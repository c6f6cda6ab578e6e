from django.urls import path

from . import views

app_name = "kpi"

urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("new/", views.scheme_form, name="scheme-new"),
    path("<uuid:pk>/", views.scheme_page, name="scheme"),
    path("<uuid:pk>/compute/", views.scheme_compute, name="compute"),
    path("scores/<uuid:pk>/", views.score_page, name="score"),
    path("scores/<uuid:pk>/<slug:step>/", views.score_action, name="score-action"),
]
