"""`prefix` (unionportal/lookups.py) finds exactly what "starts with" finds, from the index."""

import re

import pytest
from django.db import connection

from members.models import Member
from unionportal.tests.factories import make_member, make_union

NAMES = ["王", "王一", "王建国", "王建", "玌", "汪洋", "黄王", "李国强", "Wang", "wang", "Wa"]
NAMES += ["🀄牌", "\ud7ff甲", "\ue000乙"]
PREFIXES = ["王", "王建", "王建国", "玌", "黄", "W", "Wa", "wan", "🀄", "李国强强"]
PREFIXES += ["\U0010ffff", "\ud7ff"]


@pytest.fixture
def named(township_a):
    union = make_union(township_a)
    for name in NAMES:
        make_member(township_a, union=union, name=name)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_prefix_finds_exactly_the_names_that_start_with_it(named, prefix):
    found = set(Member.objects.filter(name__prefix=prefix).values_list("name", flat=True))
    assert found == {name for name in NAMES if name.startswith(prefix)}


def test_a_county_search_reads_the_name_index_on_sqlite(named):
    if connection.vendor != "sqlite":
        pytest.skip("the range form is SQLite's; PostgreSQL has its pattern index")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    query = Member.objects.filter(name__prefix="王").values("id").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "member_name" in plan and "SCAN" not in plan, plan


@pytest.mark.parametrize("sort", ["name", "-name"])
def test_a_searched_list_keeps_its_name_order(client, staff_a, named, sort):
    # On PostgreSQL a searched list sorts by `name || ''` (unionportal/records.py): same order.
    client.force_login(staff_a)
    html = client.get("/records/members/", {"q": "王", "sort": sort}).content.decode()
    shown = [name for name in re.findall(r'/records/members/\d+/">([^<]+)</a>', html)]
    expected = sorted((n for n in NAMES if n.startswith("王")), reverse=sort.startswith("-"))
    assert shown == expected


def test_a_search_ending_in_the_last_character_before_the_surrogates_is_answered(
    client, staff_a, named
):
    # U+D7FF raised by one would be a surrogate, which no database text can hold (a 500).
    client.force_login(staff_a)
    response = client.get("/records/members/", {"q": "\ud7ff"})
    assert response.status_code == 200
    assert "\ud7ff甲" in response.content.decode()
