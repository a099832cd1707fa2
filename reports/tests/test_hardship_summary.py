"""The 帮扶 section states the hardship register and medical mutual aid with 同比 where last
year has records; the county roll-up sums them and names the townships."""

import datetime
from decimal import Decimal

from reports.indicators import Scope
from reports.summary import build_document
from unionportal.periods import parse_period
from unionportal.tests.factories import id_number, make_union, make_visit
from welfare.models import HardshipFile, MutualAidEnrolment

D = datetime.date
ON = D(2026, 7, 10)


def _file(township, **fields) -> HardshipFile:
    fields.setdefault("name", "困难户")
    fields.setdefault("category", "relative")
    fields.setdefault("causes", "illness")
    fields.setdefault("id_number", id_number(birth=D(1970, 3, 3)))
    return HardshipFile.objects.create(township=township, **fields)


def _aid(township, year, workers, enrolled, **extra):
    union = extra.pop("union", None) or make_union(township)
    return MutualAidEnrolment.objects.create(
        township=township, union=union, year=year, workers=workers, enrolled=enrolled, **extra
    )


def _register(a, b):
    """A: at 30 June 2026 three files on file (one new in 2026H1), one out in 2026H1 (filed
    2024); at 30 June 2025 two on file (the 2024 ones), so 3 vs 2. One on-file household visited
    in 2026H1 (1 of 3 = 33.3%); in 2025H1 none visited (0.0%). Mutual aid 2026: 90 of 100;
    2025: 80 of 100. B: one file on file, mutual aid 2026 49 of 50 (98.0%)."""
    first = _file(a, filed_on=D(2024, 3, 1))
    _file(a, filed_on=D(2024, 5, 1), out_on=D(2026, 4, 1), out_reason="employment")
    _file(a, filed_on=D(2025, 9, 1))
    _file(a, filed_on=D(2026, 2, 1))
    make_visit(a, visited_on=D(2026, 1, 25), id_number=first.id_number)
    union = make_union(a)
    _aid(a, 2026, 100, 90, union=union, payouts=3, paid_out=Decimal("9000"))
    _aid(a, 2025, 100, 80, union=union)
    _file(b, filed_on=D(2025, 1, 1))
    _aid(b, 2026, 50, 49)


def test_a_township_summary_states_the_register_and_mutual_aid_with_last_year(
    township_a, township_b
):
    _register(township_a, township_b)
    text = build_document(
        Scope.for_township(township_a), parse_period("2026H1"), on=ON
    ).plain_text()

    assert "在档困难职工3户，比去年同期增加1户" in text
    assert "新建档1户、脱困1户" in text
    assert "已走访在档困难职工1户，困难职工走访覆盖率33.3%，比去年同期提高33.3个百分点" in text
    assert "参加职工医疗互助90人，参加率90%，比去年同期提高10个百分点" in text
    assert "受助3人次" in text


def test_no_comparison_where_last_year_kept_no_register(township_a, township_b):
    _file(township_a, filed_on=D(2026, 2, 1))
    text = build_document(
        Scope.for_township(township_a), parse_period("2026H1"), on=ON
    ).plain_text()

    assert "在档困难职工1户" in text
    assert "在档困难职工1户，比去年同期" not in text


def test_the_county_roll_up_sums_and_names_the_townships(county, township_a, township_b):
    _register(township_a, township_b)
    names = {township_a.pk: township_a.name, township_b.pk: township_b.name}
    text = build_document(
        Scope.for_county(county), parse_period("2026H1"), township_names=names, on=ON
    ).plain_text()

    assert "在档困难职工4户" in text
    assert f"分乡镇看，{township_a.name}3户、{township_b.name}1户。" in text
    assert "参加职工医疗互助139人，参加率92.7%" in text
    assert f"医疗互助参加率较高的是{township_b.name}（98%）、{township_a.name}（90%）" in text
