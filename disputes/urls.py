from django.urls import path
from django.utils.translation import gettext_lazy as _

from disputes import services, views
from disputes.forms import CaseForm
from disputes.models import Case
from unionportal import attachments, records

app_name = "disputes"

# The attachment pages are shared with events (unionportal/attachments.py).
ATTACHMENTS = {"record_model": Case, "detail_name": "disputes:case_detail"}
# The add and edit pages are the shared ones of unionportal/records.py, given the form and services.
PAGES = {"form_class": CaseForm, "label": _("信访案件"), "detail_name": "disputes:case_detail"}
CREATE = {"create": services.create_case, "verb": _("登记"), "list_name": "disputes:case_list"}
UPDATE = {"record_model": Case, "update": services.update_case}

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", records.record_create, {**PAGES, **CREATE}, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", records.record_update, {**PAGES, **UPDATE}, name="case_update"),
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
