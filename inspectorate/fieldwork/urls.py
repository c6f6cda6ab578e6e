from django.urls import path

from . import views, views_field

app_name = "fieldwork"

urlpatterns = [
    path("", views.requests_page, name="requests"),
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<uuid:pk>/", views.request_page, name="request"),
    path("requests/<uuid:pk>/letter.docx", views.request_letter, name="request-letter"),
    path("requests/<uuid:pk>/handover.docx", views.request_handover, name="request-handover"),
    path("items/<uuid:pk>/assign/", views.item_assign, name="item-assign"),
    path("items/<uuid:pk>/deliver/", views.item_deliver, name="item-deliver"),
    path("items/<uuid:pk>/review/", views.item_review, name="item-review"),
    path("deliveries/<uuid:pk>/", views.delivery_file, name="delivery"),
    path("talks/", views_field.talks_page, name="talks"),
    path("talks/new/", views_field.talk_new, name="talk-new"),
    path("talks/<uuid:pk>/", views_field.talk_page, name="talk"),
    path("visits/", views_field.visits_page, name="visits"),
    path("visits/new/", views_field.visit_new, name="visit-new"),
    path("visits/<uuid:pk>/", views_field.visit_page, name="visit"),
    path("visits/<uuid:pk>/complete/", views_field.visit_complete, name="visit-complete"),
    path("visits/<uuid:pk>/findings/", views_field.visit_finding, name="visit-finding"),
    path("visits/<uuid:pk>/photos/", views_field.visit_photos, name="visit-photos"),
    path("findings/<uuid:pk>/to-case/", views_field.finding_convert, {"to": "case"}, name="finding-to-case"),
    path("findings/<uuid:pk>/to-problem/", views_field.finding_convert, {"to": "problem"}, name="finding-to-problem"),
    path("photos/<uuid:pk>/", views_field.photo_file, name="photo"),
]
