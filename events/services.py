"""Writes of events (活动): the record with its participating units linked. Attachments are added
and removed by unionportal/attachments.py."""

from typing import Any

from events.models import Event
from members.models import Employer, GrassrootsUnion
from unionportal import attachments
from unionportal.models import Township, User
from unionportal.record_services import create_record, update_record


def matching_units(
    *, township: Township, text: str
) -> tuple[list[GrassrootsUnion], list[Employer]]:
    """The township's unions and employers whose names appear in the 参与单位 text (two queries)."""
    names = Event(participating_units=text or "").unit_names
    if not names:
        return [], []
    unions = list(GrassrootsUnion.objects.filter(township=township, name__in=names))
    employers = list(Employer.objects.filter(township=township, name__in=names))
    return unions, employers


def _linked(*, township: Township, data: dict[str, Any]) -> dict[str, Any]:
    """Keep 参与单位 as written and link the unions and employers it names (spec/workbook.md)."""
    unions, employers = matching_units(township=township, text=data.get("participating_units", ""))
    return {**data, "unions": unions, "employers": employers}


def create_event(*, user: User, township: Township, data: dict[str, Any]) -> Event:
    """Record an event; the units named in 参与单位 are linked where a name matches."""
    return create_record(
        user=user, model=Event, township=township, data=_linked(township=township, data=data)
    )


def update_event(
    *, user: User, record: Event, data: dict[str, Any], expected_version: int | None
) -> Event:
    """Change an event (optimistic locking as update_record) and re-link its units."""
    return update_record(
        user=user,
        record=record,
        data=_linked(township=record.township, data=data),
        expected_version=expected_version,
    )


def delete_event(*, user: User, event: Event) -> None:
    """Delete the event with its attachments in one transaction; their files go once it commits."""
    attachments.delete_with_attachments(user=user, record=event)
