from reports.convert import to_traditional, to_traditional_text
from reports.tests.samples import sample_document


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
