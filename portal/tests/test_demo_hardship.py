"""The demo's hardship register and medical mutual aid read as a county reader expects."""

import pytest
from django.db.models import F

from portal.demo.scales import SMALL
from portal.demo.seed import seed_demo
from reports import indicators
from reports.indicators import Scope
from unionportal.models import County, Township
from unionportal.periods import parse_period
from welfare.models import (
    ExitReason,
    HardshipCategory,
    HardshipFile,
    HardshipReview,
    MutualAidEnrolment,
)

pytestmark = pytest.mark.django_db


def test_demo_register_and_mutual_aid_are_plausible():
    result = seed_demo(scale=SMALL, seed=1)

    assert result.counts["hardship"] == HardshipFile.objects.count()
    assert result.counts["mutual_aid"] == MutualAidEnrolment.objects.count()
    for township in Township.objects.all():
        files = HardshipFile.objects.filter(township=township)
        assert 5 <= files.count() <= 20, township
        assert MutualAidEnrolment.objects.filter(township=township).exists(), township
    assert set(HardshipFile.objects.values_list("category", flat=True)) == set(
        HardshipCategory.values
    )
    out = HardshipFile.objects.filter(out_on__isnull=False)
    assert out.exists() and not out.filter(out_reason="").exists()
    assert set(out.values_list("out_reason", flat=True)) <= set(ExitReason.values)
    # Most files belong to members, and most of those households are the visits' households.
    assert HardshipFile.objects.filter(member__isnull=False).count() > result.counts["hardship"] / 2
    figures = indicators.welfare(Scope.for_county(County.objects.get()), parse_period("2026H1"))[
        indicators.TOTAL
    ]
    assert 40 <= figures.hardship_coverage.value <= 95
    assert figures.hardship_overdue <= figures.hardship_on_file / 4
    # Every file's 复核日期 is the latest review of its history, and an earlier half-year reads
    # about as well as the present one (reviews every season, not only the last).
    reviewed = HardshipFile.objects.filter(reviewed_on__isnull=False)
    assert reviewed.count() == reviewed.filter(reviews__reviewed_on=F("reviewed_on")).count()
    assert not HardshipReview.objects.filter(reviewed_on__gt=F("file__reviewed_on")).exists()
    earlier = indicators.welfare(Scope.for_county(County.objects.get()), parse_period("2025H1"))[
        indicators.TOTAL
    ]
    assert earlier.hardship_overdue <= earlier.hardship_on_file / 4
    assert 80 <= figures.aid_rate.value <= 98
    rows = MutualAidEnrolment.objects.all()
    assert not rows.filter(enrolled__gt=F("workers")).exists()
    assert all(0.8 <= r.enrolled / r.workers <= 0.98 for r in rows)
