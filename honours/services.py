"""Writes of honours (荣誉表彰): a person's honour is linked to the township's member with the
same ID number."""

from typing import Any

from django.db import transaction

from honours.models import Honour
from members.models import Member
from unionportal.access import of_township
from unionportal.models import Township, User
from unionportal.pii import id_number_hash
from unionportal.record_services import create_record, update_record


def _link_member(township_id: int, data: dict[str, Any]) -> dict[str, Any]:
    number = data.get("id_number") or ""
    member = (
        of_township(township_id, Member)
        .filter(id_number_hash=id_number_hash(number))
        .only("id", "township_id")
        .first()
        if number
        else None
    )
    return {**data, "member": member}


def create_honour(*, user: User, township: Township, data: dict[str, Any]) -> Honour:
    """Record an honour; a person's ID number links it to the member who holds it."""
    with transaction.atomic():
        return create_record(
            user=user, model=Honour, township=township, data=_link_member(township.pk, data)
        )


def update_honour(
    *, user: User, honour: Honour, data: dict[str, Any], expected_version: int | None
) -> Honour:
    """Correct an honour (optimistic locking); the member link follows the ID number."""
    with transaction.atomic():
        if "id_number" in data:
            data = _link_member(honour.township_id, data)
        return update_record(user=user, record=honour, data=data, expected_version=expected_version)
