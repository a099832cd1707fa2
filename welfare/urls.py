from django.urls import path

from welfare import views

app_name = "welfare"
urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/campaign/", views.campaign_create, name="campaign_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/reveal/", views.visit_reveal, name="visit_reveal"),
    path("visits/<int:pk>/edit/", views.visit_update, name="visit_update"),
    path("visits/<int:pk>/delete/", views.visit_delete, name="visit_delete"),
    path("hardship/", views.hardship_list, name="hardship_list"),
    path("hardship/new/", views.hardship_create, name="hardship_create"),
    path("hardship/<int:pk>/", views.hardship_detail, name="hardship_detail"),
    path("hardship/<int:pk>/reveal/", views.hardship_reveal, name="hardship_reveal"),
    path("hardship/<int:pk>/edit/", views.hardship_update, name="hardship_update"),
    path("hardship/<int:pk>/review/", views.hardship_review, name="hardship_review"),
    path(
        "hardship/<int:pk>/reviews/<int:review_pk>/delete/",
        views.hardship_review_delete,
        name="hardship_review_delete",
    ),
    path("hardship/<int:pk>/delete/", views.hardship_delete, name="hardship_delete"),
    path("mutual-aid/", views.mutualaid_list, name="mutualaid_list"),
    path("mutual-aid/new/", views.mutualaid_create, name="mutualaid_create"),
    path("mutual-aid/<int:pk>/", views.mutualaid_detail, name="mutualaid_detail"),
    path("mutual-aid/<int:pk>/edit/", views.mutualaid_update, name="mutualaid_update"),
    path("mutual-aid/<int:pk>/delete/", views.mutualaid_delete, name="mutualaid_delete"),
]
