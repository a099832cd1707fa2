from django.urls import path

from honours import views

app_name = "honours"
urlpatterns = [
    path("honours/", views.honour_list, name="honour_list"),
    path("honours/new/", views.honour_create, name="honour_create"),
    path("honours/<int:pk>/", views.honour_detail, name="honour_detail"),
    path("honours/<int:pk>/reveal/", views.honour_reveal, name="honour_reveal"),
    path("honours/<int:pk>/edit/", views.honour_update, name="honour_update"),
    path("honours/<int:pk>/delete/", views.honour_delete, name="honour_delete"),
]
