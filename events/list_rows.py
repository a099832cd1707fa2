"""The rows of the event list, built in Python (ListSpec.row_cells): what templates/events/
event_list.html rendered per cell, once per page. Each row is a named tuple of pk and
EVENT_LIST's row_fields (events/views.py); tests in tests/test_list_rows.py."""

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from events.models import Event
from unionportal.rowcells import address, day, escape, label, labels, mark_safe, township_td


def event_cells(rows: list, show_township: bool) -> list[str]:
    before, after = address("events:event_detail")
    categories = labels(Event._meta.get_field("category").flatchoices)
    until = _("至 %(ends_on)s")
    built = []
    for row in rows:
        township = township_td(row, show_township)
        ends = ""
        if row.ends_on and row.ends_on != row.starts_on:
            ends = " " + until % {"ends_on": f"{row.ends_on.month:02d}-{row.ends_on.day:02d}"}
        units = Truncator(str(row.participating_units)).chars(40)
        participants = "—" if row.participants is None else escape(row.participants)
        built.append(
            mark_safe(
                f'\n  <td class="text-nowrap">{day(row.starts_on)}{ends}</td>'
                f"\n  {township}"
                f'\n  <td><a href="{before}{row.pk}{after}">{escape(row.title)}</a></td>'
                f"\n  <td>{label(categories, row.category)}</td>"
                f"\n  <td>{escape(row.organiser) if row.organiser else '—'}</td>"
                f'\n  <td class="text-end numeral">{participants}</td>'
                f'\n  <td class="small">{escape(units) if units else "—"}</td>\n'
            )
        )
    return built
