from django.urls import path

from . import views, views_forms

app_name = "accountability"

urlpatterns = [
    path("interviews/", views.interviews_page, name="interviews"),
    path("interviews/new/", views_forms.interview_new, name="interview-new"),
    path("interviews/<uuid:pk>/", views.interview_page, name="interview"),
    path("interviews/<uuid:pk>/edit/", views_forms.interview_edit, name="interview-edit"),
    path("interviews/<uuid:pk>/<slug:name>/", views.interview_step, name="interview-step"),
    path("issues/", views.issues_page, name="issues"),
    path("issues/new/", views_forms.issue_new, name="issue-new"),
    path("issues/<uuid:pk>/", views.issue_page, name="issue"),
    path("issues/<uuid:pk>/edit/", views_forms.issue_edit, name="issue-edit"),
    path("issues/<uuid:pk>/records/new/", views_forms.record_new, name="record-new"),
    path("records/<uuid:pk>/career/", views_forms.career_event_new, name="career-event-new"),
    path("issues/<uuid:pk>/<slug:name>/", views.issue_step, name="issue-step"),
    path("summary/", views.summary_page, name="summary"),
    path("handover-packs/<uuid:pk>/", views.handover_pack_file, name="handover-pack"),
]
