"""The shared record-page machinery, seen through the member and union pages: list state in the
URL, history, optimistic locking, delete refusals and the type-ahead lookup."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from members.models import Employer, GrassrootsUnion, Member
from unionportal.masking import mask_id_number
from unionportal.record_services import StaleRecord, create_record, update_record
from unionportal.tests.factories import make_employer, make_member, make_union, page_text


def _names_on_page(response) -> list[str]:
    return re.findall(r'<a href="/records/members/\d+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def crowd(township_a):
    """120 members of one union, named 会员001 … 会员120, joined on consecutive days."""
    union = make_union(township_a, name="慈东镇纺织厂工会")
    start = datetime.date(2020, 1, 1)
    for i in range(1, 121):
        make_member(
            township_a,
            union=union,
            name=f"会员{i:03d}",
            joined_on=start + datetime.timedelta(days=i),
            is_migrant=i % 2 == 0,
        )
    return union


# List pages: search, filters, date range, sort, pages — all in the URL


def test_a_list_shows_50_rows_a_page_with_the_total(client, staff_a, crowd):
    client.force_login(staff_a)

    first = client.get(reverse("members:member_list"))
    third = client.get(reverse("members:member_list"), {"page": 3})

    assert " 共有会员 120 条，第 1/3 页 " in page_text(first)
    assert len(_names_on_page(first)) == 50
    assert _names_on_page(first)[0] == "会员001"
    assert _names_on_page(third) == [f"会员{i:03d}" for i in range(101, 121)]


def test_page_links_keep_the_search_filters_and_sort(client, staff_a, crowd):
    client.force_login(staff_a)

    response = client.get(reverse("members:member_list"), {"migrant": "1", "sort": "-joined"})

    html = response.content.decode()
    assert " 符合条件的会员 60 条，第 1/2 页 " in page_text(response)
    assert 'href="?migrant=1&amp;sort=-joined&amp;page=2"' in html
    assert _names_on_page(response)[0] == "会员120"
    # The column header reverses the current sort and keeps the filter.
    assert 'href="?migrant=1&amp;sort=joined"' in html


def test_an_unknown_sort_falls_back_to_the_default(client, staff_a, crowd):
    client.force_login(staff_a)

    response = client.get(reverse("members:member_list"), {"sort": "password"})

    assert response.status_code == 200
    assert _names_on_page(response)[0] == "会员001"


def test_date_range_filters_on_the_kinds_main_date(client, staff_a, crowd):
    client.force_login(staff_a)

    response = client.get(
        reverse("members:member_list"), {"from": "2020-01-02", "to": "2020-01-11"}
    )

    assert " 符合条件的会员 10 条 " in page_text(response)
    assert 'value="2020-01-02"' in response.content.decode()


def test_a_malformed_date_is_ignored_and_the_user_is_told(client, staff_a, crowd):
    client.force_login(staff_a)

    response = client.get(reverse("members:member_list"), {"from": "2020/13/45"})

    assert "日期格式应为 2026-03-27，未识别的日期已忽略。" in page_text(response)
    assert " 共有会员 120 条" in page_text(response) or " 符合条件的会员 120 条" in page_text(
        response
    )


def test_search_finds_by_name_id_number_and_card_number(client, staff_a, township_a):
    make_member(township_a, name="陈小红", card_number="HY-2026-7")
    target = make_member(township_a, name="林大伟")
    make_member(township_a, name="黄一")
    client.force_login(staff_a)

    by_name = client.get(reverse("members:member_list"), {"q": "陈小"})
    by_id = client.get(reverse("members:member_list"), {"q": target.id_number})
    by_card = client.get(reverse("members:member_list"), {"q": "HY-2026-7"})

    assert _names_on_page(by_name) == ["陈小红"]
    assert _names_on_page(by_id) == ["林大伟"]
    assert _names_on_page(by_card) == ["陈小红"]


def test_staff_see_no_township_filter_but_reviewers_do(client, staff_a, reviewer, crowd):
    client.force_login(staff_a)
    assert 'name="township"' not in client.get(reverse("members:member_list")).text

    client.force_login(reviewer)
    response = client.get(reverse("members:member_list"))
    assert 'name="township"' in response.text
    assert '<option value="' in response.text and "慈东镇" in page_text(response)


def test_reviewer_narrows_a_list_to_one_township(client, reviewer, township_a, township_b):
    make_member(township_a, name="甲镇会员")
    make_member(township_b, name="乙乡会员")
    client.force_login(reviewer)

    both = client.get(reverse("members:member_list"))
    only_b = client.get(reverse("members:member_list"), {"township": township_b.pk})

    assert sorted(_names_on_page(both)) == ["乙乡会员", "甲镇会员"]
    assert _names_on_page(only_b) == ["乙乡会员"]


def test_staff_cannot_widen_their_list_to_another_township(client, staff_b, township_a, township_b):
    make_member(township_a, name="甲镇会员")
    client.force_login(staff_b)

    response = client.get(reverse("members:member_list"), {"township": township_a.pk})

    assert _names_on_page(response) == []
    assert "甲镇会员" not in page_text(response)


# History


def test_history_shows_who_changed_which_field_from_what_to_what(client, staff_a, township_a):
    employer = make_employer(township_a, name="慈东镇五金厂")
    other = make_employer(township_a, name="慈东镇电器厂")
    member = make_member(township_a, name="冯一", employer=employer)
    update_record(
        user=staff_a,
        record=member,
        data={"name": "冯一一", "employer": other, "is_migrant": True},
        expected_version=1,
    )
    client.force_login(staff_a)

    text = page_text(client.get(reverse("members:member_detail", args=[member.pk])))

    assert " 修改 张录入 " in text
    assert "姓名：冯一 → 冯一一" in text
    assert "工作单位：慈东镇五金厂 → 慈东镇电器厂" in text
    assert "农民工：否 → 是" in text
    assert "版本" not in text


# Optimistic locking in the service


def test_update_record_refuses_a_stale_version_and_names_who_saved(staff_a, chair_a, township_a):
    union = make_union(township_a, name="旧名工会")
    update_record(user=chair_a, record=union, data={"name": "新名工会"}, expected_version=1)

    with pytest.raises(StaleRecord) as refused:
        update_record(user=staff_a, record=union, data={"name": "第三个名字"}, expected_version=1)

    assert "该记录已被 李主席 于" in refused.value.message
    assert GrassrootsUnion.objects.get(pk=union.pk).name == "新名工会"


def test_create_record_is_refused_to_a_reviewer(reviewer, township_a):
    with pytest.raises(PermissionDenied):
        create_record(
            user=reviewer, model=Employer, township=township_a, data={"name": "x", "employees": 1}
        )
    assert not Employer.objects.exists()


# Delete refusals


def test_an_employer_with_dues_and_members_says_what_depends_on_it(client, staff_a, township_a):
    from unionportal.tests.factories import make_dues

    employer = make_employer(township_a, name="慈东镇针织厂")
    make_dues(township_a, employer=employer)
    make_member(township_a, employer=employer)
    client.force_login(staff_a)

    response = client.post(reverse("members:employer_delete", args=[employer.pk]))

    assert "该单位下还有 1 名会员、1 条经费记录，不能删除。请先转移或删除这些记录。" in page_text(
        response
    )
    assert Employer.objects.filter(pk=employer.pk).exists()


# Type-ahead lookup


def test_lookup_finds_visible_records_by_name_at_most_20(client, staff_a, township_a, township_b):
    for i in range(25):
        make_union(township_a, name=f"慈东镇第{i:02d}工会")
    make_union(township_b, name="西山乡第99工会")
    client.force_login(staff_a)

    found = client.get(reverse("record_lookup", args=["union"]), {"q": "第"}).json()["results"]
    elsewhere = client.get(reverse("record_lookup", args=["union"]), {"q": "西山"}).json()

    assert len(found) == 20
    assert found[0]["label"] == "慈东镇第00工会"
    assert elsewhere["results"] == []


def test_lookup_finds_a_member_by_whole_id_number_and_shows_it_masked(client, staff_a, township_a):
    member = make_member(township_a, name="蒋二")
    client.force_login(staff_a)

    found = client.get(reverse("record_lookup", args=["member"]), {"q": member.id_number}).json()[
        "results"
    ]
    by_prefix = client.get(
        reverse("record_lookup", args=["member"]), {"q": member.id_number[:12]}
    ).json()["results"]

    assert found == [{"id": member.pk, "label": f"蒋二（{mask_id_number(member.id_number)}）"}]
    assert by_prefix == []


def test_lookup_of_an_unknown_kind_is_404(client, staff_a):
    client.force_login(staff_a)

    assert client.get(reverse("record_lookup", args=["password"]), {"q": "a"}).status_code == 404


def test_forms_use_the_type_ahead_box_not_a_select_of_every_record(client, staff_a, township_a):
    for _ in range(30):
        make_union(township_a)
    client.force_login(staff_a)

    html = client.get(reverse("members:member_create")).text

    assert 'data-typeahead-url="/records/lookup/union/?township=' in html
    assert "<select" not in html.split('id="div_id_union"')[1].split("</div>")[0]
    assert "/static/js/typeahead.js" in html
    assert "<script>" not in html and "<script " not in html.replace("<script src=", "")


# Masking


def test_mask_keeps_the_region_and_the_last_four_digits():
    assert mask_id_number("110101199003071234") == "110101********1234"
    assert mask_id_number("11010119900307123X") == "110101********123X"
    assert mask_id_number("123") == "***"


def test_member_count_on_list_is_the_active_members(client, staff_a, township_a):
    union = make_union(township_a, name="慈东镇化工厂工会")
    make_member(township_a, union=union)
    make_member(township_a, union=union, left_on=datetime.date(2021, 1, 1))
    client.force_login(staff_a)

    text = page_text(client.get(reverse("members:union_list")))

    assert " 慈东镇化工厂工会 企业工会 2015-05-01 — 无 1 存续 " in text
    assert Member.objects.count() == 2


@pytest.mark.django_db
def test_a_typed_name_with_a_nul_is_handed_to_the_field_unqueried(django_assert_num_queries):
    """A NUL typed into a picker box goes back to the field as text, which refuses it, without a
    lookup query: PostgreSQL fails any query holding a NUL (found by the hostile-form test)."""
    from members.typeahead import UNION
    from unionportal.records import TypeaheadWidget

    widget = TypeaheadWidget(UNION)
    with django_assert_num_queries(0):
        value = widget.value_from_datadict({"union__typed": "甲\x00工会"}, {}, "union")
    assert value == "甲\x00工会"
