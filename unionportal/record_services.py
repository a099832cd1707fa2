"""Writes shared by every record kind: create, update with an optimistic-locking check, delete.

Each runs in one transaction and leaves a history entry naming the user (django-simple-history).
Per-kind services (members/services.py …) call these after their own domain checks.
"""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionportal.access import require_write, visible
from unionportal.models import Township, TownshipRecord, User

RecordT = TypeVar("RecordT", bound=TownshipRecord)

# Fields the services own: a form never sets them.
_MANAGED = {"id", "township", "created_at", "updated_at", "created_by", "updated_by", "version"}


class StaleRecord(Exception):
    """The record was saved by someone else after the user opened the form."""

    def __init__(self, current: TownshipRecord) -> None:
        self.current = current
        who = current.updated_by.display_name if current.updated_by else _("其他用户")
        when = timezone.localtime(current.updated_at).strftime("%H:%M")
        self.message = _(
            "该记录已被 {who} 于 {when} 修改，您的修改未保存。请核对后重新提交。"
        ).format(who=who, when=when)
        super().__init__(self.message)


def _split(model: type[models.Model], data: dict[str, Any]) -> tuple[dict, dict]:
    """Plain field values, and many-to-many values that can only be set after saving."""
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names and k not in _MANAGED}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


def _save(record: TownshipRecord, user: User, m2m: dict[str, Any]) -> None:
    record.full_clean()
    # The history entry names this user even outside a request (commands, tests).
    record._history_user = user
    record.save()
    for name, values in m2m.items():
        getattr(record, name).set(values)


def create_record(
    *, user: User, model: type[RecordT], township: Township, data: dict[str, Any]
) -> RecordT:
    """Create a record of `model` in `township` from validated form data.

    Refused (PermissionDenied) unless the user may write the township; raises ValidationError
    when the model's own rules fail.
    """
    require_write(user, township)
    plain, m2m = _split(model, data)
    with transaction.atomic():
        record = model(township=township, created_by=user, updated_by=user, **plain)
        _save(record, user, m2m)
    return record


def update_record(
    *,
    user: User,
    record: RecordT,
    data: dict[str, Any],
    expected_version: int | None,
    reason: str = "",
) -> RecordT:
    """Apply `data` to the record as stored now, if nobody saved it since `expected_version`.
    `reason`, when given, names the step in the history (转会, 离会) instead of a plain 修改.

    Raises StaleRecord when the stored version differs: the caller keeps the user's input and
    shows who changed it, so nothing is silently overwritten.
    """
    require_write(user, record.township_id)
    model = type(record)
    plain, m2m = _split(model, data)
    with transaction.atomic():
        # FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers.
        current = (
            model._default_manager.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=record.pk, township_id=record.township_id)
        )
        if expected_version is None or current.version != expected_version:
            raise StaleRecord(current)
        for name, value in plain.items():
            setattr(current, name, value)
        current.updated_by = user
        current.version = current.version + 1
        if reason:
            current._change_reason = reason
        _save(current, user, m2m)
    return current


def delete_record(*, user: User, record: TownshipRecord) -> None:
    """Delete the record; raises django.db.models.ProtectedError if others depend on it."""
    require_write(user, record.township_id)
    with transaction.atomic():
        record._history_user = user
        record.delete()


def restore_record(*, user: User, historical: models.Model) -> TownshipRecord:
    """Re-create a deleted record from its last history entry (history_type '-'), same id.

    Administrators only. Raises ValidationError (in Chinese) when the record is already back, or
    when it no longer fits: a record it pointed to is gone, or another now holds its name.
    """
    if not user.is_administrator:
        raise PermissionDenied(_("只有系统管理员可以恢复已删除的记录。"))
    record = historical.instance
    model = type(record)
    with transaction.atomic():
        if visible(user, model).filter(pk=record.pk).exists():
            raise ValidationError(_("该记录已经恢复，无需再次恢复。"))
        for field in model._meta.concrete_fields:
            target = getattr(record, field.attname) if field.many_to_one else None
            if field.name in _MANAGED or target is None:
                continue
            if not visible(user, field.related_model).filter(pk=target).exists():
                raise ValidationError(
                    _("它的{verbose_name}（编号 {target}）也已被删除，请先恢复那条记录。").format(
                        verbose_name=field.verbose_name, target=target
                    )
                )
        record.full_clean()
        record.updated_by = user
        record._history_user = user
        created_at = record.created_at
        record.save(force_insert=True)
        # auto_now_add stamps the insert with now; the record keeps its first creation time.
        visible(user, model).filter(pk=record.pk).update(created_at=created_at)
        record.created_at = created_at
    return record
