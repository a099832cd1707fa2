from django.urls import path

from reports import dashboard_views, views

app_name = "reports"
urlpatterns = [
    path("summaries/", views.summary_page, name="summary"),
    path("summaries/preview/", views.summary_preview, name="summary_preview"),
    path("summaries/autosave/", views.summary_autosave, name="summary_autosave"),
    path("summaries/download/", views.summary_download, name="summary_download"),
    path("summaries/finalise/", views.summary_finalise, name="summary_finalise"),
    path("summaries/final/<int:pk>/<str:fmt>/", views.final_download, name="final_download"),
    path("county/summary/", views.county_summary_page, name="county_summary"),
    path("county/summary/download/", views.county_summary_download, name="county_summary_download"),
    path("dashboard/", dashboard_views.dashboard_home, name="dashboard"),
    path("dashboard/county/", dashboard_views.county_dashboard, name="county_dashboard"),
    path(
        "dashboard/county/export/",
        dashboard_views.county_dashboard_export,
        name="county_dashboard_export",
    ),
    path(
        "dashboard/township/<int:pk>/",
        dashboard_views.township_dashboard,
        name="township_dashboard",
    ),
    path("dashboard/targets/", dashboard_views.targets_page, name="targets"),
    path(
        "dashboard/targets/template/",
        dashboard_views.targets_template_download,
        name="targets_template",
    ),
    path("dashboard/targets/upload/", dashboard_views.targets_upload, name="targets_upload"),
]
