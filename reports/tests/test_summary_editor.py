"""The summary page as a chair works on it (issue 14.4, 14.5, 14.6, 14.9): drafted 不足 and 打算
from the records, the parts with and without records, confirmation before finalising an empty
summary, autosave, no duplicate final versions, and the county's own narrative."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from members.models import CollectiveContract
from reports.drafts import draft_lines
from reports.indicators import Scope, with_last_year
from reports.models import AnnualTarget, FinalSummary, SummaryNarrative
from unionportal.models import Township
from unionportal.periods import parse_period

D = datetime.date
H1 = parse_period("2026H1")
PAGE = reverse("reports:summary")
AUTOSAVE = reverse("reports:summary_autosave")
FINALISE = reverse("reports:summary_finalise")
COUNTY_PAGE = reverse("reports:county_summary")


TODAY = D(2026, 7, 10)


def drafts_for(township, today=TODAY):
    scope = Scope.for_township(township)
    this, last = with_last_year(scope, H1)
    return draft_lines(scope, H1, this.total(), last.total(), today=today)


# --- 4. drafted 不足 and 打算 -------------------------------------------------------------------


def test_drafts_name_indicators_below_the_years_target_with_the_target(data):
    a, _ = data
    AnnualTarget.objects.create(township=a, year=2026, indicator="membership_rate", value=50)
    AnnualTarget.objects.create(township=a, year=2026, indicator="new_members", value=10)
    AnnualTarget.objects.create(township=a, year=2026, indicator="collection_rate", value=60)
    drafts = drafts_for(a)
    assert "入会率3.6%，低于年度目标50%。" in drafts.shortcomings
    assert "新发展会员2人，低于按期间折算的目标5人（全年目标10人）。" in drafts.shortcomings
    assert not any("经费收缴率" in line for line in drafts.shortcomings)  # 62.5% ≥ 60%
    assert "围绕年度目标，推动入会率达到50%。" in drafts.plans


def test_drafts_name_rates_that_fell_on_last_year(data):
    a, _ = data
    drafts = drafts_for(a)
    assert "建会率25%，比去年同期（50%）下降25个百分点。" in drafts.shortcomings


def test_drafts_name_cases_open_past_thirty_days_and_contracts_expiring(data):
    a, _ = data
    CollectiveContract.objects.create(
        township=a,
        party_name="E9",
        kind="general",
        signed_on=D(2023, 10, 1),
        expires_on=D(2026, 10, 1),
        workers_covered=20,
    )
    drafts = drafts_for(a)
    assert (
        "截至2026年7月10日，尚有1件信访和劳动争议受理已超过30天仍未办结（最早的于2026年3月1日受理）。"
        in drafts.shortcomings
    )
    assert "1份集体合同将于2026年10月1日前陆续到期（E9），尚未续签。" in drafts.shortcomings
    assert "提前做好E9的1份集体合同的到期续签工作。".replace("的1份", "1份") in drafts.plans


def test_nothing_is_drafted_where_the_records_give_no_cause(township_b, data):
    _, b = data
    drafts = drafts_for(b)
    assert drafts.shortcomings == () and drafts.plans == ()


def test_the_page_offers_the_drafted_lines_to_add(client, data, chair_a):
    client.force_login(chair_a)
    html = client.get(PAGE, {"period": "2026H1"}).content.decode()
    assert "根据记录拟写的不足和打算" in html
    assert (
        'data-target="id_shortcomings" data-line="建会率25%，比去年同期（50%）下降25个百分点。"'
        in html
    )
    assert '<script src="/static/reports/summary_editor.js"></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)


# --- 5. what is missing, and an empty summary ---------------------------------------------------


def test_the_page_lists_parts_with_and_without_records(client, data, reviewer):
    _, b = data
    client.force_login(reviewer)
    html = client.get(PAGE, {"period": "2026H1", "township": b.pk}).content.decode()
    parts = re.findall(
        r"<span(?: lang=\"zh-Hans\")?>(.+?)</span>\s*<span class=\"[^\"]+\">(.+?)</span>", html
    )
    assert ("组织建设", "有记录，已写入总结") in parts
    assert ("信访维权", "本期无记录，总结中不写此项") in parts
    assert ("经费收缴", "本期无记录，总结中不写此项") in parts


def test_finalising_a_summary_of_no_records_asks_first(client, county, administrator):
    empty = Township.objects.create(code="empty", name="空白镇", county=county)
    client.force_login(administrator)
    page = client.get(PAGE, {"period": "2026H1", "township": empty.pk}).content.decode()
    assert 'name="confirm_empty"' in page
    response = client.post(FINALISE, {"period": "2026H1", "township": empty.pk}, follow=True)
    assert "没有任何记录" in response.content.decode()
    assert not FinalSummary.objects.exists()
    client.post(FINALISE, {"period": "2026H1", "township": empty.pk, "confirm_empty": "1"})
    assert FinalSummary.objects.count() == 1


# --- 9. no lost work ----------------------------------------------------------------------------


def test_drafts_are_saved_as_the_chair_types(client, data, chair_a):
    a, _ = data
    client.force_login(chair_a)
    response = client.post(
        AUTOSAVE, {"period": "2026H1", "township": a.pk, "practices": "坚持党建带工建。"}
    )
    assert response.status_code == 200
    assert re.fullmatch(r"\d\d:\d\d", response.json()["saved"])
    row = SummaryNarrative.objects.get(township=a, period="2026H1")
    assert row.practices == "坚持党建带工建。"


def test_autosave_is_refused_to_readers_and_other_townships(client, data, reviewer, staff_b):
    a, _ = data
    client.force_login(reviewer)
    assert client.post(AUTOSAVE, {"period": "2026H1", "township": a.pk}).status_code == 403
    client.force_login(staff_b)
    assert client.post(AUTOSAVE, {"period": "2026H1", "township": a.pk}).status_code == 404
    assert not SummaryNarrative.objects.exists()


def test_finalising_an_unchanged_summary_makes_no_new_version(client, data, chair_a):
    a, _ = data
    client.force_login(chair_a)
    client.post(FINALISE, {"period": "2026H1"})
    again = client.post(FINALISE, {"period": "2026H1"}, follow=True)
    assert "内容与已定稿的第1版相同，没有生成新版本" in again.content.decode()
    assert FinalSummary.objects.filter(township=a).count() == 1
    client.post(AUTOSAVE, {"period": "2026H1", "township": a.pk, "plans": "继续推进入会。"})
    client.post(FINALISE, {"period": "2026H1"})
    assert list(FinalSummary.objects.values_list("version", flat=True).order_by("version")) == [
        1,
        2,
    ]


# --- 6. the county's own parts -----------------------------------------------------------------


def test_reviewers_write_their_countys_own_parts(client, data, county, reviewer):
    client.force_login(reviewer)
    response = client.post(
        f"{COUNTY_PAGE}?county={county.pk}",
        {"period": "2026H1", "shortcomings": "全县农民工入会工作仍不平衡。"},
    )
    assert response.status_code == 302
    page = client.get(COUNTY_PAGE, {"period": "2026H1"}).content.decode()
    assert "全县农民工入会工作仍不平衡。" in page
    assert SummaryNarrative.objects.get(county=county, period="2026H1").updated_by == reviewer


def test_other_county_reviewers_and_township_staff_cannot_write_it(
    client, data, county, other_reviewer, chair_a
):
    client.force_login(chair_a)
    response = client.post(f"{COUNTY_PAGE}?county={county.pk}", {"period": "2026H1", "plans": "x"})
    assert response.status_code == 403
    # a reviewer of another county writes their own county's, whatever the address says
    client.force_login(other_reviewer)
    client.post(f"{COUNTY_PAGE}?county={county.pk}", {"period": "2026H1", "plans": "y"})
    assert not SummaryNarrative.objects.filter(county=county).exists()
    assert SummaryNarrative.objects.get(county=other_reviewer.county).plans == "y"


def test_amount_targets_are_stated_in_yuan(data):
    a, _ = data
    AnnualTarget.objects.create(
        township=a, year=2026, indicator="welfare_amount", value=Decimal("20000")
    )
    drafts = drafts_for(a)
    assert "慰问金额3200元，低于按期间折算的目标1万元（全年目标2万元）。" in drafts.shortcomings


def test_overdue_hardship_reviews_are_drafted_once_the_register_has_them():
    from reports.drafts import overdue_reviews
    from reports.indicators import Activities, Dues, Figures, Organisation, Rights, Welfare

    figures = Figures(Organisation(), Rights(), Welfare(hardship_overdue=2), Activities(), Dues())
    assert overdue_reviews(figures, "2026年6月30日") == [
        (
            "截至2026年6月30日，在档困难职工中有2户超过12个月未复核。",
            "完成2户困难职工的逾期复核，做到应进则进、应退则退。",
        )
    ]
    assert (
        overdue_reviews(Figures(Organisation(), Rights(), Welfare(), Activities(), Dues()), "")
        == []
    )


def test_drafts_are_the_summarys_chinese_words_on_a_page_in_english(data):
    a, _ = data
    AnnualTarget.objects.create(township=a, year=2026, indicator="membership_rate", value=50)
    AnnualTarget.objects.create(township=a, year=2026, indicator="new_members", value=100)
    chinese = drafts_for(a)
    with translation.override("en"):
        english_page = drafts_for(a)

    assert english_page == chinese
    assert any(line.startswith("入会率") for line in english_page.shortcomings)
    assert any("新发展会员" in line and "人" in line for line in english_page.plans)
