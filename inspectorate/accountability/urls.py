from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("interviews/", views.interviews_page, name="interviews"),
    path("interviews/<uuid:pk>/", views.interview_page, name="interview"),
    path("interviews/<uuid:pk>/<slug:name>/", views.interview_step, name="interview-step"),
    path("issues/", views.issues_page, name="issues"),
    path("issues/<uuid:pk>/", views.issue_page, name="issue"),
    path("issues/<uuid:pk>/<slug:name>/", views.issue_step, name="issue-step"),
    path("summary/", views.summary_page, name="summary"),
    path("handover-packs/<uuid:pk>/", views.handover_pack_file, name="handover-pack"),
]
