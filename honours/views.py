"""Honour pages (荣誉表彰): list, detail with history, add, edit, delete. Thin function views:
the access door fetches, a form validates, a service writes."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.exports import export_list, wants_export
from audit.services import reveal_personal_info
from honours import list_rows, services
from honours.forms import HonourForm
from honours.models import MODEL_WORKER_TITLES, Honour, HonourLevel, RecipientType
from honours.sheets import HONOURS
from unionportal.access import get_writable_or_404, may_reveal, visible
from unionportal.pii import id_number_hash
from unionportal.records import (
    ListFilter,
    ListSpec,
    choice_filter,
    delete_page,
    get_visible_row_or_404,
    history_entries,
    id_filter,
    list_page,
    record_actions,
    record_form_page,
    township_for_new_record,
)
from unionportal.validators import normalize_id_number


def _search(q: str) -> Q:
    found = (
        Q(recipient__contains=q)
        | Q(title__contains=q)
        | Q(granted_by__contains=q)
        | Q(workplace__contains=q)
    )
    # The ID is encrypted: a whole number is found by its keyed hash, not a prefix.
    if len(normalize_id_number(q)) in (15, 18):
        found |= Q(id_number_hash=id_number_hash(q))
    return found


def _model_workers(qs, value: str):
    if value == "1":
        return qs.filter(title__in=MODEL_WORKER_TITLES)
    if value == "0":
        return qs.exclude(title__in=MODEL_WORKER_TITLES)
    return qs


HONOUR_LIST = ListSpec(
    search=_search,
    sorts={
        "date": (_("授予日期"), ("granted_on", "id")),
        "recipient": (_("获奖对象"), ("recipient", "id")),
        "title": (_("荣誉名称"), ("title", "granted_on", "id")),
        "level": (_("级别"), ("level", "granted_on", "id")),
    },
    default_sort="-date",
    filters=[
        choice_filter("level", _("级别"), "level", HonourLevel.choices),
        choice_filter("type", _("对象类型"), "recipient_type", RecipientType.choices),
        ListFilter("model_worker", _("劳模"), _model_workers, [("1", _("是")), ("0", _("否"))]),
        ListFilter("title", _("荣誉名称"), lambda qs, v: qs.filter(title=v)),
        id_filter("member", _("会员"), "member_id"),
    ],
    date_field="granted_on",
    date_label=_("授予日期"),
    search_placeholder=_("获奖对象、荣誉名称、授予单位或完整身份证号"),
    add_label=_("新增荣誉表彰"),
    row_fields=(
        "granted_on",
        "township__name",
        "recipient",
        "member_id",
        "recipient_type",
        "title",
        "level",
        "granted_by",
    ),
    row_cells=list_rows.honour_cells,
)


def honour_list(request: HttpRequest) -> HttpResponse:
    honours = visible(request.user, Honour).select_related("township", "member")
    listing = list_page(request, honours, HONOUR_LIST)
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=HONOURS, label=_("荣誉表彰"))
    return render(
        request,
        "honours/honour_list.html",
        {
            "listing": listing,
            "kind_label": _("荣誉表彰"),
            "create_url": reverse("honours:honour_create"),
        },
    )


def _honour(request: HttpRequest, pk: int) -> Honour:
    return get_visible_row_or_404(
        request.user, Honour, pk, lambda qs: qs.select_related("township", "member")
    )


def honour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _honour_page(request, _honour(request, pk), revealed=False)


@never_cache  # the whole number must not stay in the browser's cache
@require_POST
def honour_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整信息: the person's whole ID number, for staff of the honour's township; logged."""
    honour = _honour(request, pk)
    reveal_personal_info(user=request.user, record=honour, fields=_("身份证号"), request=request)
    return _honour_page(request, honour, revealed=True)


def _honour_page(request: HttpRequest, honour: Honour, *, revealed: bool) -> HttpResponse:
    return render(
        request,
        "honours/honour_detail.html",
        {
            "record": honour,
            "kind_label": _("荣誉表彰"),
            "list_url": reverse("honours:honour_list"),
            "actions": record_actions(request.user, honour),
            "edit_url": reverse("honours:honour_update", args=[honour.pk]),
            "delete_url": reverse("honours:honour_delete", args=[honour.pk]),
            "history": history_entries(honour),
            "revealed": revealed,
            "may_reveal": may_reveal(request.user, honour.township_id) and bool(honour.id_number),
            "reveal_url": reverse("honours:honour_reveal", args=[honour.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def honour_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = HonourForm(request.POST or None)
    return record_form_page(
        request,
        form,
        save=lambda: services.create_honour(
            user=request.user, township=township, data=form.data_for_service
        ),
        saved_message=lambda honour: _("已新增荣誉表彰“{honour}”。").format(honour=honour),
        saved_url=lambda honour: reverse("honours:honour_detail", args=[honour.pk]),
        title=_("新增荣誉表彰"),
        cancel_url=reverse("honours:honour_list"),
        township=township,
    )


@require_http_methods(["GET", "POST"])
def honour_update(request: HttpRequest, pk: int) -> HttpResponse:
    honour = get_writable_or_404(request.user, Honour, pk)
    if request.method == "GET" and honour.id_number:
        # The form holds the whole ID to be corrected: opening it is a reveal.
        reveal_personal_info(
            user=request.user,
            record=honour,
            fields=_("身份证号"),
            request=request,
            detail=_("打开修改表单"),
        )
    form = HonourForm(request.POST or None, instance=honour)
    detail_url = reverse("honours:honour_detail", args=[pk])
    return record_form_page(
        request,
        form,
        save=lambda: services.update_honour(
            user=request.user,
            honour=visible(request.user, Honour).get(pk=pk),
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: _("已保存荣誉表彰“{saved}”的修改。").format(saved=saved),
        saved_url=lambda saved: detail_url,
        title=_("修改荣誉表彰：{honour}").format(honour=honour),
        cancel_url=detail_url,
    )


@require_http_methods(["GET", "POST"])
def honour_delete(request: HttpRequest, pk: int) -> HttpResponse:
    honour = get_writable_or_404(request.user, Honour, pk)
    return delete_page(
        request,
        honour,
        success_url=reverse("honours:honour_list"),
        cancel_url=reverse("honours:honour_detail", args=[pk]),
    )
