from django.urls import path

from disputes import views
from disputes.models import Case
from unionportal import attachments

app_name = "disputes"

# The attachment pages are shared with events (unionportal/attachments.py).
ATTACHMENTS = {"record_model": Case, "detail_name": "disputes:case_detail"}

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_update, name="case_update"),
    path(
        "cases/<int:pk>/delete/",
        attachments.record_delete,
        {**ATTACHMENTS, "list_name": "disputes:case_list"},
        name="case_delete",
    ),
    path("cases/<int:pk>/close/", views.case_close, name="case_close"),
    path(
        "cases/<int:pk>/attachments/",
        attachments.attachment_upload,
        ATTACHMENTS,
        name="attachment_upload",
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        attachments.attachment_download,
        ATTACHMENTS,
        name="attachment_download",
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/delete/",
        attachments.attachment_delete,
        ATTACHMENTS,
        name="attachment_delete",
    ),
]
