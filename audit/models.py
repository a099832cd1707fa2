"""Who saw or exported whole personal numbers (GB/T 35273-2020 practice): an append-only log.

Rows are written only by audit.services.record_access and never changed: the admin page lists
them read-only. A member is named by id and by a snapshot of what was shown, so the entry keeps
its meaning after the member is deleted.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from unionportal.models import Township


class AccessAction(models.TextChoices):
    REVEAL = "reveal", _("显示完整信息")
    EXPORT = "export", _("导出（已脱敏）")
    EXPORT_FULL = "export_full", _("导出（含完整身份证号与手机号）")


class PersonalInfoAccess(models.Model):
    """One reveal of a member's (or visit's) whole ID number and mobile, or one workbook export."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        # A deleted account keeps its entries: user_label still names who it was.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空表示服务器上的命令行操作或已删除的账号（见用户名）。"),
    )
    user_label = models.CharField(_("用户名"), max_length=150)
    action = models.CharField(_("操作"), max_length=12, choices=AccessAction.choices)
    township = models.ForeignKey(
        Township,
        verbose_name=_("乡镇"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空表示多个乡镇（全县导出）。"),
    )
    record_kind = models.CharField(_("记录类型"), max_length=20, blank=True)
    record_id = models.BigIntegerField(_("记录编号"), null=True, blank=True)
    record_label = models.CharField(_("对象"), max_length=200)
    fields = models.CharField(_("涉及字段"), max_length=100)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    detail = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AccessAction.values), name="audit_action_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["record_kind", "record_id"], name="audit_record"),
        ]

    def __str__(self) -> str:
        return f"{self.user_label} {self.get_action_display()} {self.record_label}"


class AccountAction(models.TextChoices):
    CREATE_COUNTY = "create_county", _("新建县总工会")
    RENAME_COUNTY = "rename_county", _("修改县总工会名称")
    CREATE_TOWNSHIP = "create_township", _("新建乡镇工会")
    RENAME_TOWNSHIP = "rename_township", _("修改乡镇工会")
    CREATE_ACCOUNT = "create_account", _("新建账号")
    UPDATE_ACCOUNT = "update_account", _("修改账号")
    DEACTIVATE = "deactivate", _("停用账号")
    ACTIVATE = "activate", _("启用账号")
    RESET_PASSWORD = "reset_password", _("重置密码")
    UNLOCK = "unlock", _("解除登录锁定")


class AccountChange(models.Model):
    """One change an administrator made to counties, townships or accounts in the portal: an
    append-only log, written only by audit.services.record_account_change."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_label = models.CharField(_("操作人用户名"), max_length=150)
    action = models.CharField(_("操作"), max_length=20, choices=AccountAction.choices)
    target = models.CharField(_("对象"), max_length=200)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号与单位变更记录")
        verbose_name_plural = _("账号与单位变更记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.get_action_display()} {self.target}"
        )
