import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import Employer, GrassrootsUnion
from unionportal.models import Attachment, TownshipRecord


class EventCategory(models.TextChoices):
    COMPETITION = "competition", _("劳动竞赛")
    SAFETY = "safety", _("安全生产")
    SPORTS_CULTURE = "sports", _("文体活动")
    TRAINING = "training", _("教育培训")
    AWARD = "award", _("评选表彰")
    MEETING = "meeting", _("会议")
    INSPECTION = "inspection", _("执法检查")
    LEGAL_EDUCATION = "legal", _("普法宣传")
    PUBLICITY = "publicity", _("宣传报道")
    WOMEN = "women", _("女职工")
    OTHER = "other", _("其他")


# 职工活动 (spec/indicators.md, second round): events of every 类别 but 执法检查, 宣传报道 and 会议,
# which summaries and dashboards state apart. The event list's ?staff=1 lists exactly these.
NOT_STAFF_ACTIVITIES = (EventCategory.INSPECTION, EventCategory.PUBLICITY, EventCategory.MEETING)
STAFF_ACTIVITIES = tuple(c for c in EventCategory if c not in NOT_STAFF_ACTIVITIES)


class Event(TownshipRecord):
    """An activity of the township union: competition, 安康杯, training, inspection, report …"""

    title = models.CharField(_("名称"), max_length=200)
    starts_on = models.DateField(_("日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    category = models.CharField(_("类别"), max_length=12, choices=EventCategory.choices)
    organiser = models.CharField(_("主办"), max_length=100, blank=True)
    participants = models.PositiveIntegerField(_("参与人数"), null=True, blank=True)
    participating_units = models.TextField(
        _("参与单位"), blank=True, help_text=_("以“、”或“;”分隔，按原文保存。")
    )
    media = models.CharField(
        _("媒体"), max_length=100, blank=True, help_text=_("宣传报道的刊发媒体")
    )
    description = models.TextField(_("简述"), blank=True)
    unions = models.ManyToManyField(
        GrassrootsUnion, verbose_name=_("关联工会"), blank=True, related_name="events"
    )
    employers = models.ManyToManyField(
        Employer, verbose_name=_("关联单位"), blank=True, related_name="events"
    )

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "title", "starts_on"],
                name="event_unique_in_township",
                violation_error_message=_("本乡镇在同一日期已有同名活动。"),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="event_ends_after_starts",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(participants__isnull=True) | Q(participants__gte=0),
                name="event_participants_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(category__in=EventCategory.values), name="event_category_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["township", "starts_on"], name="event_township_starts"),
            models.Index(fields=["township", "category", "starts_on"], name="event_township_cat"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})

    @property
    def unit_names(self) -> list[str]:
        """参与单位 split on 、 ; ； , ，as staff write them."""
        return [p.strip() for p in re.split(r"[、;；,，]", self.participating_units) if p.strip()]


class EventAttachment(Attachment):
    event = models.ForeignKey(
        Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta(Attachment.Meta):
        verbose_name = _("活动附件")
        verbose_name_plural = _("活动附件")
