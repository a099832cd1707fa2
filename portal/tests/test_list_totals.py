"""An unfiltered list's total is the townships' kept counts (unionportal/records.py list_page):
always the number of records the user may see, and it follows every write at once."""

import re

import pytest

from disputes.models import Case
from events.models import Event
from members.models import CollectiveContract, DuesRecord, Employer, GrassrootsUnion, Member
from portal.kinds import KINDS_BY_KEY
from unionportal.access import visible
from unionportal.tests.factories import make_records
from welfare.models import WelfareVisit

MODELS = {
    "employers": Employer,
    "unions": GrassrootsUnion,
    "members": Member,
    "contracts": CollectiveContract,
    "dues": DuesRecord,
    "visits": WelfareVisit,
    "cases": Case,
    "events": Event,
}


def shown_total(client, url: str, **params) -> int:
    html = client.get(url, params).content.decode()
    match = re.search(r'(?:共有|符合条件的)\S* <strong class="numeral">([\d,]+)</strong>', html)
    if match is None:
        assert "还没有" in html or "没有符合条件的" in html, url
        return 0
    return int(match.group(1).replace(",", ""))


@pytest.fixture
def filled(township_a, township_b, other_county_township):
    for township, n in ((township_a, 2), (township_b, 3), (other_county_township, 1)):
        make_records(
            township,
            employers=n,
            unions=n,
            members=n,
            contracts=n,
            dues=n,
            visits=n,
            cases=n,
            events=n,
        )


@pytest.mark.parametrize("role", ["staff_a", "reviewer", "administrator"])
def test_every_list_total_is_what_the_user_may_see_and_follows_writes(
    client, request, role, filled, township_a
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for key, model in MODELS.items():
        url = KINDS_BY_KEY[key].list_url
        assert shown_total(client, url) == visible(user, model).count(), key
        assert shown_total(client, url) == visible(user, model).count(), key  # kept
    make_records(township_a, unions=1, members=2, visits=1)
    Case.objects.filter(township=township_a).first().delete()
    for key, model in MODELS.items():
        url = KINDS_BY_KEY[key].list_url
        assert shown_total(client, url) == visible(user, model).count(), key


def test_a_narrowed_list_counts_its_rows(client, staff_a, filled, township_a):
    client.force_login(staff_a)
    url = KINDS_BY_KEY["members"].list_url
    first = Member.objects.filter(township=township_a).order_by("name").first()
    assert (
        shown_total(client, url, q=first.name)
        == Member.objects.filter(township=township_a, name__startswith=first.name).count()
    )
    assert shown_total(client, url, township=str(township_a.pk)) == 2
