from django.urls import path

from . import feeds, views, views_alerts, views_opendata, views_reportflow

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<slug:code>/", views.campaign, name="campaign"),
    path("report/<slug:code>/", views.report, name="report"),
    path("report/<slug:code>/similar/", views.similar_hint, name="similar"),
    path("report/<slug:code>/jurisdiction/", views_reportflow.jurisdiction_hint, name="jurisdiction"),
    path("receipt/", views.receipt, name="receipt"),
    path("receipt/download/", views_reportflow.receipt_download, name="receipt_download"),
    path("track/", views.track, name="track"),
    path("track/rate/", views.rate, name="rate"),
    path("results/", views.tables, name="tables"),
    path("results/<uuid:pk>/", views.table, name="table"),
    path("audit/anchors/", views.anchors, name="anchors"),
    path("audit/anchors.csv", views.anchors_csv, name="anchors_csv"),
    path("open-data/", views_opendata.open_data, name="open_data"),
    path("open-data/all.zip", views_opendata.open_data_all, name="open_data_all"),
    path("open-data/<slug:code>.zip", views_opendata.open_data_campaign, name="open_data_campaign"),
    path("alerts/", views_alerts.subscribe, name="alerts"),
    path("alerts/confirm/<str:token>/", views_alerts.confirm, name="alert_confirm"),
    path("alerts/leave/<str:token>/", views_alerts.unsubscribe, name="alert_unsubscribe"),
    path("feeds/results.rss", feeds.ResultsFeed(), name="feed_results"),
    path("feeds/results.atom", feeds.ResultsAtom(), name="feed_results_atom"),
    path("feeds/notices.rss", feeds.NoticesFeed(), name="feed_notices"),
    path("feeds/notices.atom", feeds.NoticesAtom(), name="feed_notices_atom"),
]
