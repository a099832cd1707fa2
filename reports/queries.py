"""Reads of the reports app used outside the indicators."""

from collections.abc import Iterable

from events.models import Event
from members.models import CollectiveContract, Employer, GrassrootsUnion
from unionportal.models import County, Township


def record_names(*, townships: Iterable[Township], county: County | None = None) -> set[str]:
    """The names the records of these townships hold: the townships and their county, employers,
    unions and their chairs, contract parties, event organisers and media outlets.

    The Traditional summary converts these character by character, never by OpenCC's phrase
    rules (reports.convert): a phrase rule would turn the company 宁波家具厂 into 寧波傢俱廠.
    Distinct values only, one query per kind."""
    townships = list(townships)
    names = {t.name for t in townships}
    names |= {t.county.name for t in townships}
    if county is not None:
        names.add(county.name)
    within = {"township__in": townships}
    names.update(Employer.objects.filter(**within).values_list("name", flat=True).distinct())
    for field in ("name", "chair_name"):
        names.update(
            GrassrootsUnion.objects.filter(**within).values_list(field, flat=True).distinct()
        )
    names.update(
        CollectiveContract.objects.filter(**within).values_list("party_name", flat=True).distinct()
    )
    for field in ("organiser", "media"):
        names.update(Event.objects.filter(**within).values_list(field, flat=True).distinct())
    names.discard("")
    return names
