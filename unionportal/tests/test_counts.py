"""A list's total (unionportal/counts.py) is kept under the token of the counted table: a write to
another kind of record leaves it kept, a write to the kind counts again, and the total is never
older than the records."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member
from unionportal.counts import visible_total
from unionportal.tests.factories import make_member, make_visit


def counting(fn):
    with CaptureQueriesContext(connection) as ctx:
        total = fn()
    counted = [q["sql"] for q in ctx.captured_queries if "COUNT" in q["sql"].upper()]
    return total, counted


def test_a_total_is_kept_across_writes_to_other_kinds_and_counted_again_after_its_own(
    data, staff_a
):
    a, _b = data

    def total():
        return visible_total(staff_a, Member, [a.pk])

    first, counted = counting(total)
    assert first == Member.objects.filter(township=a).count() and counted
    make_visit(a)
    again, counted = counting(total)
    assert (again, counted) == (first, [])  # a welfare visit: the member count is kept
    make_member(a)
    after, counted = counting(total)
    assert after == first + 1 and counted


def test_another_townships_member_leaves_the_total_kept(data, staff_a):
    a, b = data
    first, _ = counting(lambda: visible_total(staff_a, Member, [a.pk]))
    make_member(b)
    again, counted = counting(lambda: visible_total(staff_a, Member, [a.pk]))
    assert (again, counted) == (first, [])
