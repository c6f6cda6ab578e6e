from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="new"),
    path("<uuid:pk>/", views.campaign_detail, name="detail"),
    path("<uuid:pk>/edit/", views.campaign_edit, name="edit"),
    path("<uuid:pk>/members/", views.roster, name="roster"),
    path("<uuid:pk>/members/<uuid:member_id>/end/", views.roster_end, name="roster-end"),
]
