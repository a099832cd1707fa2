"""The 困难职工 and 医疗互助 sheets (spec/workbook.md, second round): round trip, keys, refiling
after 脱困, every bad value a row/column message, all or nothing."""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from members.models import GrassrootsUnion
from unionportal.models import Township
from unionportal.tests.factories import id_number, make_member, make_union
from welfare.models import HardshipFile, HardshipReview, MutualAidEnrolment
from workbook.book import write_template
from workbook.exports import export_workbook
from workbook.services import import_workbook

D = datetime.date
HARDSHIP_HEADERS = ["姓名", "身份证号", "所属工会", "困难类别", "致困原因", "建档日期"]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_bytes(township: Township) -> bytes:
    out = io.BytesIO()
    selected = Township.objects.filter(pk=township.pk)
    export_workbook(
        out,
        querysets={
            "unions": GrassrootsUnion.objects.filter(township__in=selected),
            "hardship": HardshipFile.objects.filter(township__in=selected),
            "mutual_aid": MutualAidEnrolment.objects.filter(township__in=selected),
        },
        full=True,
    )
    return out.getvalue()


def fill(township: Township) -> None:
    union = make_union(township, name="恒达机械工会")
    member = make_member(township, union=union)
    HardshipFile.objects.create(
        township=township,
        name=member.name,
        id_number=member.id_number,
        member=member,
        union=union,
        category="deep",
        causes="family_illness,schooling",
        household_size=4,
        income_per_head=Decimal("860.50"),
        filed_on=D(2025, 3, 12),
        reviewed_on=D(2026, 3, 10),
        reported_on=D(2025, 4, 1),
        note="配偶尿毒症透析",
    )
    other = id_number(birth=D(1972, 2, 2))
    HardshipFile.objects.create(
        township=township,
        name="李四",
        id_number=other,
        category="relative",
        causes="unemployed",
        filed_on=D(2020, 1, 5),
        out_on=D(2022, 6, 1),
        out_reason="employment",
    )
    HardshipFile.objects.create(
        township=township,
        name="李四",
        id_number=other,
        category="accident",
        causes="disaster,other",
        filed_on=D(2025, 8, 1),
    )
    MutualAidEnrolment.objects.create(
        township=township,
        union=union,
        year=2026,
        workers=320,
        enrolled=305,
        premiums=Decimal("30500"),
        payouts=12,
        paid_out=Decimal("46800.00"),
    )


def comparable(township: Township) -> tuple[list, list]:
    files = HardshipFile.objects.filter(township=township).values_list(
        "name",
        "id_number",
        "union__name",
        "member__name",
        "category",
        "causes",
        "household_size",
        "income_per_head",
        "filed_on",
        "reviewed_on",
        "out_on",
        "out_reason",
        "reported_on",
        "note",
    )
    aid = MutualAidEnrolment.objects.filter(township=township).values_list(
        "union__name", "year", "workers", "enrolled", "premiums", "payouts", "paid_out"
    )
    return sorted(files, key=repr), sorted(aid, key=repr)


def test_export_then_import_into_an_empty_township_gives_the_same_records(
    township_a, other_county_township
):
    fill(township_a)
    make_member(
        other_county_township,
        union=make_union(other_county_township, name="别的工会"),
        id_number=HardshipFile.objects.filter(township=township_a, member__isnull=False)
        .get()
        .id_number,
        name=HardshipFile.objects.filter(member__isnull=False).get().name,
    )
    report = import_workbook(
        data=export_bytes(township_a), township=other_county_township, user=None
    )

    assert report.ok, [str(p) for p in report.problems]
    assert comparable(other_county_township) == comparable(township_a)
    assert HardshipFile.objects.filter(township=other_county_township).count() == 3


def test_importing_the_same_export_again_changes_nothing(township_a):
    fill(township_a)
    before = comparable(township_a)
    reviews = HardshipReview.objects.count()
    report = import_workbook(data=export_bytes(township_a), township=township_a, user=None)

    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == 5  # 1 union, 3 files, 1 mutual-aid row
    assert comparable(township_a) == before
    assert HardshipReview.objects.count() == reviews


def test_a_newer_review_date_adds_a_review_and_an_earlier_one_is_refused(township_a):
    make_union(township_a, name="甲工会")
    person = id_number(birth=D(1980, 5, 5))

    def book(reviewed):
        row = ["王五", person, "甲工会", "相对困难", "本人大病", D(2023, 1, 1), reviewed]
        return xlsx({"困难职工": [[*HARDSHIP_HEADERS, "复核日期"], row]})

    first = import_workbook(data=book(D(2025, 3, 1)), township=township_a, user=None)
    again = import_workbook(data=book(D(2025, 3, 1)), township=township_a, user=None)
    newer = import_workbook(data=book(D(2026, 3, 1)), township=township_a, user=None)
    earlier = import_workbook(data=book(D(2024, 3, 1)), township=township_a, user=None)
    cleared = import_workbook(data=book(None), township=township_a, user=None)

    assert first.ok and again.ok and newer.ok
    assert (again.created, again.updated) == (0, 0)
    file = HardshipFile.objects.get()
    assert file.reviewed_on == D(2026, 3, 1)
    assert sorted(file.reviews.values_list("reviewed_on", flat=True)) == [
        D(2025, 3, 1),
        D(2026, 3, 1),
    ]
    for refused in (earlier, cleared):
        assert not refused.ok
        assert [(p.row, p.column) for p in refused.problems] == [(2, "复核日期")]
        assert "最近一次复核（2026-03-01）" in refused.problems[0].message
    assert file.reviews.count() == 2


def test_the_exported_causes_read_as_labels_separated_by_the_chinese_comma(township_a):
    fill(township_a)
    sheet = load_workbook(io.BytesIO(export_bytes(township_a)))["困难职工"]
    values = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    causes = {row[values.index("致困原因")] for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert "家属大病、子女就学" in causes


def test_a_row_updates_the_open_file_of_its_id_and_a_later_row_after_exit_opens_a_new_one(
    township_a,
):
    make_union(township_a, name="甲工会")
    person = id_number(birth=D(1980, 5, 5))
    first = xlsx(
        {
            "困难职工": [
                [*HARDSHIP_HEADERS, "脱困日期", "脱困原因"],
                ["王五", person, "甲工会", "相对困难", "本人大病", D(2023, 1, 1), None, None],
            ]
        }
    )
    assert import_workbook(data=first, township=township_a, user=None).ok
    closing = xlsx(
        {
            "困难职工": [
                [*HARDSHIP_HEADERS, "脱困日期", "脱困原因"],
                [
                    "王五",
                    person,
                    "甲工会",
                    "相对困难",
                    "本人大病",
                    D(2023, 1, 1),
                    D(2024, 5, 1),
                    "政策保障",
                ],
                ["王五", person, "甲工会", "深度困难", "残疾、单亲", D(2025, 9, 1), None, None],
            ]
        }
    )
    report = import_workbook(data=closing, township=township_a, user=None)

    assert report.ok, [str(p) for p in report.problems]
    assert (report.created, report.updated) == (1, 1)
    files = list(HardshipFile.objects.order_by("filed_on").values_list("out_reason", "causes"))
    assert files == [("policy", "illness"), ("", "disability,single_parent")]


def test_every_bad_value_is_named_by_row_and_column_and_nothing_is_written(township_a):
    make_union(township_a, name="甲工会")
    person = id_number(birth=D(1980, 5, 5))
    data = xlsx(
        {
            "困难职工": [
                [*HARDSHIP_HEADERS, "家庭人口", "脱困日期", "脱困原因"],
                ["甲", person, "甲工会", "很困难", "本人大病", D(2025, 1, 1), 3, None, None],
                [
                    "乙",
                    id_number(birth=D(1981, 1, 1)),
                    "甲工会",
                    "相对困难",
                    "穷",
                    D(2025, 1, 1),
                    3,
                    None,
                    None,
                ],
                [
                    "丙",
                    id_number(birth=D(1982, 1, 1)),
                    "甲工会",
                    "相对困难",
                    "残疾",
                    D(2025, 1, 1),
                    0,
                    None,
                    None,
                ],
                [
                    "丁",
                    id_number(birth=D(1983, 1, 1)),
                    "甲工会",
                    "相对困难",
                    "残疾",
                    D(2025, 1, 1),
                    2,
                    D(2025, 6, 1),
                    None,
                ],
                [
                    "戊",
                    id_number(birth=D(1984, 1, 1)),
                    "甲工会",
                    "相对困难",
                    "残疾",
                    D(2025, 1, 1),
                    2,
                    D(2024, 6, 1),
                    "其他",
                ],
                [
                    "己",
                    id_number(birth=D(1985, 1, 1)),
                    "乙工会",
                    "相对困难",
                    "残疾",
                    D(2025, 1, 1),
                    2,
                    None,
                    None,
                ],
            ],
            "医疗互助": [
                ["所属工会", "年度", "在职职工人数", "参加人数"],
                ["甲工会", 2026, 100, 120],
                ["甲工会", 2026, 100, 90],
            ],
        }
    )
    report = import_workbook(data=data, township=township_a, user=None)
    found = {(p.sheet, p.row, p.column) for p in report.problems}

    assert not report.written
    assert {
        ("困难职工", 2, "困难类别"),
        ("困难职工", 3, "致困原因"),
        ("困难职工", 4, "家庭人口"),
        ("困难职工", 5, "脱困原因"),
        ("困难职工", 6, "脱困日期"),
        ("困难职工", 7, "所属工会"),
        ("医疗互助", 2, "参加人数"),
        ("医疗互助", 3, "年度"),
    } <= found, found
    assert not HardshipFile.objects.exists()
    assert not MutualAidEnrolment.objects.exists()


def test_two_open_files_for_one_id_in_a_file_are_refused(township_a):
    person = id_number(birth=D(1980, 5, 5))
    data = xlsx(
        {
            "困难职工": [
                ["姓名", "身份证号", "困难类别", "致困原因", "建档日期"],
                ["王五", person, "相对困难", "本人大病", D(2023, 1, 1)],
                ["王五", person, "相对困难", "本人大病", D(2024, 1, 1)],
            ]
        }
    )
    report = import_workbook(data=data, township=township_a, user=None)

    assert not report.ok
    assert any("在档" in p.message for p in report.problems)
    assert not HardshipFile.objects.exists()


def test_the_template_has_both_sheets_with_drop_downs_from_the_choices():
    out = io.BytesIO()
    write_template(out)
    book = load_workbook(io.BytesIO(out.getvalue()))
    hardship, aid = book["困难职工"], book["医疗互助"]
    lists = [v.formula1 for v in hardship.data_validations.dataValidation if v.type == "list"]

    assert '"深度困难,相对困难,意外致困"' in lists
    assert '"就业增收,帮扶救助,政策保障,其他"' in lists
    assert [c.value for c in aid[1]][:4] == ["所属工会*", "年度*", "在职职工人数*", "参加人数*"]
