import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unionportal.models import Township, private_storage


class ImportSource(models.TextChoices):
    BROWSER = "browser", _("网页上传")
    COMMAND = "command", _("命令行")


def import_path(instance: "WorkbookImport", filename: str) -> str:
    """Under a random name in the private storage: the original name is kept in a field."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"imports/{uuid.uuid4().hex}{suffix}"


class WorkbookImport(models.Model):
    """One workbook imported into a township (导入记录): who, when, which file (its name and
    SHA-256, and the file itself, kept privately) and what each sheet did."""

    township = models.ForeignKey(
        Township, verbose_name=_("乡镇工会"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True, db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_by_label = models.CharField(_("导入人"), max_length=150)
    source = models.CharField(_("方式"), max_length=10, choices=ImportSource.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField(_("大小（字节）"))
    file = models.FileField(
        "原文件", upload_to=import_path, storage=private_storage, max_length=200
    )
    # [{"sheet": "会员", "created": 3, "updated": 1, "unchanged": 0}, …]
    counts = models.JSONField(_("各表条数"), default=list)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.township} {self.imported_at:%Y-%m-%d %H:%M} {self.file_name}"

    @property
    def created(self) -> int:
        return sum(c.get("created", 0) for c in self.counts)

    @property
    def updated(self) -> int:
        return sum(c.get("updated", 0) for c in self.counts)
