"""Pages for submitting summaries (报送): the county's page for a period, the chair's submit,
the county's receive/return, and the zip of everything submitted."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from portal import submissions
from portal.models import Submission, SubmissionStep
from reports.forms import default_period, period_choices
from unionportal.access import (
    can_review_submissions,
    can_submit_summary,
    county_in_view,
    visible_townships,
)
from unionportal.forms import DateInput
from unionportal.models import County
from unionportal.periods import Period, PeriodError, parse_period


class DeadlineForm(forms.Form):
    due_on = forms.DateField(
        label=_("报送截止日期"),
        widget=DateInput(),
        error_messages={"invalid": _("请输入有效的日期，如 2026-03-27。")},
    )


def _period(request: HttpRequest) -> Period:
    source = request.POST if request.method == "POST" else request.GET
    try:
        return parse_period(source.get("period") or default_period())
    except PeriodError as exc:
        messages.error(request, str(exc))
        return parse_period(default_period())


def _page(county: County, period: Period) -> str:
    return f"{reverse('submissions:county')}?period={period.code}&county={county.pk}"


def county_page(request: HttpRequest) -> HttpResponse:
    """Every township of the county for one period: its state, date, files and steps, overdue
    ones marked; the deadline is set here."""
    source = request.POST if request.method == "POST" else request.GET
    county = county_in_view(request.user, source.get("county"))
    may_review = can_review_submissions(request.user, county)
    if not may_review:
        raise PermissionDenied(_("报送情况仅供县总工会审阅人员和管理员查看。"))
    period = _period(request)
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deadline = submissions.set_deadline(
            user=request.user, county=county, period=period, due_on=form.cleaned_data["due_on"]
        )
        messages.success(
            request,
            _("{label}工作总结报送截止日期设为{due_on}。").format(
                label=period.display, due_on=deadline.due_on
            ),
        )
        return redirect(_page(county, period))
    deadline = submissions.deadline_for(county, period)
    if request.method == "GET" and deadline is not None:
        form = DeadlineForm(initial={"due_on": deadline.due_on})
    townships = visible_townships(request.user).filter(county=county)
    rows = submissions.county_rows(townships, period, deadline)
    steps: dict[int, list[SubmissionStep]] = {}
    for step in SubmissionStep.objects.filter(
        submission_id__in=[r.submission.pk for r in rows if r.submission]
    ).select_related("by"):
        steps.setdefault(step.submission_id, []).append(step)
    return render(
        request,
        "portal/submissions_county.html",
        {
            "county": county,
            "period": period,
            "periods": period_choices(),
            "deadline": deadline,
            "form": form,
            "rows": [(r, steps.get(r.submission.pk, []) if r.submission else []) for r in rows],
            "sent": sum(1 for r in rows if r.submission and r.submission.state != "returned"),
            "overdue": sum(1 for r in rows if r.overdue),
        },
    )


@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    """The chair sends the latest finalised version of the period's summary to the county."""
    period = _period(request)
    township_id = request.POST.get("township") or request.user.township_id
    try:
        township = visible_townships(request.user).get(pk=int(township_id))
    except (TypeError, ValueError, visible_townships(request.user).model.DoesNotExist):
        raise Http404(_("乡镇不存在或无权查看。")) from None
    if not can_submit_summary(request.user, township):
        raise PermissionDenied(_("只有本乡镇工会主席可以报送工作总结。"))
    try:
        submission = submissions.submit(user=request.user, township=township, period=period)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("已向县总工会报送{label}工作总结（第{version}版）。").format(
                label=period.display, version=submission.final.version
            ),
        )
    return redirect(f"{reverse('reports:summary')}?period={period.code}&township={township.pk}")


def _visible_submission(request: HttpRequest, pk: int) -> Submission:
    townships = visible_townships(request.user).values("pk")
    try:
        return Submission.objects.select_related("township__county").get(
            pk=pk, township__in=townships
        )
    except Submission.DoesNotExist:
        raise Http404(_("报送记录不存在或无权查看。")) from None


@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The county receives a submitted summary (action=receive) or returns it with a remark."""
    submission = _visible_submission(request, pk)
    county = submission.township.county
    if not can_review_submissions(request.user, county):
        raise PermissionDenied(_("只有县总工会审阅人员可以接收或退回工作总结。"))
    receive = request.POST.get("action") == "receive"
    try:
        submissions.review(
            user=request.user,
            submission=submission,
            receive=receive,
            remark=request.POST.get("remark", ""),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        what = _("已接收") if receive else _("已退回")
        messages.success(
            request, _("{name}的工作总结{what}。").format(name=submission.township.name, what=what)
        )
    return redirect(_page(county, parse_period(submission.period)))


@require_GET
def download_all(request: HttpRequest) -> HttpResponse:
    """下载全部已报送: one zip of the submitted PDF and DOCX files of the period."""
    county = county_in_view(request.user, request.GET.get("county"))
    if not can_review_submissions(request.user, county):
        raise PermissionDenied(_("报送情况仅供县总工会审阅人员和管理员查看。"))
    period = _period(request)
    townships = visible_townships(request.user).filter(county=county)
    data = submissions.submitted_zip(townships, period)
    response = HttpResponse(data, content_type="application/zip")
    name = _("{name}{label}工作总结（已报送）.zip").format(name=county.name, label=period.display)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, no-store"
    return response
