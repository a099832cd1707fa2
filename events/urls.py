from django.urls import path
from django.utils.translation import gettext_lazy as _

from events import services, views
from events.forms import EventForm
from events.models import Event
from unionportal import attachments, records

app_name = "events"

# The attachment pages are shared with disputes (unionportal/attachments.py).
ATTACHMENTS = {"record_model": Event, "detail_name": "events:event_detail"}
# The add and edit pages are the shared ones of unionportal/records.py, given the form and services.
PAGES = {"form_class": EventForm, "label": _("活动"), "detail_name": "events:event_detail"}
CREATE = {"create": services.create_event, "verb": _("新增"), "list_name": "events:event_list"}
UPDATE = {"record_model": Event, "update": services.update_event}

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", records.record_create, {**PAGES, **CREATE}, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", records.record_update, {**PAGES, **UPDATE}, name="event_update"),
    path(
        "events/<int:pk>/delete/",
        attachments.record_delete,
        {**ATTACHMENTS, "list_name": "events:event_list"},
        name="event_delete",
    ),
    path(
        "events/<int:pk>/attachments/",
        attachments.attachment_upload,
        ATTACHMENTS,
        name="attachment_upload",
    ),
    path(
        "events/<int:pk>/attachments/<int:attachment_pk>/",
        attachments.attachment_download,
        ATTACHMENTS,
        name="attachment_download",
    ),
    path(
        "events/<int:pk>/attachments/<int:attachment_pk>/delete/",
        attachments.attachment_delete,
        ATTACHMENTS,
        name="attachment_delete",
    ),
]
