import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from members.models import Member
from unionportal.fields import MONEY
from unionportal.masking import mask_id_number
from unionportal.models import TownshipRecord
from unionportal.pii import EncryptedIdNumberField, IdNumberHashField, id_number_hash
from unionportal.validators import normalize_id_number, validate_id_number


class BeneficiaryType(models.TextChoices):
    EXTREME_HARDSHIP = "extreme", _("特困职工")
    HARDSHIP = "hardship", _("困难职工")
    RETIRED = "retired", _("离退休职工")
    MODEL_WORKER = "model", _("劳模")
    STUDENT = "student", _("助学")
    OTHER = "other", _("其他")


class FundSource(models.TextChoices):
    HIGHER = "higher", _("上级工会")
    OWN = "own", _("本级工会")
    GRASSROOTS = "grassroots", _("基层工会")
    EMPLOYER = "employer", _("企业")
    OTHER = "other", _("其他")


class WelfareVisit(TownshipRecord):
    """One household or person visited (慰问/送温暖), usually as part of a campaign."""

    visited_on = models.DateField(_("日期"))
    beneficiary_type = models.CharField(
        _("对象类型"), max_length=10, choices=BeneficiaryType.choices
    )
    beneficiary_name = models.CharField(_("对象姓名"), max_length=40)
    # The recipient's ID: encrypted at rest, linked and searched by its hash (unionportal/pii.py).
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
        related_name="welfare_visits",
    )
    cash = models.DecimalField(_("慰问金额（元）"), default=0, **MONEY)
    goods_value = models.DecimalField(_("物资折款（元）"), default=0, **MONEY)
    fund_source = models.CharField(
        _("资金来源"), max_length=10, choices=FundSource.choices, blank=True
    )
    campaign = models.CharField(
        _("活动名称"), max_length=100, blank=True, help_text=_("如 2026年春节送温暖")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("慰问")
        verbose_name_plural = _("慰问")
        ordering = ["-visited_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cash__gte=0),
                name="visit_cash_nonneg",
                violation_error_message=_("慰问金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(goods_value__gte=0),
                name="visit_goods_nonneg",
                violation_error_message=_("物资折款不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(beneficiary_type__in=BeneficiaryType.values), name="visit_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(fund_source="") | Q(fund_source__in=FundSource.values),
                name="visit_fund_source_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["township", "visited_on"], name="visit_township_date"),
            models.Index(fields=["township", "id_number_hash"], name="visit_township_id_hash"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.beneficiary_name}"

    def clean_fields(self, exclude=None) -> None:
        self.id_number = normalize_id_number(self.id_number) if self.id_number else ""
        self.id_number_hash = id_number_hash(self.id_number)
        super().clean_fields(exclude=exclude)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def clean(self) -> None:
        if self.member_id and self.township_id and self.member.township_id != self.township_id:
            raise ValidationError({"member": _("会员必须是本乡镇的会员。")})


class HardshipCategory(models.TextChoices):
    DEEP = "deep", _("深度困难")
    RELATIVE = "relative", _("相对困难")
    ACCIDENT = "accident", _("意外致困")


class HardshipCause(models.TextChoices):
    ILLNESS = "illness", _("本人大病")
    FAMILY_ILLNESS = "family_illness", _("家属大病")
    SCHOOLING = "schooling", _("子女就学")
    DISABILITY = "disability", _("残疾")
    SINGLE_PARENT = "single_parent", _("单亲")
    UNEMPLOYED = "unemployed", _("下岗失业")
    INJURY = "injury", _("工伤")
    DISASTER = "disaster", _("意外灾害")
    LOW_INCOME = "low_income", _("收入低")
    OTHER = "other", _("其他")


class ExitReason(models.TextChoices):
    EMPLOYMENT = "employment", _("就业增收")
    ASSISTANCE = "assistance", _("帮扶救助")
    POLICY = "policy", _("政策保障")
    OTHER = "other", _("其他")


# 致困原因 are kept as the codes of HardshipCause joined by commas, in the vocabulary's order:
# a household usually has two or three causes, and a closed list needs no table of its own.
CAUSE_SEPARATOR = ","


def split_causes(value: str) -> list[str]:
    return [c for c in (value or "").split(CAUSE_SEPARATOR) if c]


def validate_causes(value: str) -> None:
    codes = split_causes(value)
    if not codes:
        raise ValidationError(_("请至少选择一项致困原因。"))
    unknown = [c for c in codes if c not in HardshipCause.values]
    if unknown:
        allowed = "、".join(str(label) for label in HardshipCause.labels)
        raise ValidationError(
            _("致困原因“{join}”不在可选范围内，可填：{allowed}。").format(
                join="、".join(unknown), allowed=allowed
            )
        )


def join_causes(codes) -> str:
    """The stored form of a set of causes: vocabulary order, each once."""
    wanted = set(codes)
    return CAUSE_SEPARATOR.join(c for c in HardshipCause.values if c in wanted)


# A file whose latest review (or, never reviewed, its filing) is more than this many months old
# on a day is overdue for its annual review (复核).
REVIEW_MONTHS = 12


def review_cutoff(day: datetime.date) -> datetime.date:
    """The earliest review date still in time on `day`: the same day a year earlier (28 Feb
    for 29 Feb). A latest review before it is more than 12 months old."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


class HardshipFile(TownshipRecord):
    """A household on the hardship register (困难职工档案): filed, reviewed every year, and
    closed when it leaves hardship (脱困). A household may be filed again after it has left;
    at most one file per ID number is open in a township."""

    name = models.CharField(_("姓名"), max_length=40, help_text=_("户主（职工本人）"))
    # Encrypted at rest; found, linked and kept unique through its keyed hash (unionportal/pii.py).
    id_number = EncryptedIdNumberField(
        _("身份证号"), max_length=18, validators=[validate_id_number]
    )
    id_number_hash = IdNumberHashField(_("身份证号索引"))
    member = models.ForeignKey(
        Member,
        verbose_name=_("会员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hardship_files",
    )
    employer = models.ForeignKey(
        "members.Employer",
        verbose_name=_("工作单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hardship_files",
    )
    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("所属工会"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hardship_files",
    )
    category = models.CharField(_("困难类别"), max_length=10, choices=HardshipCategory.choices)
    causes = models.CharField(
        _("致困原因"), max_length=200, validators=[validate_causes], help_text=_("可多选")
    )
    household_size = models.PositiveSmallIntegerField(_("家庭人口"), null=True, blank=True)
    income_per_head = models.DecimalField(_("家庭月人均收入（元）"), null=True, blank=True, **MONEY)
    filed_on = models.DateField(_("建档日期"))
    reviewed_on = models.DateField(
        _("复核日期"), null=True, blank=True, help_text=_("最近一次年度复核")
    )
    out_on = models.DateField(_("脱困日期"), null=True, blank=True)
    out_reason = models.CharField(
        _("脱困原因"), max_length=12, choices=ExitReason.choices, blank=True
    )
    reported_on = models.DateField(
        _("上报日期"), null=True, blank=True, help_text=_("上报市总/县总")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["-filed_on", "id"]
        constraints = [
            # The ID is ciphertext: one open file per ID holds on its keyed hash.
            models.UniqueConstraint(
                fields=["township", "id_number_hash"],
                condition=Q(out_on__isnull=True),
                name="hardship_one_open_file_per_id",
                violation_error_message=_("本乡镇已有该身份证号的在档（未脱困）困难职工档案。"),
            ),
            models.UniqueConstraint(
                fields=["township", "id_number_hash", "filed_on"],
                name="hardship_id_filed_on_unique",
                violation_error_message=_("本乡镇已有该身份证号在同一建档日期的档案。"),
            ),
            models.CheckConstraint(
                condition=Q(category__in=HardshipCategory.values), name="hardship_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(out_reason="") | Q(out_reason__in=ExitReason.values),
                name="hardship_out_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(out_on__isnull=True, out_reason="")
                | (Q(out_on__isnull=False) & ~Q(out_reason="")),
                name="hardship_out_reason_with_date",
                violation_error_message=_(
                    "填写脱困日期时必须同时填写脱困原因（未脱困的不填脱困原因）。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(out_on__isnull=True) | Q(out_on__gte=F("filed_on")),
                name="hardship_out_after_filed",
                violation_error_message=_("脱困日期不能早于建档日期。"),
            ),
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | Q(reviewed_on__gte=F("filed_on")),
                name="hardship_review_after_filed",
                violation_error_message=_("复核日期不能早于建档日期。"),
            ),
            models.CheckConstraint(
                condition=Q(household_size__isnull=True) | Q(household_size__gte=1),
                name="hardship_household_size_min",
                violation_error_message=_("家庭人口至少为1人。"),
            ),
            models.CheckConstraint(
                condition=Q(income_per_head__isnull=True) | Q(income_per_head__gte=0),
                name="hardship_income_nonneg",
                violation_error_message=_("家庭月人均收入不能为负数。"),
            ),
        ]
        indexes = [
            models.Index(fields=["township", "filed_on"], name="hardship_township_filed"),
            models.Index(fields=["township", "out_on"], name="hardship_township_out"),
            models.Index(fields=["township", "id_number_hash"], name="hardship_township_id_hash"),
        ]

    def __str__(self) -> str:
        return _("{name}（{filed_on:%Y-%m-%d}建档）").format(name=self.name, filed_on=self.filed_on)

    def clean_fields(self, exclude=None) -> None:
        self.id_number = normalize_id_number(self.id_number) if self.id_number else ""
        self.id_number_hash = id_number_hash(self.id_number)
        if self.causes:
            codes = split_causes(self.causes)
            if all(c in HardshipCause.values for c in codes):
                self.causes = join_causes(codes)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        # The database constraints again, so a form or a workbook row gets its message beside
        # the field or column instead of an integrity error.
        errors = {}
        for name in ("member", "employer", "union"):
            related = getattr(self, name) if getattr(self, f"{name}_id") else None
            if related is not None and self.township_id and related.township_id != self.township_id:
                errors[name] = _("{verbose_name}必须属于本乡镇。").format(
                    verbose_name=self._meta.get_field(name).verbose_name
                )
        if self.out_on and not self.out_reason:
            errors["out_reason"] = _("填写脱困日期时必须同时填写脱困原因。")
        if self.out_reason and not self.out_on:
            errors["out_on"] = _("填写脱困原因时必须同时填写脱困日期。")
        if self.filed_on and self.out_on and self.out_on < self.filed_on:
            errors["out_on"] = _("脱困日期不能早于建档日期。")
        if self.filed_on and self.reviewed_on and self.reviewed_on < self.filed_on:
            # Beside the filing date: the file's form has no 复核日期 (reviews are recorded one by
            # one), so moving the filing after the latest review is what the user can change.
            errors["filed_on"] = _("复核日期不能早于建档日期。")
        if self.household_size is not None and self.household_size < 1:
            errors["household_size"] = _("家庭人口至少为1人。")
        if errors:
            raise ValidationError(errors)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_name(self) -> str:
        """张** for 张三丰: what a reader outside the township sees of the household's name."""
        return (self.name[:1] + "*" * max(len(self.name) - 1, 1)) if self.name else ""

    @property
    def cause_labels(self) -> list[str]:
        labels = dict(HardshipCause.choices)
        return [str(labels.get(c, c)) for c in split_causes(self.causes)]

    @property
    def causes_display(self) -> str:
        return "、".join(self.cause_labels)

    def is_open_on(self, day) -> bool:
        return self.filed_on <= day and (self.out_on is None or self.out_on > day)


class ReviewOutcome(models.TextChoices):
    CONTINUED = "continued", _("仍符合条件，继续在档")
    UPDATED = "updated", _("情况有变化，已更新档案")
    TO_EXIT = "to_exit", _("拟脱困")


class HardshipReview(models.Model):
    """One annual review (复核) of a hardship file. The history is the one source of 复核逾期:
    a file is overdue on a day when no review (nor its filing) falls in the 12 months before
    it; the file's 复核日期 is the latest of these, written with each review (welfare/services.py
    record_hardship_review, and the workbook import)."""

    file = models.ForeignKey(
        HardshipFile,
        verbose_name=_("困难职工档案"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewed_on = models.DateField(_("复核日期"))
    # Blank only for reviews known by their date alone (the data migration, a workbook's 复核日期).
    outcome = models.CharField(
        _("复核结论"), max_length=10, choices=ReviewOutcome.choices, blank=True
    )
    note = models.CharField(_("复核说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("困难职工档案复核")
        verbose_name_plural = _("困难职工档案复核")
        ordering = ["-reviewed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["file", "reviewed_on"],
                name="hardship_review_one_per_day",
                violation_error_message=_("该档案在这一天已有复核记录。"),
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=ReviewOutcome.values),
                name="hardship_review_outcome_valid",
                violation_error_message=_("复核结论不在可选范围内。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{day:%Y-%m-%d}复核").format(day=self.reviewed_on)

    def clean(self) -> None:
        errors = {}
        if self.file_id and self.reviewed_on:
            if self.reviewed_on < self.file.filed_on:
                errors["reviewed_on"] = _("复核日期不能早于建档日期。")
            elif self.file.out_on and self.reviewed_on > self.file.out_on:
                errors["reviewed_on"] = _("复核日期不能晚于脱困日期。")
        if errors:
            raise ValidationError(errors)


class MutualAidEnrolment(TownshipRecord):
    """Workers' medical mutual aid (职工医疗互助) of one grassroots union in one year: how many of
    its workers in service enrolled, premiums paid, and payouts made."""

    union = models.ForeignKey(
        "members.GrassrootsUnion",
        verbose_name=_("所属工会"),
        on_delete=models.PROTECT,
        related_name="mutual_aid_enrolments",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    workers = models.PositiveIntegerField(_("在职职工人数"))
    enrolled = models.PositiveIntegerField(_("参加人数"))
    premiums = models.DecimalField(_("缴费金额（元）"), default=0, **MONEY)
    payouts = models.PositiveIntegerField(_("受助人次"), default=0)
    paid_out = models.DecimalField(_("受助金额（元）"), default=0, **MONEY)

    class Meta:
        verbose_name = _("医疗互助")
        verbose_name_plural = _("医疗互助")
        ordering = ["-year", "union__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year"],
                name="mutual_aid_union_year_unique",
                violation_error_message=_("该基层工会本年度已有医疗互助记录。"),
            ),
            models.CheckConstraint(
                condition=Q(enrolled__lte=F("workers")),
                name="mutual_aid_enrolled_within_workers",
                violation_error_message=_("参加人数不能超过在职职工人数。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100),
                name="mutual_aid_year_range",
                violation_error_message=_("年度应为1990至2100之间的年份。"),
            ),
            models.CheckConstraint(
                condition=Q(premiums__gte=0),
                name="mutual_aid_premiums_nonneg",
                violation_error_message=_("缴费金额不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(paid_out__gte=0),
                name="mutual_aid_paid_out_nonneg",
                violation_error_message=_("受助金额不能为负数。"),
            ),
        ]
        indexes = [models.Index(fields=["township", "year"], name="mutual_aid_township_year")]

    def __str__(self) -> str:
        return (
            _("{name} {year}年医疗互助").format(name=self.union.name, year=self.year)
            if self.union_id
            else _("{year}年医疗互助").format(year=self.year)
        )

    def clean(self) -> None:
        errors = {}
        if self.union_id and self.township_id and self.union.township_id != self.township_id:
            errors["union"] = _("所属工会必须是本乡镇的基层工会。")
        if self.workers is not None and self.enrolled is not None and self.enrolled > self.workers:
            errors["enrolled"] = _("参加人数不能超过在职职工人数。")
        if self.year is not None and not 1990 <= self.year <= 2100:
            errors["year"] = _("年度应为1990至2100之间的年份。")
        if errors:
            raise ValidationError(errors)

    @property
    def rate(self) -> Decimal | None:
        """参加率 as a percentage to one decimal, or None without workers."""
        if not self.workers:
            return None
        return (Decimal(self.enrolled) * 100 / self.workers).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
