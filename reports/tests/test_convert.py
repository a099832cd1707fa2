import datetime

import pytest

from reports.convert import PHRASE_EXCEPTIONS, to_traditional, to_traditional_text
from reports.document import Document, Paragraph, Section, Table
from reports.queries import record_names
from reports.services import summary_document
from unionportal.models import County
from unionportal.periods import parse_period
from unionportal.tests.factories import (
    make_contract,
    make_employer,
    make_township,
    sample_document,
)


def test_conversion_is_phrase_aware():
    assert to_traditional_text("发放慰问金") == "發放慰問金"
    assert to_traditional_text("头发") == "頭髮"
    assert to_traditional_text("干部职工") == "幹部職工"


def test_every_string_of_a_document_is_converted():
    document = to_traditional(sample_document())
    assert document.title == "慈東鎮工會2026年上半年工作總結"
    assert document.language == "zh-hant"
    text = document.plain_text()
    assert "組織建設" in text and "组织建设" not in text
    assert "90.4%" in text
    table = document.appendix[0].blocks[0]
    assert table.header == ("指標", "本期", "去年同期")


def test_characters_take_the_taiwan_standard_forms_that_hong_kong_also_reads():
    text = to_traditional_text("工会为职工启动帮扶，里面着力推进")
    assert text == "工會為職工啟動幫扶，裡面著力推進"
    assert "爲" not in text and "啓" not in text


def test_mainland_words_are_not_swapped_for_taiwan_words():
    # s2twp would write 資訊 and 軟體: the township's own words stay.
    assert to_traditional_text("信息化软件培训") == "信息化軟件培訓"


def test_signing_a_contract_is_written_the_same_in_new_and_renewed():
    text = to_traditional_text("上半年新签集体合同4份，续签8份，签订率100%")
    assert "新簽" in text and "續簽" in text and "簽訂" in text
    assert "籤" not in text


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [("慈溪县", "慈溪縣"), ("家具厂", "家具廠")],
)
def test_project_exceptions_hold_even_without_names(simplified, traditional):
    assert to_traditional_text(simplified) == traditional


def test_exceptions_are_written_in_traditional_already():
    assert all(to_traditional_text(v) == v for v in PHRASE_EXCEPTIONS.values())


def test_protected_names_are_converted_character_by_character_not_by_phrase():
    text = "宁波家私家具有限公司与王发签订合同，头发"
    plain = to_traditional_text(text)
    protected = to_traditional_text(text, protected=["宁波家私家具有限公司", "王发"])
    assert "寧波家私家具有限公司" in protected
    assert protected.endswith("頭髮")  # outside the names the phrase rules still apply
    assert "王發" in protected
    assert plain != protected or "傢" not in plain


def test_a_documents_names_pass_through_every_block():
    name = "慈溪市家具城工会"
    document = Document(
        title=f"{name}2026年上半年工作总结",
        issuer=name,
        date="2026年7月1日",
        opening=(Paragraph(f"{name}积极开展工作。"),),
        sections=(
            Section(
                "一、组织建设",
                (Table("新建工会", ("工会名称", "会员（人）"), ((name, "12"),)),),
            ),
        ),
    )
    converted = to_traditional(document, protected=[name, "不在文中的名字"])
    assert converted.issuer == "慈溪市家具城工會"
    assert converted.sections[0].blocks[0].rows[0][0] == "慈溪市家具城工會"
    assert "傢" not in converted.plain_text() and "谿" not in converted.plain_text()


@pytest.mark.django_db
def test_the_traditional_summary_keeps_the_names_in_the_records():
    township = make_township(County.objects.create(name="慈溪县"), "慈东镇")
    employer = make_employer(township, name="宁波家具有限公司")
    make_contract(
        township,
        employer=employer,
        party_name="宁波家具有限公司",
        signed_on=datetime.date(2026, 3, 18),
        expires_on=datetime.date(2029, 3, 17),
    )
    assert {"慈溪县", "慈东镇", "宁波家具有限公司"} <= record_names(townships=[township])

    period = parse_period("2026H1")
    simplified = summary_document(township=township, period=period).plain_text()
    traditional = summary_document(township=township, period=period, language="zh-hant")
    text = traditional.plain_text()

    assert "宁波家具有限公司" in simplified
    assert "寧波家具有限公司" in text
    assert "慈東鎮" in text
    assert "傢" not in text and "谿" not in text and "爲" not in text
