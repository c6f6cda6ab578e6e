from django.urls import path

from . import views, views_cases, views_merge

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_new, name="new"),
    path("new/similar/", views.similar_hint, name="similar"),
    path("import/", views.complaint_import, name="import"),
    path("import/template.xlsx", views.complaint_import_template, name="import_template"),
    path("merge-queue/", views_merge.queue, name="merge_queue"),
    path("merge-queue/<uuid:pk>/", views_merge.cluster, name="merge_cluster"),
    path("merge-queue/<uuid:pk>/merge/", views_merge.merge, name="merge_cluster_merge"),
    path("merge-queue/unmerge/<uuid:pk>/", views_merge.unmerge, name="merge_unmerge"),
    path("<uuid:pk>/", views.complaint_detail, name="detail"),
    path("<uuid:pk>/attachments/<uuid:att>/", views.attachment_file, name="attachment"),
    path("<uuid:pk>/<slug:name>/", views.complaint_action, name="action"),
    path("cases/", views_cases.case_list, name="cases"),
    path("cases/<uuid:pk>/", views_cases.case_detail, name="case"),
    path("cases/<uuid:pk>/file.zip", views_cases.case_file, name="case_file"),
    path("cases/<uuid:pk>/<slug:name>/", views_cases.case_action, name="case_action"),
    path("batches/", views_cases.batch_list, name="batches"),
    path("batches/close/", views_cases.batch_close, name="batch_close"),
    path("batches/<uuid:pk>/", views_cases.batch_detail, name="batch"),
    path("batches/<uuid:pk>/notice/<uuid:unit>.<slug:kind>", views_cases.notice_download, name="notice"),
    path("batches/<uuid:pk>/<slug:name>/", views_cases.batch_action, name="batch_action"),
    path("bulletin/", views.bulletin_page, name="bulletin"),
]
