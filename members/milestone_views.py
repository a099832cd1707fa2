"""Pages of the union milestones (工会建设) and of dues remitted upward (经费上缴): list, detail
with history, add, edit, delete. Thin function views in the style of members/views.py: the
access door fetches, a form validates, a service writes."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from audit.exports import export_list, wants_export
from members import queries, services
from members.forms import MilestoneForm, RemittanceForm
from members.models import DuesRemittance, UnionMilestone
from members.sheets import MILESTONES, REMITTANCES
from unionportal.access import get_writable_or_404, visible
from unionportal.record_services import create_record, update_record
from unionportal.records import (
    delete_page,
    get_visible_row_or_404,
    history_entries,
    list_page,
    record_actions,
    record_form_page,
    township_for_new_record,
)

# --- Union milestones


def milestone_list(request: HttpRequest) -> HttpResponse:
    milestones = queries.milestone_rows(visible(request.user, UnionMilestone))
    listing = list_page(request, milestones, queries.milestone_spec())
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=MILESTONES, label=_("工会建设"))
    return render(
        request,
        "members/milestone_list.html",
        {
            "listing": listing,
            "kind_label": _("工会建设"),
            "create_url": reverse("members:milestone_create"),
        },
    )


def milestone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_visible_row_or_404(request.user, UnionMilestone, pk, queries.milestone_rows)
    return render(
        request,
        "members/milestone_detail.html",
        {
            "record": milestone,
            "kind_label": _("工会建设"),
            "history": history_entries(milestone),
            "actions": record_actions(request.user, milestone),
            "list_url": reverse("members:milestone_list"),
            "edit_url": reverse("members:milestone_update", args=[milestone.pk]),
            "delete_url": reverse("members:milestone_delete", args=[milestone.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def milestone_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = MilestoneForm(
        request.POST or None,
        instance=UnionMilestone(township=township),
        township=township,
        initial={"union": request.GET.get("union")} if request.GET.get("union") else None,
    )
    return record_form_page(
        request,
        form,
        save=lambda: services.create_milestone(
            user=request.user, township=township, data=form.data_for_service
        ),
        saved_message=lambda milestone: _("已登记工会建设“{milestone}”。").format(
            milestone=milestone
        ),
        saved_url=lambda milestone: reverse("members:milestone_detail", args=[milestone.pk]),
        title=_("登记工会建设"),
        cancel_url=reverse("members:milestone_list"),
        township=township,
    )


@require_http_methods(["GET", "POST"])
def milestone_update(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_writable_or_404(request.user, UnionMilestone, pk)
    form = MilestoneForm(request.POST or None, instance=milestone, township=milestone.township)
    detail_url = reverse("members:milestone_detail", args=[pk])
    return record_form_page(
        request,
        form,
        save=lambda: services.update_milestone(
            user=request.user,
            milestone=visible(request.user, UnionMilestone).get(pk=pk),
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: _("已保存工会建设“{saved}”的修改。").format(saved=saved),
        saved_url=lambda saved: detail_url,
        title=_("修改工会建设“{milestone}”").format(milestone=milestone),
        cancel_url=detail_url,
    )


@require_http_methods(["GET", "POST"])
def milestone_delete(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_writable_or_404(request.user, UnionMilestone, pk)
    return delete_page(
        request,
        milestone,
        success_url=reverse("members:milestone_list"),
        cancel_url=reverse("members:milestone_detail", args=[pk]),
        delete=lambda *, user, record: services.delete_milestone(user=user, milestone=record),
    )


# --- Dues remitted upward


def remittance_list(request: HttpRequest) -> HttpResponse:
    remittances = queries.remittance_rows(visible(request.user, DuesRemittance))
    listing = list_page(request, remittances, queries.remittance_spec())
    if wants_export(request):
        return export_list(request, listing.queryset, sheet=REMITTANCES, label=_("经费上缴"))
    return render(
        request,
        "members/remittance_list.html",
        {
            "listing": listing,
            "kind_label": _("经费上缴"),
            "create_url": reverse("members:remittance_create"),
        },
    )


def remittance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    remittance = get_visible_row_or_404(request.user, DuesRemittance, pk, queries.remittance_rows)
    return render(
        request,
        "members/remittance_detail.html",
        {
            "record": remittance,
            "kind_label": _("经费上缴"),
            "history": history_entries(remittance),
            "actions": record_actions(request.user, remittance),
            "list_url": reverse("members:remittance_list"),
            "edit_url": reverse("members:remittance_update", args=[remittance.pk]),
            "delete_url": reverse("members:remittance_delete", args=[remittance.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def remittance_create(request: HttpRequest) -> HttpResponse:
    township = township_for_new_record(request)
    form = RemittanceForm(
        request.POST or None, instance=DuesRemittance(township=township), township=township
    )
    return record_form_page(
        request,
        form,
        save=lambda: create_record(
            user=request.user, model=DuesRemittance, township=township, data=form.data_for_service
        ),
        saved_message=lambda remittance: _("已新增经费上缴记录“{period}”。").format(
            period=remittance.period
        ),
        saved_url=lambda remittance: reverse("members:remittance_detail", args=[remittance.pk]),
        title=_("新增经费上缴"),
        cancel_url=reverse("members:remittance_list"),
        township=township,
    )


@require_http_methods(["GET", "POST"])
def remittance_update(request: HttpRequest, pk: int) -> HttpResponse:
    remittance = get_writable_or_404(request.user, DuesRemittance, pk)
    form = RemittanceForm(request.POST or None, instance=remittance, township=remittance.township)
    detail_url = reverse("members:remittance_detail", args=[pk])
    return record_form_page(
        request,
        form,
        save=lambda: update_record(
            user=request.user,
            record=visible(request.user, DuesRemittance).get(pk=pk),
            data=form.data_for_service,
            expected_version=form.expected_version,
        ),
        saved_message=lambda saved: _("已保存经费上缴记录“{period}”的修改。").format(
            period=saved.period
        ),
        saved_url=lambda saved: detail_url,
        title=_("修改经费上缴“{period}”").format(period=remittance.period),
        cancel_url=detail_url,
    )


@require_http_methods(["GET", "POST"])
def remittance_delete(request: HttpRequest, pk: int) -> HttpResponse:
    remittance = get_writable_or_404(request.user, DuesRemittance, pk)
    return delete_page(
        request,
        remittance,
        success_url=reverse("members:remittance_list"),
        cancel_url=reverse("members:remittance_detail", args=[pk]),
    )
