"""Each list and detail page of the members app runs the same number of SQL queries whatever
the amount of data (and never more than a small bound)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from unionportal.record_services import update_record
from unionportal.tests.factories import (
    make_case,
    make_contract,
    make_dues,
    make_employer,
    make_member,
    make_transfer,
    make_union,
    make_visit,
    page_text,
)

MAX_QUERIES = 14


def _fill(township, n: int) -> dict:
    """n of each related kind around one union, one employer and one member."""
    union = make_union(township)
    employer = make_employer(township, union=union)
    member = make_member(township, union=union, employer=employer)
    for i in range(n):
        other_employer = make_employer(township, union=union)
        make_member(township, union=union, employer=employer)
        make_contract(township, employer=employer, union=union)
        make_dues(township, employer=employer, period=f"{2000 + i}")
        make_dues(township, employer=other_employer, period="2026")
        make_visit(township, member=member)
        make_case(township, employer=employer)
        update_record(
            user=_editor(township),
            record=member,
            data={"education": f"第{i}次"},
            expected_version=member.version,
        )
        member.refresh_from_db()
    return {"union": union, "employer": employer, "member": member}


def _editor(township):
    from unionportal.models import Role, User

    user, _ = User.objects.get_or_create(
        username="editor", defaults={"role": Role.STAFF, "township": township}
    )
    return user


def _urls(made: dict, *, writer: bool) -> list[str]:
    contract = made["employer"].contracts.first()
    dues = made["employer"].dues.first()
    return [
        reverse("members:member_list"),
        reverse("members:member_list") + "?q=会员&migrant=0&active=1&sort=-joined",
        reverse("members:union_list"),
        reverse("members:employer_list"),
        reverse("members:contract_list"),
        reverse("members:dues_list"),
        reverse("members:member_detail", args=[made["member"].pk]),
        reverse("members:union_detail", args=[made["union"].pk]),
        reverse("members:employer_detail", args=[made["employer"].pk]),
        reverse("members:contract_detail", args=[contract.pk]),
        reverse("members:dues_detail", args=[dues.pk]),
    ] + ([reverse("members:member_update", args=[made["member"].pk])] if writer else [])


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_page_queries_do_not_grow_with_the_data(
    client, request, role, township_a, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    writer = role == "staff_a"
    small = _fill(township_a, 2)
    small_counts = [_count(client, url) for url in _urls(small, writer=writer)]

    large = _fill(township_a, 60)
    large_urls = _urls(large, writer=writer)
    large_counts = [_count(client, url) for url in large_urls]

    assert large_counts == small_counts
    for url in large_urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            client.get(url)


def test_other_township_staff_pay_no_queries_for_a_records_relations(
    client, staff_b, township_a, django_assert_max_num_queries
):
    made = _fill(township_a, 3)
    client.force_login(staff_b)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("members:union_detail", args=[made["union"].pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_member_page_queries_only_the_boxes_that_hold_records(
    client, request, role, township_a, township_b
):
    client.force_login(request.getfixturevalue(role))
    union = make_union(township_a)
    employer = make_employer(township_a, union=union)
    member = make_member(township_a, union=union, employer=employer)
    url = reverse("members:member_detail", args=[member.pk])

    empty = _count(client, url)
    # The session, the user, the member, one query saying which boxes hold records, the history
    # (and for a reviewer the county's townships).
    assert empty <= 6
    text = page_text(client.get(url))
    for box in ("跨乡镇转会（0）", "困难职工档案（0）", "荣誉表彰（0）", "慰问记录（0）"):
        assert box in text
    assert f"工作单位（{employer.name}）的信访案件（0）" in text

    make_visit(township_a, member=member)
    make_case(township_a, employer=employer)
    make_transfer(township_a, township_b, member=member)
    filled = _count(client, url)
    text = page_text(client.get(url))

    # One query for each box that holds records, none for the empty ones.
    assert filled == empty + 3
    for box in ("跨乡镇转会（1）", "困难职工档案（0）", "荣誉表彰（0）", "慰问记录（1）"):
        assert box in text
    assert f"工作单位（{employer.name}）的信访案件（1）" in text
    assert "转往" in text


_KEY_CHECK = re.compile(r'^SELECT 1 AS "a" FROM "(\w+)" WHERE "\1"\."id" = \d+ LIMIT 1$')


def _validation_queries(captured: CaptureQueriesContext) -> list[str]:
    """The CheckConstraint checks and foreign-key existence checks among the queries."""
    return [q["sql"] for q in captured if '"_check"' in q["sql"] or _KEY_CHECK.match(q["sql"])]


def test_saves_ask_no_validation_queries(client, staff_a, township_a):
    """A new member, an edited member and a new visit: the form's and the service's full_clean
    answer the CheckConstraints and the chosen records' foreign keys without a query (the
    session, the user, the chosen union/employer, the county-wide and in-township ID checks, the
    row, its history, and the transaction's own statements are left)."""
    from members.models import Member
    from unionportal.tests.factories import member_post
    from welfare.models import WelfareVisit

    union = make_union(township_a)
    employer = make_employer(township_a, union=union)
    client.force_login(staff_a)

    with CaptureQueriesContext(connection) as added:
        response = client.post(
            reverse("members:member_create"),
            member_post(union, employer=employer.pk, mobile="13800138000"),
        )
    member = Member.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:member_detail", args=[member.pk])
    assert _validation_queries(added) == []
    assert len(added) <= 14

    data = {
        "name": "张三丰",
        "id_number": member.id_number,
        "employer": employer.pk,
        "joined_on": "2024-05-01",
        "mobile": "13900139000",
        "model_worker": "none",
        "version": member.version,
    }
    with CaptureQueriesContext(connection) as edited:
        response = client.post(reverse("members:member_update", args=[member.pk]), data)
    member.refresh_from_db()
    assert response.status_code == 302
    assert (member.name, member.mobile, member.version) == ("张三丰", "13900139000", 2)
    assert _validation_queries(edited) == []
    assert len(edited) <= 17

    with CaptureQueriesContext(connection) as visited:
        response = client.post(
            reverse("welfare:visit_create"),
            {
                "visited_on": "2026-03-01",
                "beneficiary_type": "hardship",
                "beneficiary_name": "李四",
                "cash": "500",
                "goods_value": "0",
            },
        )
    assert response.status_code == 302
    assert WelfareVisit.objects.get().beneficiary_name == "李四"
    assert _validation_queries(visited) == []
    assert len(visited) <= 8
