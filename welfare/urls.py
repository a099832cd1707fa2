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
]
