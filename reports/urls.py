from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("summaries/", views.summary_page, name="summary"),
    path("summaries/preview/", views.summary_preview, name="summary_preview"),
    path("summaries/download/", views.summary_download, name="summary_download"),
    path("summaries/finalise/", views.summary_finalise, name="summary_finalise"),
    path("summaries/final/<int:pk>/<str:fmt>/", views.final_download, name="final_download"),
    path("county/summary/", views.county_summary_page, name="county_summary"),
    path("county/summary/download/", views.county_summary_download, name="county_summary_download"),
]
