"""The summary page's 报送 card (templates/reports/summary_page.html): reports cannot import the
portal, so the page asks for it by this tag."""

from django import template

from portal import submissions
from portal.models import SubmissionState, SubmissionStep
from unionportal.access import can_submit_summary

register = template.Library()


@register.inclusion_tag("portal/_submission_status.html", takes_context=True)
def submission_status(context, township, period) -> dict:
    """State, deadline, the county's remark when returned, the steps so far, and the chair's
    submit button when the latest finalised version may be sent."""
    deadline = submissions.deadline_for(township.county_id, period)
    status = submissions.county_rows(
        type(township).objects.filter(pk=township.pk), period, deadline
    )[0]
    submission = status.submission
    steps = (
        list(SubmissionStep.objects.filter(submission=submission).select_related("by"))
        if submission
        else []
    )
    may_submit = (
        can_submit_summary(context["request"].user, township)
        and status.final is not None
        and (
            submission is None
            or (
                submission.state == SubmissionState.RETURNED
                and submission.final_id != status.final.pk
            )
        )
    )
    return {
        "status": status,
        "deadline": deadline,
        "steps": steps,
        "may_submit": may_submit,
        "township": township,
        "period": period,
        "csrf_token": context.get("csrf_token"),
    }
