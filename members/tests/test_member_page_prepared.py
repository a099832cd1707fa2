"""The member's page's row and history rows are built and compiled once per process and shape of
the access door (unionportal.prepared): a second member, in another township, builds no query,
finds the same row and history as the query built afresh, and a user still sees only what the
door lets them see."""

import pytest
from django.urls import reverse

from members import views
from members.models import Member
from unionportal import prepared as shapes_of
from unionportal.access import door, visible
from unionportal.records import related_preview
from unionportal.tests.factories import D, make_case, make_employer, make_member

# Each test starts and ends with no query kept by shape (conftest.py).
pytestmark = pytest.mark.usefixtures("nothing_prepared")


@pytest.fixture
def builds(monkeypatch) -> list:
    """The queries built and compiled by prepared() from here on."""
    built: list = []
    real = shapes_of._compiled
    monkeypatch.setattr(
        shapes_of, "_compiled", lambda build, values: built.append(build) or real(build, values)
    )
    return built


def page(client, user, member: Member) -> int:
    client.force_login(user)
    return client.get(reverse("members:member_detail", args=[member.pk])).status_code


def afresh(user, member: Member) -> list:
    """The member's row, history rows and employer's cases (total and rows) as the queries built
    from scratch through the door find them."""
    rows = list(views._member_row(member.pk, **door(user)))
    cases = visible(user, views.CASE).filter(employer_id=member.employer_id)
    total, shown = related_preview(cases.order_by("-received_on"))
    return [
        [vars_of(r) for r in rows],
        [vars_of(h) for h in views._member_history(member.pk)],
        (total, [c.pk for c in shown]) if member.employer_id else None,
    ]


def kept(user, member: Member) -> list:
    row = views._visible_member_or_404(user, member.pk)
    history = views.prepared("member_history", views._member_history, pk=member.pk)
    if member.employer_id is None:  # no box of the employer's cases
        return [[vars_of(row)], [vars_of(h) for h in history], None]
    scope = door(user)
    cases = list(
        views.prepared(
            "member_page_cases", views._cases_preview, employer_id=member.employer_id, **scope
        )
    )
    return [
        [vars_of(row)],
        [vars_of(h) for h in history],
        (cases[0]._related_total if cases else 0, [c.pk for c in cases]),
    ]


def with_cases(township, n: int) -> Member:
    employer = make_employer(township)
    for i in range(n):
        make_case(township, employer=employer, received_on=D(2026, 1, 1 + i))
    return make_member(township, employer=employer)


def vars_of(obj) -> dict:
    """The instance's fields and those of the rows selected with it."""
    cached = {k: vars_of(v) for k, v in obj._state.fields_cache.items() if v is not None}
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")} | cached


def test_a_reviewers_second_member_in_another_township_builds_no_query(
    client, reviewer, township_a, township_b, builds
):
    a = with_cases(township_a, 2)
    b = with_cases(township_b, 12)
    assert page(client, reviewer, a) == 200
    assert len(builds) > 0
    shapes = len(shapes_of._BUILT)
    builds.clear()
    assert page(client, reviewer, b) == 200
    assert builds == []
    assert len(shapes_of._BUILT) == shapes
    assert shapes_of.UNSHAPED == set()
    for member, total in ((a, 2), (b, 12)):
        assert kept(reviewer, member) == afresh(reviewer, member)
        assert kept(reviewer, member)[2][0] == total


def test_staff_see_their_own_townships_member_from_anothers_shape_and_no_other(
    client, staff_a, staff_b, township_a, township_b, builds
):
    a = with_cases(township_a, 1)
    b = with_cases(township_b, 3)
    assert page(client, staff_b, b) == 200  # the staff shapes, built with township b
    builds.clear()
    assert page(client, staff_a, b) == 404
    assert page(client, staff_a, a) == 200
    assert page(client, staff_b, a) == 404
    assert builds == []
    assert shapes_of.UNSHAPED == set()
    assert kept(staff_a, a) == afresh(staff_a, a)
    assert kept(staff_b, b) == afresh(staff_b, b)


def test_a_reviewer_of_another_county_is_refused_after_the_shape_was_kept(
    client, reviewer, other_reviewer, administrator, township_a, other_county_township
):
    here = make_member(township_a)
    there = make_member(other_county_township)
    assert page(client, reviewer, here) == 200
    assert page(client, other_reviewer, there) == 200  # one township: another shape
    assert page(client, reviewer, there) == 404
    assert page(client, other_reviewer, here) == 404
    assert page(client, administrator, here) == page(client, administrator, there) == 200
    assert kept(administrator, there) == afresh(administrator, there)
    assert shapes_of.UNSHAPED == set()


def test_an_edit_shows_in_the_history_of_a_kept_query(client, staff_a, township_a):
    a = make_member(township_a)
    assert page(client, staff_a, a) == 200
    before = len(kept(staff_a, a)[1])
    a.name = "改名后"
    a.save()
    after = kept(staff_a, a)
    assert len(after[1]) == before + 1
    assert after[0][0]["name"] == after[1][0]["name"] == "改名后"
    assert after == afresh(staff_a, a)
