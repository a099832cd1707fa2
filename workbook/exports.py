"""Exports of the records workbook: every sheet of the given townships, streamed, with the
personal-information log (audit.exports)."""

from typing import IO, Any

from django.db.models import QuerySet

from audit.exports import export_sheets
from unionportal.models import Township, User
from workbook.book import (
    SHEETS,
)


def township_querysets(townships: QuerySet[Township]) -> dict[str, QuerySet]:
    """Every sheet's records of the given townships (already limited to what a user may see)."""
    return {
        sheet.key: sheet.model._default_manager.filter(township__in=townships) for sheet in SHEETS
    }


def export_workbook(
    out: IO[bytes],
    *,
    querysets: dict[str, QuerySet],
    with_township: bool = False,
    full: bool = False,
    user: User | None = None,
    township: Township | None = None,
    request: Any = None,
    label: str = "",
) -> dict[str, int]:
    """The records workbook of `querysets` (sheet key → queryset, through the access door),
    streamed in the spec's sheet order; personal sheets' exports are logged
    (audit.exports.export_sheets). Returns the rows written per sheet."""
    return export_sheets(
        out,
        sheets=SHEETS,
        querysets=querysets,
        with_township=with_township,
        full=full,
        user=user,
        township=township,
        request=request,
        label=label,
    )
