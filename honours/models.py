from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Member
from unionportal.masking import mask_id_number
from unionportal.models import TownshipRecord
from unionportal.pii import EncryptedIdNumberField, IdNumberHashField, id_number_hash
from unionportal.validators import normalize_id_number, validate_id_number


class RecipientType(models.TextChoices):
    PERSON = "person", _("个人")
    COLLECTIVE = "collective", _("集体")


class HonourLevel(models.TextChoices):
    TOWNSHIP = "township", _("乡镇")
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")


# 劳模 in the figures (spec/indicators.md): these two titles, at any level.
MODEL_WORKER_TITLES = (_("劳动模范"), _("五一劳动奖章"))


class Honour(TownshipRecord):
    """An honour granted to a worker or a collective (荣誉表彰): 劳动模范, 五一劳动奖章, 工人先锋号,
    文明职工, 十佳职工, 女职工示范单位 …, with its level and granting body."""

    recipient = models.CharField(_("获奖对象"), max_length=100, help_text=_("个人姓名或集体名称"))
    recipient_type = models.CharField(_("对象类型"), max_length=10, choices=RecipientType.choices)
    # A person's ID: encrypted at rest, linked and searched by its hash (unionportal/pii.py).
    id_number = EncryptedIdNumberField(
        _("身份证号"), max_length=18, blank=True, validators=[validate_id_number]
    )
    id_number_hash = IdNumberHashField(_("身份证号索引"))
    member = models.ForeignKey(
        Member,
        verbose_name=_("会员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="honours",
    )
    title = models.CharField(
        _("荣誉名称"),
        max_length=100,
        help_text=_("如 劳动模范、五一劳动奖章、工人先锋号、文明职工"),
    )
    level = models.CharField(_("级别"), max_length=10, choices=HonourLevel.choices)
    granted_by = models.CharField(
        _("授予单位"), max_length=100, blank=True, help_text=_("如 慈溪市总工会")
    )
    granted_on = models.DateField(_("授予日期"))
    workplace = models.CharField(_("工作单位"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("荣誉表彰")
        verbose_name_plural = _("荣誉表彰")
        ordering = ["-granted_on", "recipient", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "recipient", "title", "granted_on"],
                name="honour_unique_in_township",
                violation_error_message=_("本乡镇已有同一获奖对象、同一荣誉、同一授予日期的记录。"),
            ),
            models.CheckConstraint(
                condition=Q(recipient_type__in=RecipientType.values),
                name="honour_recipient_type_valid",
                violation_error_message=_("对象类型应为个人或集体。"),
            ),
            models.CheckConstraint(
                condition=Q(level__in=HonourLevel.values),
                name="honour_level_valid",
                violation_error_message=_("级别应为乡镇、县级、市级、省级或全国。"),
            ),
            models.CheckConstraint(
                condition=Q(recipient_type="person") | Q(id_number_hash=""),
                name="honour_id_for_person",
                violation_error_message=_("集体荣誉不填身份证号。"),
            ),
        ]
        indexes = [
            models.Index(fields=["township", "granted_on"], name="honour_township_granted"),
            models.Index(fields=["township", "id_number_hash"], name="honour_township_id_hash"),
        ]

    def __str__(self) -> str:
        return _("{recipient} {title}（{day:%Y-%m-%d}）").format(
            recipient=self.recipient, title=self.title, day=self.granted_on
        )

    def clean_fields(self, exclude=None) -> None:
        self.id_number = normalize_id_number(self.id_number) if self.id_number else ""
        self.id_number_hash = id_number_hash(self.id_number)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.recipient_type == RecipientType.COLLECTIVE and self.id_number:
            errors["id_number"] = _("集体荣誉不填身份证号。")
        if self.member_id and self.township_id and self.member.township_id != self.township_id:
            errors["member"] = _("会员必须是本乡镇的会员。")
        if errors:
            raise ValidationError(errors)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def is_model_worker(self) -> bool:
        return self.title in MODEL_WORKER_TITLES
