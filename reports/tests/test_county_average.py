"""全县平均 of a count divides by the townships that have records: a township just added, with no
union, member or employer yet, is left out (and the page says so) instead of lowering every
township's average (docs/summaries.md)."""

import datetime

import pytest
from django.urls import reverse

from reports import dashboards
from reports.dashboards import build_dashboard
from unionportal.models import Township
from unionportal.periods import parse_period
from unionportal.tests.factories import make_member, page_text

JOINED = datetime.date(2026, 2, 1)


@pytest.fixture
def counties(township_a, township_b, county):
    for _ in range(3):
        make_member(township_a, joined_on=JOINED)
    make_member(township_b, joined_on=JOINED)
    return Township.objects.create(code="xinjian", name="新建镇", county=county)


def test_a_township_with_no_records_is_left_out_of_the_average(counties, county):
    townships = list(county.townships.all())
    dashboard = build_dashboard(county, townships, parse_period("2026H1"))

    new_members = dashboards.BY_KEY["new_members"]
    assert [t.name for t in dashboards.townships_in_average(dashboard)] == ["慈东镇", "西山乡"]
    assert dashboards.county_average(dashboard, new_members) == "2.0"  # 4 ÷ 2, not 4 ÷ 3


def test_the_township_page_says_which_townships_the_average_counts(client, counties, staff_a):
    client.force_login(staff_a)

    text = page_text(client.get(reverse("home"), {"period": "2026H1"}))

    assert "数量为全县合计 ÷ 2个乡镇" in text
    assert "另有1个乡镇还没有基层工会、会员或应建会单位的记录，暂不计入平均" in text


def test_once_it_has_a_member_the_new_township_counts(client, counties, staff_a):
    make_member(counties, joined_on=JOINED)
    client.force_login(staff_a)

    text = page_text(client.get(reverse("home"), {"period": "2026H1"}))

    assert "数量为全县合计 ÷ 3个乡镇" in text
    assert "暂不计入平均" not in text
