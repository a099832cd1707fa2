from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from reports.models import FinalSummary
from unionportal.models import County, Township
from unionportal.periods import parse_period


class SubmissionDeadline(models.Model):
    """The day by which a county's townships submit their summary for a period (报送截止日期),
    set by the county federation."""

    county = models.ForeignKey(
        County, verbose_name=_("县总工会"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=24)
    due_on = models.DateField(_("报送截止日期"))
    set_at = models.DateTimeField(_("设置时间"), auto_now=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("报送截止日期")
        verbose_name_plural = _("报送截止日期")
        constraints = [
            models.UniqueConstraint(fields=["county", "period"], name="deadline_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.period} {self.due_on}"


# The states' and steps' labels are also the words portal/submissions.py compares, so they stay
# plain Chinese here (gettext_noop) and pages translate them when they show them.
class SubmissionState(models.TextChoices):
    SUBMITTED = "submitted", gettext_noop("已报送")
    RETURNED = "returned", gettext_noop("已退回")
    RECEIVED = "received", gettext_noop("已接收")


class Submission(models.Model):
    """A township's summary for a period as sent to the county federation: the finalised version
    sent and where it stands. Every step is kept in SubmissionStep."""

    township = models.ForeignKey(
        Township, verbose_name=_("乡镇工会"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=24)
    final = models.ForeignKey(
        FinalSummary, verbose_name=_("报送的定稿"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=16, choices=SubmissionState.choices)
    submitted_at = models.DateTimeField(_("报送时间"))
    remark = models.TextField(_("退回意见"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("总结报送")
        verbose_name_plural = _("总结报送")
        constraints = [
            models.UniqueConstraint(
                fields=["township", "period"], name="submission_unique_township_period"
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(remark=""),
                name="submission_returned_has_remark",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.township} {self.period} {self.get_state_display()}"

    @property
    def period_label(self) -> str:
        return parse_period(self.period).label


class SubmissionAction(models.TextChoices):
    SUBMIT = "submit", gettext_noop("报送")
    RETURN = "return", gettext_noop("退回")
    RECEIVE = "receive", gettext_noop("接收")


class SubmissionStep(models.Model):
    """One step of a submission, with who took it and when."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("报送"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("操作"), max_length=16, choices=SubmissionAction.choices)
    final = models.ForeignKey(
        FinalSummary, verbose_name=_("定稿"), on_delete=models.PROTECT, related_name="+"
    )
    remark = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
