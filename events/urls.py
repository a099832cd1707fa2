from django.urls import path

from events import views
from events.models import Event
from unionportal import attachments

app_name = "events"

# The attachment pages are shared with disputes (unionportal/attachments.py).
ATTACHMENTS = {"record_model": Event, "detail_name": "events:event_detail"}

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_update, name="event_update"),
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
