from django.urls import path

from . import offline, views, views_checklists, views_selfcheck

app_name = "hazards"

urlpatterns = [
    path("", views.danger_list, name="list"),
    path("new/", views.danger_form, name="new"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("files/<uuid:pk>/", views.evidence_file, name="file"),
    path("self-inspections/", views_selfcheck.inspection_list, name="self-inspections"),
    path("self-inspections/new/", views_selfcheck.inspection_form, name="self-inspection-new"),
    path("self-inspections/<uuid:pk>/", views_selfcheck.inspection_page, name="self-inspection"),
    path("self-inspections/<uuid:pk>/fill/", views_selfcheck.fill_page, name="fill"),
    path("checklists/<uuid:pk>/", views_selfcheck.checklist_page, name="checklist"),
    path("checklists/new/", views_checklists.checklist_form, name="checklist-new"),
    path("checklists/<uuid:pk>/edit/", views_checklists.checklist_form, name="checklist-edit"),
    path("<uuid:pk>/", views.danger_page, name="detail"),
    path("<uuid:pk>/edit/", views.danger_form, name="edit"),
    path("<uuid:pk>/<slug:name>/", views.danger_action, name="action"),
]
