"""The rows of the honour list, built in Python (ListSpec.row_cells): what templates/honours/
honour_list.html rendered per cell, once per page. Each row is a named tuple of pk and
HONOUR_LIST's row_fields (honours/views.py); tests in tests/test_list_rows.py."""

from honours.models import Honour
from unionportal.rowcells import (
    address,
    day,
    escape,
    label,
    labels,
    mark_safe,
    member_badge,
    township_td,
)


def honour_cells(rows: list, show_township: bool) -> list[str]:
    before, after = address("honours:honour_detail")
    types = labels(Honour._meta.get_field("recipient_type").flatchoices)
    levels = labels(Honour._meta.get_field("level").flatchoices)
    member = member_badge()
    built = []
    for row in rows:
        township = township_td(row, show_township)
        built.append(
            mark_safe(
                f'\n  <td class="text-nowrap">{day(row.granted_on)}</td>'
                f"\n  {township}"
                f'\n  <td><a href="{before}{row.pk}{after}">{escape(row.recipient)}</a>'
                f"{member if row.member_id else ''}</td>"
                f"\n  <td>{label(types, row.recipient_type)}</td>"
                f"\n  <td>{escape(row.title)}</td>"
                f"\n  <td>{label(levels, row.level)}</td>"
                f"\n  <td>{escape(row.granted_by) if row.granted_by else '—'}</td>\n"
            )
        )
    return built
