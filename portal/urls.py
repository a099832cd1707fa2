from django.urls import include, path

from portal import deleted, views

urlpatterns = [
    path("", views.home, name="home"),
    path("records/deleted/", deleted.deleted_records, name="deleted_records"),
    path(
        "records/deleted/<slug:kind>/<int:history_id>/restore/",
        deleted.restore,
        name="restore_record",
    ),
    path("submissions/", include("portal.submission_urls")),
    path("manage/accounts/", include("portal.account_urls")),
]
