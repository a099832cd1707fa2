"""Submitting summaries to the county federation (报送): services that write a step with who and
when, and the reads the county's page, the home page and the summary page share.

A township's state for a period is, in this order: its submission's state (已报送 / 已退回 /
已接收) if it ever submitted; else 已定稿 if a version is finalised; else 草稿 if staff saved any
words; else 未开始. A township is overdue when the county's deadline has passed and its summary is
neither submitted nor received.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.models import (
    Submission,
    SubmissionAction,
    SubmissionDeadline,
    SubmissionState,
    SubmissionStep,
)
from reports.models import FinalSummary, SummaryNarrative
from unionportal import clock
from unionportal.models import County, Township, User
from unionportal.periods import Period

# Plain Chinese words compared and stored in TownshipSubmission.state; pages translate them.
NOT_STARTED = gettext_noop("未开始")
DRAFT = gettext_noop("草稿")
FINALISED = gettext_noop("已定稿")
# Submitted and received both count as sent on time.
SENT = (SubmissionState.SUBMITTED, SubmissionState.RECEIVED)


@dataclass
class TownshipSubmission:
    township: Township
    state: str
    submission: Submission | None
    final: FinalSummary | None
    overdue: bool

    @property
    def date(self) -> datetime.datetime | None:
        if self.submission is not None:
            return self.submission.updated_at
        return self.final.finalised_at if self.final is not None else None


def deadline_for(county: County | int, period: Period) -> SubmissionDeadline | None:
    county_id = county if isinstance(county, int) else county.pk
    return SubmissionDeadline.objects.filter(county_id=county_id, period=period.code).first()


def is_overdue(deadline: SubmissionDeadline | None, state: str, today: datetime.date) -> bool:
    sent = state in {s.label for s in SENT}
    return deadline is not None and today > deadline.due_on and not sent


def _latest_finals(townships: list[int], period: Period) -> dict[int, FinalSummary]:
    latest = (
        FinalSummary.objects.filter(township_id__in=townships, period=period.code)
        .values("township_id")
        .annotate(top=Max("version"))
    )
    wanted = {row["township_id"]: row["top"] for row in latest}
    finals = FinalSummary.objects.filter(township_id__in=wanted, period=period.code).defer(
        "pdf", "docx"
    )
    return {f.township_id: f for f in finals if wanted.get(f.township_id) == f.version}


def county_rows(
    townships: QuerySet[Township], period: Period, deadline: SubmissionDeadline | None
) -> list[TownshipSubmission]:
    """Every township given with its state, date, files and whether it is overdue; four queries
    whatever the number of townships."""
    townships = list(townships.order_by("name"))
    ids = [t.pk for t in townships]
    submissions = {
        s.township_id: s
        for s in Submission.objects.filter(township_id__in=ids, period=period.code)
        .select_related("final")
        .defer("final__pdf", "final__docx")
    }
    finals = _latest_finals(ids, period)
    drafts = set(
        SummaryNarrative.objects.filter(township_id__in=ids, period=period.code).values_list(
            "township_id", flat=True
        )
    )
    today = clock.today()
    rows = []
    for township in townships:
        submission = submissions.get(township.pk)
        if submission is not None:
            state = submission.get_state_display()
        elif township.pk in finals:
            state = FINALISED
        elif township.pk in drafts:
            state = DRAFT
        else:
            state = NOT_STARTED
        rows.append(
            TownshipSubmission(
                township=township,
                state=state,
                submission=submission,
                final=finals.get(township.pk),
                overdue=is_overdue(deadline, state, today),
            )
        )
    return rows


def submission_for(township: Township, period: Period) -> Submission | None:
    return Submission.objects.filter(township=township, period=period.code).first()


def latest_final(township: Township, period: Period) -> FinalSummary | None:
    return (
        FinalSummary.objects.filter(township=township, period=period.code)
        .defer("pdf", "docx")
        .order_by("-version")
        .first()
    )


@transaction.atomic
def set_deadline(
    *, user: User, county: County, period: Period, due_on: datetime.date
) -> SubmissionDeadline:
    """Set (or move) the county's deadline for a period."""
    deadline, _ = SubmissionDeadline.objects.update_or_create(
        county=county, period=period.code, defaults={"due_on": due_on, "set_by": user}
    )
    return deadline


@transaction.atomic
def submit(*, user: User, township: Township, period: Period) -> Submission:
    """Send the latest finalised version to the county; again after a return. ValidationError
    when nothing is finalised, or the same version is already with the county."""
    final = latest_final(township, period)
    if final is None:
        raise ValidationError(
            _("{period}工作总结还没有定稿，定稿后才能报送。").format(period=period.display)
        )
    now = clock.now()
    submission = (
        Submission.objects.select_for_update().filter(township=township, period=period.code).first()
    )
    if submission is None:
        submission = Submission(township=township, period=period.code)
    elif submission.state == SubmissionState.RECEIVED:
        raise ValidationError(_("县总工会已接收本期总结，不能再次报送。"))
    elif submission.state == SubmissionState.SUBMITTED:
        raise ValidationError(_("本期总结已报送，等待县总工会接收或退回。"))
    elif submission.final_id == final.pk:
        raise ValidationError(_("县总工会退回了这一版，请按退回意见修改并重新定稿后再报送。"))
    submission.final = final
    submission.state = SubmissionState.SUBMITTED
    submission.submitted_at = now
    submission.updated_at = now
    submission.save()
    SubmissionStep.objects.create(
        submission=submission, action=SubmissionAction.SUBMIT, final=final, at=now, by=user
    )
    return submission


@transaction.atomic
def review(*, user: User, submission: Submission, receive: bool, remark: str = "") -> Submission:
    """The county receives a submitted summary, or returns it with a remark (required)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state != SubmissionState.SUBMITTED:
        raise ValidationError(_("只有“已报送”的总结可以接收或退回。"))
    remark = remark.strip()
    if not receive and not remark:
        raise ValidationError(_("退回时请写明退回意见。"))
    now = clock.now()
    submission.state = SubmissionState.RECEIVED if receive else SubmissionState.RETURNED
    if not receive:
        submission.remark = remark
    submission.updated_at = now
    submission.save()
    SubmissionStep.objects.create(
        submission=submission,
        action=SubmissionAction.RECEIVE if receive else SubmissionAction.RETURN,
        final_id=submission.final_id,
        remark=remark,
        at=now,
        by=user,
    )
    return submission


def submitted_zip(townships: QuerySet[Township], period: Period) -> bytes:
    """One zip of the PDF and DOCX of every summary submitted or received for the period, one
    folder per township."""
    submissions = (
        Submission.objects.filter(township__in=townships, period=period.code, state__in=SENT)
        .select_related("township", "final")
        .order_by("township__name")
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission in submissions:
            final = submission.final
            name = f"{submission.township.name}/{final.title}（定稿第{final.version}版）"
            archive.writestr(f"{name}.pdf", bytes(final.pdf))
            archive.writestr(f"{name}.docx", bytes(final.docx))
    return out.getvalue()
