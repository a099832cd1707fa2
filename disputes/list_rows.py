"""The rows of the case list, built in Python (ListSpec.row_cells): what templates/disputes/
case_list.html with its _status_badge.html include rendered per cell, once per page. Each row is a
named tuple of pk and CASE_LIST's row_fields (disputes/views.py); tests in
tests/test_list_rows.py."""

from django.utils.translation import gettext as _

from disputes.models import Case
from disputes.queries import OVERDUE_DAYS
from unionportal.fields import money_text
from unionportal.rowcells import (
    address,
    day,
    escape,
    label,
    labels,
    literal,
    mark_safe,
    township_td,
)

_BADGE = {"open": "text-bg-primary", "resolved": "text-bg-success"}


def case_cells(rows: list, show_township: bool) -> list[str]:
    before, after = address("disputes:case_detail")
    categories = labels(Case._meta.get_field("category").flatchoices)
    statuses = labels(Case._meta.get_field("status").flatchoices)
    overdue = (
        '<span class="badge text-bg-danger"><i class="bi bi-exclamation-triangle me-1"'
        ' aria-hidden="true"></i>'
        f"{literal(_('超过%(overdue_days)s天未办结')) % {'overdue_days': OVERDUE_DAYS}}</span>"
    )
    built = []
    for row in rows:
        township = township_td(row, show_township)
        status = (
            f'<span class="badge {_BADGE.get(row.status, "text-bg-secondary")}">'
            f"{label(statuses, row.status)}</span>"
        )
        recovered = (
            escape(money_text(row.amount_recovered)) if row.amount_recovered is not None else "—"
        )
        built.append(
            mark_safe(
                f'\n  <td class="text-nowrap"><a href="{before}{row.pk}{after}">'
                f"{escape(row.number)}</a></td>"
                f'\n  <td class="text-nowrap">{day(row.received_on)}</td>'
                f"\n  {township}"
                f"\n  <td>{escape(row.petitioner)}</td>"
                f"\n  <td>{label(categories, row.category)}</td>"
                f"\n  <td>{escape(row.employer__name) if row.employer__name else '—'}</td>"
                f'\n  <td class="text-nowrap">\n    \n\n{status}\n'
                f"{overdue if row.is_overdue else ''}\n\n  </td>"
                f'\n  <td class="text-nowrap">{day(row.closed_on) or "—"}</td>'
                f'\n  <td class="text-end numeral">{recovered}</td>\n'
            )
        )
    return built
