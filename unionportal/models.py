import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from unionportal import clock
from unionportal.validation import QuietValidation


class County(models.Model):
    """A county federation of trade unions (县总工会): the tier above the townships."""

    name = models.CharField(_("县（市、区）名称"), max_length=60, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("县总工会")
        verbose_name_plural = _("县总工会")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def federation_name(self) -> str:
        return self.name if self.name.endswith("总工会") else f"{self.name}总工会"


class Township(models.Model):
    """A township union (乡镇工会): every record in the portal belongs to exactly one."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("乡镇名称"), max_length=60)
    county = models.ForeignKey(
        County, verbose_name=_("所属县总工会"), on_delete=models.PROTECT, related_name="townships"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("乡镇工会")
        verbose_name_plural = _("乡镇工会")
        ordering = ["county__name", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"], name="township_name_unique_in_county"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def union_name(self) -> str:
        """慈东镇 → 慈东镇工会 (the name a summary's title uses)."""
        return self.name if self.name.endswith("工会") else f"{self.name}工会"


class Role(models.TextChoices):
    STAFF = "staff", _("录入员")
    CHAIR = "chair", _("主席")
    REVIEWER = "reviewer", _("县总审阅")
    ADMIN = "admin", _("管理员")


class PortalUserManager(UserManager):
    def get_queryset(self):
        # Every page shows the user's township union or county federation in its header: load
        # them with the user (the session's one query) instead of one more query per page.
        return super().get_queryset().select_related("township__county", "county")

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `createsuperuser` makes an administrator, who belongs to no township or county.
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Staff and chairs belong to one township, reviewers to one county."""

    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.STAFF)
    township = models.ForeignKey(
        Township,
        verbose_name=_("所属乡镇工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("所属县总工会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    full_name = models.CharField(_("姓名"), max_length=40, blank=True)
    # When the password was last set; with PASSWORD_MAX_AGE_DAYS on, an older password must be
    # changed before anything else. Empty for passwords set before this field existed.
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Set by an administrator's reset to a one-time password: every page leads to the password
    # change until the user sets their own (set_password clears it).
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # Township roles need a township and no county; reviewers the reverse. An
            # administrator may stand above both (null/null).
            models.CheckConstraint(
                condition=(
                    Q(role__in=["staff", "chair"], township__isnull=False, county__isnull=True)
                    | Q(role="reviewer", township__isnull=True, county__isnull=False)
                    | Q(role="admin", township__isnull=True)
                ),
                name="user_role_matches_unit",
                violation_error_message=_(
                    "录入员和主席须属于一个乡镇工会；县总审阅须属于一个县总工会。"
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = clock.now()
        self.must_change_password = False

    def password_expired(self, max_age_days: int) -> bool:
        """Whether the password is older than `max_age_days` (0 = passwords never expire)."""
        if max_age_days <= 0:
            return False
        changed = self.password_changed_at or self.date_joined
        return clock.now() - changed > timedelta(days=max_age_days)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_township_user(self) -> bool:
        return self.role in (Role.STAFF, Role.CHAIR)

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser


class TownshipRecord(QuietValidation):
    """Fields every record kind shares: its township, who created and last changed it, a version
    for optimistic locking, and the history of every change (django-simple-history)."""

    township = models.ForeignKey(
        Township, verbose_name=_("乡镇工会"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Optimistic locking: a save names the version it was edited from, and is refused when
    # someone else saved in between (see the services' update functions).
    version = models.PositiveIntegerField(_("版本"), default=1, db_default=1, editable=False)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class DataStamp(models.Model):
    """A token per township and record table that changes with every write to that table's rows
    of the township.

    Database triggers on every table of a TownshipRecord kind set the token of the written rows'
    township and that table to a new random number in the same statement as the write (see
    unionportal.datastamp), so no way of writing (a form, a workbook import's bulk insert, an
    update of many rows, the admin, raw SQL) can leave it unchanged. Figures computed from a
    township's records and stored under the tokens of the tables they read are therefore never
    served after those records change (reports.figure_cache), and a write to one kind of record
    leaves the figures of the others kept. The token is random, not a counter, so a database
    restored from a backup brings its own tokens back and they still name exactly the records it
    holds. No row for a table: what reads it in that township is not kept.
    """

    township_id = models.BigIntegerField(_("乡镇工会"))
    source = models.CharField(_("记录表"), max_length=63)
    token = models.BigIntegerField(_("数据标记"))

    class Meta:
        verbose_name = _("数据标记")
        verbose_name_plural = _("数据标记")
        constraints = [
            models.UniqueConstraint(
                fields=["township_id", "source"], name="unionportal_datastamp_township_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.township_id} {self.source}: {self.token}"


def attachment_path(instance: models.Model, filename: str) -> str:
    """Stored under a random name: the original name is kept in a field, never used as a path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{instance._meta.model_name}/{uuid.uuid4().hex}{suffix}"


def private_storage() -> Storage:
    """Attachments' storage: PRIVATE_MEDIA_ROOT, never served by the web server directly."""
    return storages["private"]


class Attachment(models.Model):
    """A photo or scanned letter on a record. Files live in PRIVATE_MEDIA_ROOT, outside the web
    root, and are served only through a view that checks the record's access."""

    file = models.FileField(
        _("文件"), upload_to=attachment_path, storage=private_storage, max_length=200
    )
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
