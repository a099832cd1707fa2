"""Event pages (活动): list, detail with linked units and attachments, add, edit, delete. The
attachment pages are unionportal/attachments.py's (see urls.py)."""

from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.exports import export_list, wants_export
from events import services
from events.forms import EventForm
from events.models import STAFF_ACTIVITIES, Event, EventCategory
from events.sheets import EVENTS
from members.models import Employer, GrassrootsUnion
from unionportal.access import get_writable_or_404, visible
from unionportal.attachments import attachments_section
from unionportal.records import (
    ListFilter,
    ListSpec,
    add_record_page,
    choice_filter,
    edit_record_page,
    get_visible_row_or_404,
    history_entries,
    id_filter,
    list_page,
    record_actions,
    township_for_new_record,
)


def _by_id(lookup: str):
    return id_filter(lookup, "", lookup).apply


EVENT_LIST = ListSpec(
    search=lambda q: (
        Q(title__contains=q)
        | Q(organiser__contains=q)
        | Q(participating_units__contains=q)
        | Q(media__contains=q)
    ),
    sorts={
        "date": (_("日期"), ("starts_on", "title")),
        "title": (_("名称"), ("title", "starts_on")),
        "category": (_("类别"), ("category", "starts_on")),
        "participants": (_("参与人数"), ("participants", "starts_on")),
    },
    default_sort="-date",
    filters=[
        choice_filter("category", _("类别"), "category", EventCategory.choices),
        ListFilter("union", _("关联工会"), _by_id("unions")),
        ListFilter("employer", _("关联单位"), _by_id("employers")),
        # ?staff=1: the events 职工活动次数 counts (a dashboard figure's link).
        ListFilter(
            "staff",
            _("职工活动（不含执法检查、宣传报道、会议）"),
            lambda qs, v: qs.filter(category__in=STAFF_ACTIVITIES) if v == "1" else qs,
        ),
    ],
    date_field="starts_on",
    date_label=_("日期"),
    search_placeholder=_("名称、主办、参与单位、媒体"),
)


def event_list(request: HttpRequest) -> HttpResponse:
    events = visible(request.user, Event).select_related("township")
    listing = list_page(request, events, EVENT_LIST)
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=EVENTS, label=_("活动"))
    return render(
        request,
        "events/event_list.html",
        {"listing": listing, "kind_label": _("活动"), "create_url": reverse("events:event_create")},
    )


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_visible_row_or_404(
        request.user,
        Event,
        pk,
        lambda qs: qs.select_related("township").prefetch_related(
            Prefetch("unions", queryset=GrassrootsUnion.objects.only("id", "name")),
            Prefetch("employers", queryset=Employer.objects.only("id", "name")),
        ),
    )
    actions = record_actions(request.user, event)
    linked = {u.name for u in event.unions.all()} | {e.name for e in event.employers.all()}
    return render(
        request,
        "events/event_detail.html",
        {
            "unmatched": [name for name in event.unit_names if name not in linked],
            "record": event,
            "kind_label": _("活动"),
            "list_url": reverse("events:event_list"),
            "actions": actions,
            "edit_url": reverse("events:event_update", args=[event.pk]),
            "delete_url": reverse("events:event_delete", args=[event.pk]),
            **attachments_section(
                event,
                can_edit=actions["can_edit"],
                upload_url=reverse("events:attachment_upload", args=[event.pk]),
            ),
            "history": history_entries(event),
        },
    )


def event_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = EventForm(request.POST or None, township=township)
    return add_record_page(
        request,
        form,
        save=lambda: services.create_event(
            user=request.user, township=township, data=form.data_for_service
        ),
        label=_("活动"),
        verb=_("新增"),
        detail_url="events:event_detail",
        list_url="events:event_list",
        township=township,
    )


def event_update(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_writable_or_404(request.user, Event, pk)
    form = EventForm(request.POST or None, instance=event, township=event.township)
    return edit_record_page(
        request,
        form,
        record=event,
        save=lambda: services.update_event(
            user=request.user,
            event=event,
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        label=_("活动"),
        detail_url="events:event_detail",
    )
