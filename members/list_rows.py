"""The rows of the member, employer, union, contract, dues and union milestone lists, built in
Python (ListSpec.row_cells): what templates/members/*_list.html rendered per cell, once per page.
Each row is a named tuple of pk and the spec's row_fields (members/queries.py); tests in
tests/test_list_rows.py."""

import html

from django.urls import reverse
from django.utils.translation import gettext as _

from members.models import CollectiveContract, Employer, GrassrootsUnion, Member, UnionMilestone
from unionportal.masking import mask_id_number
from unionportal.rowcells import (
    address,
    day,
    escape,
    label,
    labels,
    literal,
    mark_safe,
    money,
    township_td,
    whole,
)
from unionportal.rowcells import yes_no as yes_no_words


def member_cells(rows: list, show_township: bool) -> list[str]:
    before, after = address("members:member_detail")
    genders = labels(Member._meta.get_field("gender").flatchoices)
    yes, no = yes_no_words()
    active = literal(_("在册"))
    left = literal(_("%(left_on)s离会"))
    # The row's values are plain strings (never lazy), put into an f-string: the standard
    # library's escape is what django.utils.html.escape does for them, without its lazy-text
    # check (a third of a millisecond per page of 50 rows).
    esc = html.escape
    built = []
    for row in rows:
        township = f"<td>{esc(row.township__name)}</td>" if show_township else ""
        employer = esc(row.employer__name) if row.employer__name else "—"
        status = (
            f'<span class="badge text-bg-secondary">{left % {"left_on": day(row.left_on)}}</span>'
            if row.left_on
            else active
        )
        built.append(
            mark_safe(
                f'\n  <td><a href="{before}{row.pk}{after}">{esc(row.name)}</a></td>'
                f"\n  {township}"
                f'\n  <td class="font-monospace small">{esc(mask_id_number(row.id_number))}</td>'
                f"\n  <td>{label(genders, row.gender)}</td>"
                f"\n  <td>{esc(row.union__name)}</td>"
                f"\n  <td>{employer}</td>"
                f'\n  <td class="text-nowrap">{day(row.joined_on)}</td>'
                f"\n  <td>{yes if row.is_migrant else no}</td>"
                f"\n  <td>{status}</td>\n"
            )
        )
    return built


def employer_cells(rows: list, show_township: bool) -> list[str]:
    before, after = address("members:employer_detail")
    union_before, union_after = address("members:union_detail")
    types = labels(Employer._meta.get_field("economic_type").flatchoices)
    yes, no = yes_no_words()
    no_union = literal(_("未建会"))
    built = []
    for row in rows:
        township = township_td(row, show_township, nowrap=False)
        union = (
            f'<a href="{union_before}{row.union}{union_after}">{escape(row.union__name)}</a>'
            if row.union
            else f'<span class="text-body-secondary">{no_union}</span>'
        )
        built.append(
            mark_safe(
                f'\n  <td><a href="{before}{row.pk}{after}">{escape(row.name)}</a></td>'
                f"\n  {township}"
                f'\n  <td class="font-monospace small">{escape(row.credit_code) or "—"}</td>'
                f"\n  <td>{label(types, row.economic_type) or '—'}</td>"
                f'\n  <td class="text-end numeral">{escape(whole(row.employees))}</td>'
                f'\n  <td class="text-end numeral">{escape(whole(row.migrant_employees))}</td>'
                f"\n  <td>{yes if row.should_unionise else no}</td>"
                f"\n  <td>{union}</td>\n"
            )
        )
    return built


def union_cells(rows: list, show_township: bool, member_counts: dict[int, int]) -> list[str]:
    before, after = address("members:union_detail")
    members = escape(reverse("members:member_list"))
    kinds = labels(GrassrootsUnion._meta.get_field("kind").flatchoices)
    stars = labels(GrassrootsUnion._meta.get_field("star").flatchoices)
    existing = literal(_("存续"))
    dissolved = literal(_("%(dissolved_on)s撤销"))
    built = []
    for row in rows:
        township = township_td(row, show_township, nowrap=False)
        status = (
            f'<span class="badge text-bg-secondary">'
            f"{dissolved % {'dissolved_on': day(row.dissolved_on)}}</span>"
            if row.dissolved_on
            else existing
        )
        built.append(
            mark_safe(
                f'\n  <td><a href="{before}{row.pk}{after}">{escape(row.name)}</a></td>'
                f"\n  {township}"
                f"\n  <td>{label(kinds, row.kind)}</td>"
                f'\n  <td class="text-nowrap">{day(row.founded_on)}</td>'
                f"\n  <td>{escape(row.chair_name) or '—'}</td>"
                f"\n  <td>{label(stars, row.star)}</td>"
                f'\n  <td class="text-end numeral"><a href="{members}?union={row.pk}&amp;active=1">'
                f"{escape(whole(member_counts[row.pk]))}</a></td>"
                f"\n  <td>{status}</td>\n"
            )
        )
    return built


def _or_dash(value) -> str:
    """{{ value|default:"—" }}."""
    return escape(value) if value else "—"


def contract_cells(rows: list, show_township: bool) -> list[str]:
    before, after = address("members:contract_detail")
    kinds = labels(CollectiveContract._meta.get_field("kind").flatchoices)
    yes, no = yes_no_words()
    built = []
    for row in rows:
        township = township_td(row, show_township, nowrap=False)
        built.append(
            mark_safe(
                f'\n  <td><a href="{before}{row.pk}{after}">{escape(row.party_name)}</a></td>'
                f"\n  {township}"
                f"\n  <td>{label(kinds, row.kind)}</td>"
                f'\n  <td class="text-nowrap">{day(row.signed_on)}</td>'
                f'\n  <td class="text-nowrap">{day(row.expires_on)}</td>'
                f'\n  <td class="text-end numeral">{escape(whole(row.workers_covered))}</td>'
                f"\n  <td>{yes if row.is_renewal else no}</td>\n"
            )
        )
    return built


def dues_cells(rows: list, show_township: bool) -> list[str]:
    before, after = address("members:dues_detail")
    built = []
    for row in rows:
        township = township_td(row, show_township, nowrap=False)
        built.append(
            mark_safe(
                f'\n  <td><a href="{before}{row.pk}{after}">{escape(row.employer__name)}</a></td>'
                f"\n  {township}"
                f"\n  <td>{escape(row.period)}</td>"
                f'\n  <td class="text-end numeral">{money(row.amount_due)}</td>'
                f'\n  <td class="text-end numeral">{money(row.amount_paid)}</td>'
                f'\n  <td class="text-nowrap">{day(row.paid_on) or "—"}</td>\n'
            )
        )
    return built


def milestone_cells(rows: list, show_township: bool) -> list[str]:
    before, after = address("members:milestone_detail")
    union_before, union_after = address("members:union_detail")
    kinds = labels(UnionMilestone._meta.get_field("kind").flatchoices)
    levels = labels(UnionMilestone._meta.get_field("level").flatchoices)
    migrant = literal(_("（外来职工）"))
    built = []
    for row in rows:
        township = township_td(row, show_township)
        delegates = "—" if row.delegates is None else escape(row.delegates)
        built.append(
            mark_safe(
                f'\n  <td class="text-nowrap"><a href="{before}{row.pk}{after}">'
                f"{day(row.happened_on)}</a></td>"
                f"\n  {township}"
                f'\n  <td><a href="{union_before}{row.union_id}{union_after}">'
                f"{escape(row.union__name)}</a></td>"
                f"\n  <td>{label(kinds, row.kind)}</td>"
                f"\n  <td>{label(levels, row.level) or '—'}</td>"
                f"\n  <td>{_or_dash(row.chair_name)}{migrant if row.chair_is_migrant else ''}</td>"
                f'\n  <td class="text-end numeral">{delegates}</td>'
                f"\n  <td>{_or_dash(row.note)}</td>\n"
            )
        )
    return built
