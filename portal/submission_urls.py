from django.urls import path

from portal import submission_views

app_name = "submissions"
urlpatterns = [
    path("", submission_views.county_page, name="county"),
    path("submit/", submission_views.submit, name="submit"),
    path("<int:pk>/review/", submission_views.review, name="review"),
    path("download/", submission_views.download_all, name="download_all"),
]
