"""The rows of the visit and mutual aid lists, built in Python (ListSpec.row_cells): what
templates/welfare/visit_list.html and mutualaid_list.html rendered per cell, once per page. Each
row is a named tuple of pk and the spec's row_fields (welfare/views.py, welfare/queries.py);
tests in tests/test_list_rows.py."""

from django.utils.formats import localize

from unionportal.rowcells import (
    address,
    day,
    escape,
    label,
    labels,
    mark_safe,
    member_badge,
    money,
    township_td,
)
from welfare.models import MutualAidEnrolment, WelfareVisit


def visit_cells(rows: list, show_township: bool) -> list[str]:
    before, after = address("welfare:visit_detail")
    types = labels(WelfareVisit._meta.get_field("beneficiary_type").flatchoices)
    funds = labels(WelfareVisit._meta.get_field("fund_source").flatchoices)
    member = member_badge()
    built = []
    for row in rows:
        township = township_td(row, show_township)
        built.append(
            mark_safe(
                f'\n  <td class="text-nowrap">{day(row.visited_on)}</td>'
                f"\n  {township}"
                f'\n  <td><a href="{before}{row.pk}{after}">{escape(row.beneficiary_name)}</a>'
                f"{member if row.member else ''}</td>"
                f"\n  <td>{label(types, row.beneficiary_type)}</td>"
                f'\n  <td class="text-end numeral">{money(row.cash)}</td>'
                f'\n  <td class="text-end numeral">{money(row.goods_value)}</td>'
                f"\n  <td>{escape(row.campaign)}</td>"
                f"\n  <td>{label(funds, row.fund_source) or '—'}</td>\n"
            )
        )
    return built


def mutual_aid_cells(rows: list, show_township: bool) -> list[str]:
    before, after = address("welfare:mutualaid_detail")
    rate = MutualAidEnrolment.rate.fget  # reads .workers and .enrolled: the row has them
    built = []
    for row in rows:
        township = township_td(row, show_township)
        percent = rate(row)
        shown = "—" if percent is None else f"{escape(localize(percent))}%"
        built.append(
            mark_safe(
                f'\n  <td><a href="{before}{row.pk}{after}">{escape(localize(row.year))}</a></td>'
                f"\n  {township}"
                f"\n  <td>{escape(row.union__name)}</td>"
                f'\n  <td class="text-end numeral">{escape(localize(row.workers))}</td>'
                f'\n  <td class="text-end numeral">{escape(localize(row.enrolled))}</td>'
                f'\n  <td class="text-end numeral">{shown}</td>'
                f'\n  <td class="text-end numeral">{escape(localize(row.payouts))}</td>'
                f'\n  <td class="text-end numeral">{money(row.paid_out)}</td>\n'
            )
        )
    return built
