import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from unionportal.tests.factories import id_number, make_member
from welfare import services
from welfare.models import BeneficiaryType, FundSource, WelfareVisit


def record(user, township, households):
    return services.record_campaign(
        user=user,
        township=township,
        campaign="2026年春节送温暖",
        visited_on=datetime.date(2026, 1, 25),
        beneficiary_type=BeneficiaryType.EXTREME_HARDSHIP,
        fund_source=FundSource.HIGHER,
        households=households,
    )


def test_campaign_links_members_of_the_township_only(staff_a, township_a, township_b):
    mine = make_member(township_a)
    theirs = make_member(township_b)

    visits = record(
        staff_a,
        township_a,
        [
            services.Household(name="甲", id_number=mine.id_number.lower(), cash=Decimal("500")),
            services.Household(name="乙", id_number=theirs.id_number, cash=Decimal("500")),
        ],
    )

    assert [v.member for v in visits] == [mine, None]
    assert WelfareVisit.objects.filter(township=township_a).count() == 2


def test_campaign_rows_refused_by_the_model_are_named_and_nothing_is_saved(staff_a, township_a):
    good = id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")

    with pytest.raises(services.CampaignRowErrors) as refused:
        record(
            staff_a,
            township_a,
            [
                services.Household(name="甲", cash=Decimal("500")),
                services.Household(name="乙", id_number=bad),
                services.Household(name="丙", cash=Decimal("-1")),
            ],
        )

    assert set(refused.value.rows) == {1, 2}
    assert "身份证号校验位不正确" in refused.value.rows[1]["id_number"][0]
    assert not WelfareVisit.objects.exists()


def test_campaign_history_names_the_user(staff_a, township_a):
    (visit,) = record(staff_a, township_a, [services.Household(name="甲")])

    assert visit.history.get().history_user == staff_a
    assert (visit.created_by, visit.updated_by) == (staff_a, staff_a)


@pytest.mark.parametrize("who", ["reviewer", "staff_b"])
def test_campaign_is_refused_to_users_who_may_not_write_the_township(request, township_a, who):
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(who), township_a, [services.Household(name="甲")])
    assert not WelfareVisit.objects.exists()
