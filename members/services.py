"""Writes of the members app: members (with the county-wide active-membership rule and
transfers) on top of the shared record services. Each runs in one transaction with history."""

import datetime
import zlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q

from members.models import GrassrootsUnion, Member
from unionportal import clock
from unionportal.masking import mask_id_number
from unionportal.models import Township, User
from unionportal.pii import id_number_hash
from unionportal.record_services import create_record, update_record
from unionportal.validators import normalize_id_number


def _active_on(day: datetime.date) -> Q:
    return Q(left_on__isnull=True) | Q(left_on__gt=day)


def check_county_unique_active(
    *,
    township: Township,
    id_number: str,
    left_on: datetime.date | None,
    exclude_pk: int | None = None,
) -> None:
    """A person is an active member of at most one union in the whole county.

    The database cannot enforce this across townships, so the services check it inside the
    write transaction: SQLite's IMMEDIATE transactions serialise writers; on PostgreSQL an
    advisory lock on the ID number does. Call it inside transaction.atomic().

    The message names where the person is registered, with the ID masked: staff of another
    township may not see it whole.
    """
    today = clock.today()
    if left_on is not None and left_on <= today:
        return  # a member who has left does not hold an active place
    number = normalize_id_number(id_number)
    if connection.vendor == "postgresql":
        # No row to lock yet: two townships registering the same person at the same moment
        # queue on a lock named by the ID number until the first transaction ends.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(number.encode())])
    others = (
        Member.objects.filter(
            township__county_id=township.county_id, id_number_hash=id_number_hash(number)
        )
        .filter(_active_on(today))
        .select_related("township", "union")
    )
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    holder = others.first()
    if holder is None:
        return
    masked = mask_id_number(number)
    if holder.township_id == township.pk:
        where = f"本乡镇“{holder.union.name}”"
    else:
        where = f"{holder.township.name}（{holder.township.union_name}）"
    raise ValidationError(
        {
            "id_number": (
                f"身份证号 {masked} 的人员已是{where}的在册会员，同一人在全县只能在一个工会登记。"
                "请先由原工会办理离会或转会。"
            )
        }
    )


def create_member(*, user: User, township: Township, data: dict[str, Any]) -> Member:
    """Register a member, refusing a person already active elsewhere in the county."""
    with transaction.atomic():
        check_county_unique_active(
            township=township, id_number=data.get("id_number", ""), left_on=data.get("left_on")
        )
        return create_record(user=user, model=Member, township=township, data=data)


def update_member(
    *, user: User, member: Member, data: dict[str, Any], expected_version: int | None
) -> Member:
    """Correct a member's record (optimistic locking; county-wide active rule re-checked)."""
    with transaction.atomic():
        check_county_unique_active(
            township=member.township,
            id_number=data.get("id_number", member.id_number),
            left_on=data.get("left_on", member.left_on),
            exclude_pk=member.pk,
        )
        return update_record(user=user, record=member, data=data, expected_version=expected_version)


def transfer_member(
    *, user: User, member: Member, union: GrassrootsUnion, expected_version: int | None
) -> Member:
    """Move a member to another union of the same township (转会). The record, its card number
    and joining date stay; the history shows the old union → the new one with who and when."""
    if union.township_id != member.township_id:
        raise ValidationError({"union": "只能转到本乡镇的基层工会。"})
    if union.pk == member.union_id:
        raise ValidationError({"union": "会员已在该工会，请选择另一个工会。"})
    if union.dissolved_on and union.dissolved_on <= clock.today():
        raise ValidationError({"union": "该工会已撤销，不能转入。"})
    return update_record(
        user=user, record=member, data={"union": union}, expected_version=expected_version
    )
