"""Writes of cases (信访/劳动争议): the record itself and its closing. Attachments are added and
removed by unionportal/attachments.py."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from disputes.models import Case, CaseStatus
from unionportal import attachments, clock
from unionportal.models import Township, User
from unionportal.record_services import create_record, update_record

# The outcomes a case may be closed with; 处理中 is where every case starts.
CLOSING_STATUSES = [s for s in CaseStatus if s != CaseStatus.OPEN]


def create_case(*, user: User, township: Township, data: dict[str, Any]) -> Case:
    """Register a case; it starts 处理中 (open) unless the data says otherwise."""
    return create_record(user=user, model=Case, township=township, data=data)


def update_case(
    *, user: User, record: Case, data: dict[str, Any], expected_version: int | None
) -> Case:
    """Correct a case's details (optimistic locking as update_record)."""
    return update_record(user=user, record=record, data=data, expected_version=expected_version)


def close_case(
    *,
    user: User,
    case: Case,
    status: str,
    closed_on: datetime.date,
    amount_recovered: Decimal | None,
    expected_version: int | None,
) -> Case:
    """Close an open case as 已解决, 转仲裁 or 不予受理 on `closed_on`.

    The closing date lies between the date received and today; the amount recovered for the
    workers is not negative. Raises ValidationError (by field) or StaleRecord.
    """
    errors: dict[str, str] = {}
    if case.status != CaseStatus.OPEN:
        errors["status"] = _("该案件已经结案，不能再次结案。")
    if status not in CLOSING_STATUSES:
        errors["status"] = _("请选择办结结果：已解决、转仲裁或不予受理。")
    if closed_on is None:
        errors["closed_on"] = _("请填写结案日期。")
    elif closed_on > clock.today():
        errors["closed_on"] = _("结案日期不能晚于今天。")
    elif closed_on < case.received_on:
        errors["closed_on"] = _("结案日期不能早于受理日期（{date}）。").format(
            date=f"{case.received_on:%Y-%m-%d}"
        )
    if amount_recovered is not None and amount_recovered < 0:
        errors["amount_recovered"] = _("追回金额不能为负数。")
    if errors:
        raise ValidationError(errors)
    return update_record(
        user=user,
        record=case,
        data={"status": status, "closed_on": closed_on, "amount_recovered": amount_recovered},
        expected_version=expected_version,
    )


def delete_case(*, user: User, case: Case) -> None:
    """Delete the case with its attachments in one transaction; their files go once it commits."""
    attachments.delete_with_attachments(user=user, record=case)
