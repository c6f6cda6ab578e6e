from django.urls import path

from . import views, views_projects, views_visits

app_name = "facilities"

urlpatterns = [
    path("", views.facility_list, name="list"),
    path("new/", views.facility_form, name="new"),
    path("log/", views.log_form, name="log"),
    path("warnings/", views.warnings_page, name="warnings"),
    path("logs/<uuid:pk>/review/", views.log_review, name="log-review"),
    path("projects/", views_projects.project_list, name="projects"),
    path("projects/new/", views_projects.project_form, name="project-new"),
    path("projects/<uuid:pk>/", views_projects.project_detail, name="project"),
    path("projects/<uuid:pk>/steps/", views_projects.project_step, name="project-step"),
    path("projects/<uuid:pk>/operate/", views_projects.project_operate, name="project-operate"),
    path("visits/", views_visits.visit_list, name="visits"),
    path("visits/new/", views_visits.visit_form, name="visit-new"),
    path("visits/<uuid:pk>/", views_visits.visit_detail, name="visit"),
    path("visits/<uuid:pk>/<slug:step>/", views_visits.visit_request_action, name="visit-step"),
    path("<uuid:pk>/", views.facility_detail, name="detail"),
    path("<uuid:pk>/edit/", views.facility_form, name="edit"),
    path("<uuid:pk>/plans/new/", views.plan_form, name="plan-new"),
    path("<uuid:pk>/maintenance/new/", views.maintenance_form, name="maintenance-new"),
]
