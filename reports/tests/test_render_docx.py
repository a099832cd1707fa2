"""The DOCX summary: opens in python-docx and LibreOffice, carries every text, and sets the
GB/T 9704-2012 layout through styles that Word and WPS honour."""

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table as DocxTable

from reports.convert import to_traditional
from reports.document import Document, Paragraph, Section, Table
from reports.render_docx import render_docx
from unionportal.tests.factories import sample_document

HOSTILE = '<img src="file:///etc/passwd"> <script>alert(1)</script>'
EMU_PER_MM = 36000


@pytest.fixture(scope="module")
def sample() -> Document:
    return sample_document()


@pytest.fixture(scope="module")
def rendered(sample) -> bytes:
    return render_docx(sample)


@pytest.fixture(scope="module")
def word(rendered):
    return docx.Document(io.BytesIO(rendered))


def body_paragraphs(word):
    """Every paragraph of the body in reading order, table cells included."""
    for block in word.iter_inner_content():
        if isinstance(block, DocxTable):
            for row in block.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
        else:
            yield block


def texts(word) -> list[str]:
    return [p.text for p in body_paragraphs(word)]


def paragraph(word, text: str):
    return next(p for p in body_paragraphs(word) if p.text == text)


def east_asia_font(style) -> str | None:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def part_xml(rendered: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(rendered)) as package:
        return package.read(name).decode()


def test_the_file_carries_title_headings_paragraphs_items_cells_and_issuer(sample, word):
    text = "\n".join(texts(word))
    expected = [sample.title, sample.issuer, sample.date, "90.4%", "9,214", "38.6万元"]
    for section in sample.sections + sample.appendix:
        expected.append(section.heading)
        expected += [sub.heading for sub in section.subsections]
    expected += ["宁波恒达机械有限公司工会（2026年3月12日成立）", "上半年新签集体合同"]
    expected += ["签约单位", "覆盖职工（人）", "2026年4月9日", "主要指标一览", "88.3%"]
    for piece in expected:
        assert piece in text


def test_the_lead_is_a_bold_character_style_before_the_text(word):
    p = next(p for p in body_paragraphs(word) if p.text.startswith("一是做好信访接待。"))
    lead, rest = p.runs
    assert lead.text == "一是做好信访接待。"
    assert lead.style.name == "要点"
    assert lead.style.font.bold is True
    assert rest.style.name == "Default Paragraph Font"
    assert rest.text.startswith("上半年共受理职工信访12件")


def test_the_page_is_a4_with_the_gbt_9704_margins(word):
    section = word.sections[0]
    measured = {
        "width": section.page_width,
        "height": section.page_height,
        "top": section.top_margin,
        "bottom": section.bottom_margin,
        "left": section.left_margin,
        "right": section.right_margin,
    }
    wanted = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26}
    for name, mm in wanted.items():
        # Word stores twips, so the EMU read back is within half a twip of the exact value.
        assert abs(measured[name] - mm * EMU_PER_MM) < 635, name


def test_the_body_style_is_fangsong_3hao_justified_with_exact_spacing_and_a_two_character_indent(
    word,
):
    normal = word.styles["Normal"]
    assert east_asia_font(normal) == "仿宋_GB2312"
    assert normal.font.size.pt == 16
    fmt = normal.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    # 22 lines of 28.9 pt fill the 225 mm type area; 23 would not fit.
    assert 28.8 <= fmt.line_spacing.pt <= 29.0
    assert 22 * fmt.line_spacing.pt <= 225 / 25.4 * 72 < 23 * fmt.line_spacing.pt
    ind = normal.element.pPr.ind
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert fmt.first_line_indent.pt == 32


def test_no_style_or_default_names_a_theme_font_and_the_default_language_is_chinese(rendered):
    styles = part_xml(rendered, "word/styles.xml")
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        assert attribute not in styles
    word = docx.Document(io.BytesIO(rendered))
    defaults = word.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_the_title_is_2hao_xiaobiaosong_centred_in_its_own_style_and_followed_by_a_blank_line(
    sample, word
):
    first, second = list(body_paragraphs(word))[:2]
    assert first.text == sample.title
    assert first.style.name == "Title"
    assert east_asia_font(first.style) == "方正小标宋简体"
    assert first.style.font.size.pt == 22
    assert first.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert second.text == ""


def test_heading_styles_are_heiti_and_kaiti_with_outline_levels_not_bold_and_not_coloured(word):
    for name, font, level in (("Heading 1", "黑体", "0"), ("Heading 2", "楷体_GB2312", "1")):
        style = word.styles[name]
        assert east_asia_font(style) == font
        assert style.font.size.pt == 16
        assert style.font.bold is not True
        assert style.element.rPr.find(qn("w:color")) is None
        assert style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == level


def test_section_headings_use_the_heading_styles_so_the_navigation_pane_lists_them(word):
    assert paragraph(word, "一、扎实推进组织建设").style.name == "Heading 1"
    assert paragraph(word, "三、下一步工作打算").style.name == "Heading 1"
    assert paragraph(word, "（一）规范化建设").style.name == "Heading 2"


def test_list_items_are_numbered_paragraphs_in_the_list_style(word):
    item = paragraph(word, "2．慈东镇北街村工会（2026年4月2日成立）")
    assert item.style.name == "列表"


def test_the_issuer_and_date_are_right_aligned_and_the_appendix_starts_a_new_page(sample, word):
    for text in (sample.issuer, sample.date):
        style = paragraph(word, text).style
        assert style.name == "落款"
        assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    ordered = texts(word)
    label = ordered.index("附件", ordered.index(sample.date))
    assert body_paragraphs_list(word)[label].paragraph_format.page_break_before is True


def body_paragraphs_list(word) -> list:
    return list(body_paragraphs(word))


def right_chars(word, text: str) -> float:
    return int(paragraph(word, text).paragraph_format.element.pPr.ind.get(qn("w:rightChars"))) / 100


def test_the_signature_is_laid_out_unsealed_per_gbt_9704_7352(sample, word):
    # 署名 5 characters, 成文日期 "2026年7月10日" about 8: the date keeps 右空二字 and starts two
    # characters right of the 署名, which moves left.
    assert right_chars(word, sample.date) == 2
    date_width = 3 + 0.5 * 7 + 5 / 4  # 年月日, seven half-width digits, a quarter at each change
    issuer_right = right_chars(word, sample.issuer)
    assert issuer_right + 5 == pytest.approx(2 + date_width + 2)

    long_issuer = Document(title="总结", issuer="慈溪县慈东镇总工会委员会", date="2026年7月1日")
    long = docx.Document(io.BytesIO(render_docx(long_issuer)))
    assert right_chars(long, "慈溪县慈东镇总工会委员会") == 2
    assert right_chars(long, "2026年7月1日") > 2


def test_the_annex_is_announced_under_the_body_and_laid_out_on_its_own_page(sample, word):
    ordered = texts(word)
    note = ordered.index("附件：主要指标一览")
    assert paragraph(word, "附件：主要指标一览").style.name == "附件说明"
    assert ordered[note - 1] == ""  # 正文下空一行
    assert note < ordered.index(sample.issuer)
    # §7.4: "附件" top-left in 黑体, the title (as announced) centred on the third line.
    label = ordered.index("附件", note)
    assert ordered[label + 1 : label + 3] == ["", "主要指标一览"]
    assert paragraph(word, "附件").style.name == "附件标识"
    assert east_asia_font(word.styles["附件标识"]) == "黑体"
    title = body_paragraphs_list(word)[label + 2]
    assert title.style.name == "Title"
    # The table that titles the appendix is not captioned again.
    assert ordered.count("主要指标一览") == 1


def test_several_appendices_are_numbered_in_the_note_and_on_their_pages():
    table = Table("指标", ("指标", "本期"), (("会员数（人）", "721"),))
    document = Document(
        title="总结",
        issuer="慈东镇工会",
        date="2026年7月1日",
        appendix=(
            Section("附件：主要指标", (table,)),
            Section("附件：各村工会名单", (Paragraph("略。"),)),
        ),
    )
    ordered = texts(docx.Document(io.BytesIO(render_docx(document))))
    assert "附件：1．指标" in ordered and "2．各村工会名单" in ordered
    assert "附件1" in ordered and "附件2" in ordered
    assert ordered.index("附件：1．指标") < ordered.index("慈东镇工会") < ordered.index("附件1")


def test_table_cells_use_the_table_text_style_without_the_body_indent_or_spacing(word):
    table = word.tables[0]
    assert table.style.name == "Table Grid"
    borders = table.style.element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    assert {edge.get(qn("w:val")) for edge in borders} == {"single"}
    assert {edge.get(qn("w:color")) for edge in borders} == {"000000"}
    cells = [p for row in table.rows for cell in row.cells for p in cell.paragraphs]
    assert [p.text for p in cells[:4]] == ["签约单位", "合同类型", "覆盖职工（人）", "签订日期"]
    for p in cells:
        assert p.style.name == "表格文字"
    style = word.styles["表格文字"]
    assert style.font.size.pt in (12, 14)
    ind = style.element.pPr.ind
    assert ind.get(qn("w:firstLineChars")) == "0"
    assert style.paragraph_format.first_line_indent == 0
    # Two lines of cell text fill one line of the 22-line grid, and a row is at least one.
    assert style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 560 <= style.paragraph_format.line_spacing.twips * 2 <= 578
    heights = {tr.trPr.find(qn("w:trHeight")).get(qn("w:val")) for tr in table._tbl.tr_lst}
    assert heights == {"578"}


def test_the_table_caption_is_centred_above_and_the_header_row_repeats(word):
    caption = paragraph(word, "上半年新签集体合同")
    assert caption.style.name == "表题"
    assert caption.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    rows = word.tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)


def long_table_document(rows: int = 30) -> Document:
    return Document(
        title="集体合同",
        issuer="慈东镇工会",
        date="2026年7月10日",
        sections=(
            Section(
                "一、集体合同",
                (
                    Table(
                        "新签集体合同",
                        ("乡镇", "签约单位", "合同类型", "覆盖职工（人）", "签订日期", "建会率"),
                        tuple(
                            (
                                "慈东镇",
                                f"宁波市慈东镇第{n}精密机械制造有限公司",
                                "工资专项（续签）",
                                "1,234",
                                f"5月{n % 28 + 1}日",
                                "100.0%",
                            )
                            for n in range(rows)
                        ),
                    ),
                ),
            ),
        ),
    )


def test_a_split_table_keeps_its_first_two_and_last_two_rows_together():
    word = docx.Document(io.BytesIO(render_docx(long_table_document(30))))
    rows = word.tables[0].rows

    def keeps(row) -> bool:
        return all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)

    assert [keeps(row) for row in rows[:3]] == [True, True, False]
    assert [keeps(row) for row in rows[-3:]] == [False, True, False]


def test_column_widths_make_room_for_numbers_and_dates_with_the_cell_padding():
    word = docx.Document(io.BytesIO(render_docx(long_table_document())))
    table = word.tables[0]
    tbl_pr = table._tbl.tblPr
    assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    margins = tbl_pr.find(qn("w:tblCellMar"))
    padding = sum(int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("left", "right"))
    widths = [int(tc.tcPr.tcW.get(qn("w:w"))) for tc in table._tbl.tr_lst[1].tc_lst]
    assert sum(widths) == pytest.approx(Mm(156).twips, abs=10)
    em = 240  # 小四, in twips
    # Content width left for "覆盖职工（人）" (half of it), "5月27日", "100.0%" and "1,234".
    for column, least in ((3, 3.5 * em), (4, 3 * em + 3 * 0.5 * em), (5, 6 * 0.5 * em)):
        assert widths[column] - padding >= least
    nowrap = [tc.tcPr.find(qn("w:noWrap")) is not None for tc in table._tbl.tr_lst[1].tc_lst]
    assert nowrap == [True, False, False, True, True, True]


def libreoffice_pdf(document: Document, tmp_path) -> Path:
    """The DOCX of `document` as LibreOffice lays it out, saved as PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    source = tmp_path / "table.docx"
    source.write_bytes(render_docx(document))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return tmp_path / "table.pdf"


def test_text_after_a_table_is_back_on_the_grid_as_libreoffice_lays_it_out(tmp_path):
    table = Table(
        "两行的单元格",
        ("签约单位", "合同类型", "签订日期"),
        (
            ("宁波市慈东镇第一精密机械制造有限公司" * 2, "综合", "3月18日"),
            ("慈东镇工会", "工资专项", "4月9日"),
            ("慈东镇工会", "工资专项（续签）", "4月9日"),
        ),
    )
    document = Document(
        title="网格",
        issuer="慈东镇工会",
        date="2026年7月10日",
        opening=(Paragraph("表前正文。"),),
        sections=(Section("一、表格", (table, Paragraph("表后正文。"))),),
    )
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(libreoffice_pdf(document, tmp_path)), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def top(word: str) -> float:
        return float(re.search(rf'yMin="([\d.]+)"[^>]*>{word}', bbox).group(1))

    lines = (top("表后正文。") - top("表前正文。")) / 28.9  # 578 twips
    assert lines == pytest.approx(round(lines), abs=0.03)


def test_libreoffice_lays_numbers_and_dates_on_one_line_in_cells(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    source = tmp_path / "table.docx"
    source.write_bytes(render_docx(long_table_document(6)))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    layout = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(tmp_path / "table.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = ["".join(line.split()) for line in layout.splitlines()]
    for value in ("100.0%", "1,234", "5月6日", "覆盖职工"):
        assert any(value in line for line in lines), value


def test_no_run_in_the_body_carries_direct_formatting(rendered):
    word = docx.Document(io.BytesIO(rendered))
    runs = list(word.element.body.iter(qn("w:r")))
    assert len(runs) >= len([text for text in texts(word) if text])
    for run in runs:
        r_pr = run.find(qn("w:rPr"))
        if r_pr is not None:
            assert [child.tag for child in r_pr] == [qn("w:rStyle")]


def test_the_footer_holds_a_page_field_right_on_odd_pages_and_left_on_even_pages(word, rendered):
    assert word.settings.odd_and_even_pages_header_footer is True
    assert "<w:evenAndOddHeaders" in part_xml(rendered, "word/settings.xml")
    section = word.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        assert not footer.is_linked_to_previous
        (p,) = footer.paragraphs
        assert p.alignment == alignment
        instructions = [el.text for el in p._p.iter(qn("w:instrText"))]
        assert [text.strip() for text in instructions] == ["PAGE"]
        kinds = [el.get(qn("w:fldCharType")) for el in p._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert p.text.startswith("— ") and p.text.endswith(" —")
    footer_style = word.styles["Footer"]
    assert east_asia_font(footer_style) == "宋体"
    assert footer_style.font.size.pt == 14


def test_a_traditional_document_names_traditional_fonts_and_zh_tw(rendered):
    traditional = docx.Document(io.BytesIO(render_docx(to_traditional(sample_document()))))
    styles = traditional.styles
    assert east_asia_font(styles["Normal"]) == "標楷體"
    assert east_asia_font(styles["Title"]) == "新細明體"
    assert east_asia_font(styles["Heading 1"]) == "微軟正黑體"
    assert east_asia_font(styles["Heading 2"]) == "標楷體"
    assert traditional.core_properties.language == "zh-TW"
    xml = part_xml(render_docx(to_traditional(sample_document())), "word/styles.xml")
    assert 'w:eastAsia="zh-TW"' in xml
    assert "GB2312" not in xml and "zh-CN" not in xml
    # The Simplified file is unchanged by the Traditional one built in the same process.
    assert 'w:eastAsia="zh-CN"' in part_xml(rendered, "word/styles.xml")


def test_core_properties_name_the_title_the_issuer_and_chinese(sample, word):
    props = word.core_properties
    assert props.title == sample.title
    assert props.author == sample.issuer
    assert props.language == "zh-CN"
    assert props.created.date().isoformat() == "2026-07-10"


def test_hostile_staff_text_comes_out_literally():
    rendered = render_docx(sample_document(narrative=HOSTILE))
    word = docx.Document(io.BytesIO(rendered))
    assert HOSTILE in texts(word)
    body = part_xml(rendered, "word/document.xml")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script" not in body and "<img" not in body


def test_characters_xml_cannot_carry_are_dropped_instead_of_breaking_the_download():
    dirty = "截至\x00六月\x08底\x0b，会员\x0c9,214人\x1f。"
    document = Document(
        title="慈东镇工会\x01工作总结",
        issuer="慈东镇工会",
        date="2026年7月10日",
        opening=(Paragraph(dirty, lead="一是\x02"),),
        sections=(Section(heading="一、组织\x1b建设", blocks=(Paragraph(dirty),)),),
    )
    word = docx.Document(io.BytesIO(render_docx(document)))
    text = texts(word)
    assert "慈东镇工会工作总结" in text
    assert "一是截至六月底，会员9,214人。" in text
    assert "一、组织建设" in text


def test_libreoffice_opens_the_file_and_reads_the_title_and_figures(sample, rendered, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed: run `make install`, which installs the "
            "Debian package libreoffice-writer-nogui"
        )
    source = tmp_path / "summary.docx"
    source.write_bytes(rendered)
    completed = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            # UTF-8 whatever the locale of the test run.
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    converted = tmp_path / "summary.txt"
    assert converted.exists(), completed.stderr
    text = converted.read_text(encoding="utf-8-sig")
    for piece in (sample.title, "一、扎实推进组织建设", "建会率90.4%", "9,214", sample.issuer):
        assert piece in text


def test_the_annex_note_and_signature_keep_with_the_end_of_the_body(sample, word):
    # GB/T 9704 §7.3.5: never a page holding only the 落款.
    paragraphs = list(body_paragraphs(word))
    ordered = [p.text for p in paragraphs]
    note = ordered.index("附件：主要指标一览")
    end = paragraphs[note - 2]
    assert end.text.startswith("继续推进") and end.paragraph_format.keep_with_next
    for p in paragraphs[note - 1 : ordered.index(sample.issuer) + 1]:
        assert p.paragraph_format.keep_with_next or p.style.paragraph_format.keep_with_next
