"""Event pages (活动): list, detail with linked units and attachments, add, edit, delete. The
attachment pages are unionportal/attachments.py's (see urls.py)."""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.exports import export_list, wants_export
from events import list_rows
from events.models import STAFF_ACTIVITIES, Event, EventCategory
from events.sheets import EVENTS
from members.models import Employer, GrassrootsUnion
from unionportal.access import visible
from unionportal.attachments import attached_record_context
from unionportal.records import (
    ListFilter,
    ListSpec,
    choice_filter,
    get_visible_row_or_404,
    id_filter,
    list_page,
    text_search,
)


def _by_id(lookup: str):
    return id_filter(lookup, "", lookup).apply


EVENT_LIST = ListSpec(
    search=text_search("title", "organiser", "participating_units", "media"),
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
    add_label=_("新增活动"),
    row_fields=(
        "starts_on",
        "ends_on",
        "township__name",
        "title",
        "category",
        "organiser",
        "participants",
        "participating_units",
    ),
    row_cells=list_rows.event_cells,
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
    linked = {u.name for u in event.unions.all()} | {e.name for e in event.employers.all()}
    return render(
        request,
        "events/event_detail.html",
        {
            "unmatched": [name for name in event.unit_names if name not in linked],
            **attached_record_context(
                request.user, event, label=_("活动"), app="events", kind="event"
            ),
        },
    )
