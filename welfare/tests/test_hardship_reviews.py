"""The review history of hardship files (复核): recorded from the file's page as a timeline, the
file's 复核日期 kept as its latest, and 复核逾期 of any day counted from the history."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from reports import indicators
from reports.indicators import Scope
from unionportal import clock
from unionportal.periods import parse_period
from unionportal.tests.factories import id_number, make_hardship_file
from welfare.models import HardshipFile, HardshipReview

D = datetime.date
TODAY = D(2026, 7, 10)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def review_post(file: HardshipFile, **extra) -> dict:
    return {
        "version": str(file.version),
        "reviewed_on": "2026-03-02",
        "outcome": "continued",
        "note": "家属仍在透析",
        **extra,
    }


def test_recording_a_review_adds_it_to_the_timeline_and_moves_the_review_date(
    client, staff_a, township_a
):
    file = make_hardship_file(township_a, name="周桂英", filed_on=D(2024, 1, 5))
    client.force_login(staff_a)
    detail_url = reverse("welfare:hardship_detail", args=[file.pk])
    before = text_of(client.get(detail_url))

    response = client.post(reverse("welfare:hardship_review", args=[file.pk]), review_post(file))
    after = text_of(client.get(detail_url))

    assert "尚无复核记录" in before and "复核逾期" in before
    assert response.status_code == 302 and response.url == detail_url
    file.refresh_from_db()
    assert (file.reviewed_on, file.version) == (D(2026, 3, 2), 2)
    review = HardshipReview.objects.get()
    assert (review.file, review.outcome, review.recorded_by) == (file, "continued", staff_a)
    assert "2026-03-02 仍符合条件，继续在档" in after and "家属仍在透析" in after
    assert "张录入 登记" in after and "复核逾期" not in after


def test_an_earlier_review_joins_the_history_and_keeps_the_latest_date(client, staff_a, township_a):
    file = make_hardship_file(township_a, filed_on=D(2023, 1, 5), reviewed_on=D(2026, 3, 2))
    client.force_login(staff_a)

    client.post(
        reverse("welfare:hardship_review", args=[file.pk]),
        review_post(file, reviewed_on="2025-02-10", outcome="updated"),
    )
    page = text_of(client.get(reverse("welfare:hardship_detail", args=[file.pk])))

    file.refresh_from_db()
    assert file.reviewed_on == D(2026, 3, 2)
    assert list(file.reviews.values_list("reviewed_on", flat=True)) == [
        D(2026, 3, 2),
        D(2025, 2, 10),
    ]
    assert page.index("2026-03-02") < page.index("2025-02-10 情况有变化，已更新档案")


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2026-03-02", "该档案在这一天已有复核记录。"),
        ("2023-12-31", "复核日期不能早于建档日期。"),
        ("2026-07-11", "复核日期不能晚于今天。"),
        ("2026-13-01", "日期"),
    ],
)
def test_a_wrong_review_is_refused_with_its_reason_and_nothing_is_written(
    client, staff_a, township_a, day, message
):
    file = make_hardship_file(township_a, filed_on=D(2024, 1, 1), reviewed_on=D(2026, 3, 2))
    client.force_login(staff_a)

    response = client.post(
        reverse("welfare:hardship_review", args=[file.pk]), review_post(file, reviewed_on=day)
    )

    assert response.status_code == 200
    assert message in text_of(response)
    assert HardshipReview.objects.count() == 1
    file.refresh_from_db()
    assert (file.reviewed_on, file.version) == (D(2026, 3, 2), 1)


def test_a_review_of_a_file_changed_meanwhile_is_refused(client, staff_a, chair_a, township_a):
    file = make_hardship_file(township_a, filed_on=D(2024, 1, 1))
    client.force_login(chair_a)
    client.post(reverse("welfare:hardship_review", args=[file.pk]), review_post(file))
    client.force_login(staff_a)

    stale = client.post(
        reverse("welfare:hardship_review", args=[file.pk]),
        review_post(file, reviewed_on="2026-04-01"),
    )

    assert stale.status_code == 409 and "李主席" in text_of(stale)
    assert HardshipReview.objects.count() == 1


def test_other_township_gets_404_and_reviewers_may_not_record(
    client, staff_b, reviewer, township_a
):
    file = make_hardship_file(township_a, filed_on=D(2024, 1, 1))
    url = reverse("welfare:hardship_review", args=[file.pk])

    client.force_login(staff_b)
    assert client.get(url).status_code == 404
    assert client.post(url, review_post(file)).status_code == 404
    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    assert client.post(url, review_post(file)).status_code == 403
    assert not HardshipReview.objects.exists()


def test_reviewers_see_the_timeline_without_the_notes(client, staff_a, reviewer, township_a):
    file = make_hardship_file(township_a, name="周桂英", filed_on=D(2024, 1, 1))
    client.force_login(staff_a)
    client.post(reverse("welfare:hardship_review", args=[file.pk]), review_post(file))
    client.force_login(reviewer)

    page = text_of(client.get(reverse("welfare:hardship_detail", args=[file.pk])))

    assert "2026-03-02 仍符合条件，继续在档" in page
    assert "家属仍在透析" not in page and "周桂英" not in page and "登记复核" not in page


def test_overdue_on_a_past_day_counts_the_reviews_made_by_then(client, staff_a, township_a):
    """Filed 2024-01-05, reviewed 2025-03-01 and 2026-03-01. On 2025-12-31 the 2025 review is in
    time, though the latest review (2026) came after that day; on 2025-02-28 the filing is more
    than a year old and no review had been made: overdue."""
    file = make_hardship_file(
        township_a, name="按时复核户", filed_on=D(2024, 1, 5), reviewed_on=D(2026, 3, 1)
    )
    HardshipReview.objects.create(file=file, reviewed_on=D(2025, 3, 1))
    scope = Scope.for_township(township_a)
    client.force_login(staff_a)

    def overdue(period: str) -> int:
        return indicators.welfare(scope, parse_period(period))[township_a.pk].hardship_overdue

    def listed(day: str) -> bool:
        page = client.get(reverse("welfare:hardship_list"), {"overdue_at": day})
        return "按时复核户" in text_of(page)

    assert (overdue("2025H2"), listed("2025-12-31")) == (0, False)
    assert (overdue("2025-02"), listed("2025-02-28")) == (1, True)
    assert (overdue("2026H1"), listed("2026-06-30")) == (0, False)


def test_the_list_flag_and_the_home_task_follow_the_history(client, staff_a, township_a):
    # The file's 复核日期 says 2026-03-01, but no review of the history is within the year.
    stale_mark = make_hardship_file(township_a, name="无复核户", filed_on=D(2024, 1, 5))
    HardshipFile.objects.filter(pk=stale_mark.pk).update(reviewed_on=D(2026, 3, 1))
    make_hardship_file(
        township_a,
        name="已复核户",
        id_number=id_number(birth=D(1981, 1, 1)),
        filed_on=D(2024, 1, 5),
        reviewed_on=D(2026, 3, 1),
    )
    client.force_login(staff_a)

    listing = client.get(reverse("welfare:hardship_list")).content.decode()
    flagged = text_of(client.get(reverse("welfare:hardship_list"), {"overdue": "1"}))
    home = re.sub(r"<[^>]+>", "", client.get(reverse("home")).content.decode())

    assert listing.count("复核逾期</span>") == 1
    assert "无复核户" in flagged and "已复核户" not in flagged
    assert "1 户困难职工档案超过12个月未复核" in home


def test_the_data_migration_makes_each_files_review_date_a_review(township_a):
    reviewed = make_hardship_file(township_a, filed_on=D(2024, 1, 5))
    HardshipFile.objects.filter(pk=reviewed.pk).update(reviewed_on=D(2025, 4, 1))
    make_hardship_file(township_a, id_number=id_number(birth=D(1982, 2, 2)), filed_on=D(2025, 1, 1))
    migration = importlib.import_module("welfare.migrations.0005_hardship_review")

    migration.reviews_from_files(apps, None)

    assert list(HardshipReview.objects.values_list("file_id", "reviewed_on", "note")) == [
        (reviewed.pk, D(2025, 4, 1), "由档案的复核日期转换")
    ]


def test_the_overdue_figure_stays_one_grouped_query_with_reviews(
    township_a, township_b, django_assert_num_queries
):
    for n, township in enumerate((township_a, township_b) * 3):
        file = make_hardship_file(
            township, id_number=id_number(birth=D(1970, 1, 1) + datetime.timedelta(days=n))
        )
        HardshipReview.objects.create(file=file, reviewed_on=D(2026, 1, 10))
    scope = Scope.for_county(township_a.county)

    with django_assert_num_queries(3):
        indicators.welfare(scope, parse_period("2026H1"))


def test_moving_the_filing_after_the_latest_review_is_refused_beside_the_filing_date(
    client, staff_a, township_a
):
    file = make_hardship_file(
        township_a, name="周桂英", filed_on=D(2024, 1, 5), reviewed_on=D(2025, 3, 1)
    )
    client.force_login(staff_a)
    form = {
        "name": "周桂英",
        "id_number": file.id_number,
        "category": "relative",
        "causes": ["illness"],
        "filed_on": "2025-06-01",
        "version": "1",
    }

    response = client.post(reverse("welfare:hardship_update", args=[file.pk]), form)

    assert response.status_code == 200
    assert "复核日期不能早于建档日期" in text_of(response)
    file.refresh_from_db()
    assert (file.filed_on, file.version) == (D(2024, 1, 5), 1)


def test_deleting_a_mistaken_review_moves_the_review_date_back(client, staff_a, township_a):
    file = make_hardship_file(township_a, filed_on=D(2024, 1, 5), reviewed_on=D(2025, 3, 1))
    wrong = HardshipReview.objects.create(file=file, reviewed_on=D(2026, 6, 1))
    HardshipFile.objects.filter(pk=file.pk).update(reviewed_on=D(2026, 6, 1))
    client.force_login(staff_a)
    url = reverse("welfare:hardship_review_delete", args=[file.pk, wrong.pk])

    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)

    assert "已删除2026-06-01的复核。" in text_of(response)
    file.refresh_from_db()
    assert file.reviewed_on == D(2025, 3, 1)
    assert list(file.reviews.values_list("reviewed_on", flat=True)) == [D(2025, 3, 1)]
    assert "删除复核" in text_of(response)  # the file's history names the step
    only = file.reviews.get()
    client.post(reverse("welfare:hardship_review_delete", args=[file.pk, only.pk]))
    file.refresh_from_db()
    assert file.reviewed_on is None and not file.reviews.exists()


def test_a_review_is_deleted_only_through_its_own_file_and_township(
    client, staff_a, staff_b, reviewer, township_a
):
    file = make_hardship_file(township_a, filed_on=D(2024, 1, 5), reviewed_on=D(2025, 3, 1))
    other = make_hardship_file(
        township_a, id_number=id_number(birth=D(1983, 3, 3)), filed_on=D(2024, 1, 5)
    )
    review = file.reviews.get()

    client.force_login(staff_b)
    assert (
        client.post(
            reverse("welfare:hardship_review_delete", args=[file.pk, review.pk])
        ).status_code
        == 404
    )
    client.force_login(reviewer)
    assert (
        client.post(
            reverse("welfare:hardship_review_delete", args=[file.pk, review.pk])
        ).status_code
        == 403
    )
    client.force_login(staff_a)
    assert (
        client.post(
            reverse("welfare:hardship_review_delete", args=[other.pk, review.pk])
        ).status_code
        == 404
    )
    assert HardshipReview.objects.filter(pk=review.pk).exists()
