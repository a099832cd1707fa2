"""The PDF work summary: what a reader, a printer and pdftotext see.

Reads the PDFs with poppler-utils (pdfinfo, pdftotext, pdffonts), which `make install` installs.
Measures are in PDF points from the top-left corner, as pdftotext -bbox reports them.
"""

import html
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from weasyprint import HTML

from reports.document import BulletList, Document, Paragraph, Section, Table
from reports.render_pdf import (
    PortalStaticFetcher,
    RefusedURLError,
    render_pdf,
    subsetter_in_use,
    summary_html,
)
from unionportal.tests.factories import sample_document

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
TOP, LEFT, RIGHT, BOTTOM = 37 * MM, 28 * MM, 26 * MM, 35 * MM
TOLERANCE = 1 * MM  # GB/T 9704 allows ±1 mm on the margins.
HOSTILE = '<img src="file:///etc/passwd"> <script>alert(1)</script>'


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def pdf_info(pdf: bytes, tmp_path: Path) -> str:
    # pdfinfo and pdffonts want a file, not standard input.
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", path], capture_output=True, check=True, text=True).stdout


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdffonts", path], capture_output=True, check=True, text=True)
    # Columns: name, type (may hold spaces), encoding, emb, sub, uni, object, generation.
    return [line.split() for line in output.stdout.splitlines()[2:]]


def text_of(pdf: bytes, *args: str) -> str:
    """pdftotext's output, reading the PDF from standard input."""
    command = ["pdftotext", "-enc", "UTF-8", *args, "-", "-"]
    return subprocess.run(command, input=pdf, capture_output=True, check=True).stdout.decode()


def pages_of_words(pdf: bytes) -> list[list[Word]]:
    page_pattern = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
    word_pattern = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    )
    bbox = text_of(pdf, "-bbox")
    return [
        [
            Word(html.unescape(text), float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, text in word_pattern.findall(page)
        ]
        for page in page_pattern.findall(bbox)
    ]


def squeezed(text: str) -> str:
    """Text without whitespace: pdftotext puts line breaks where the layout wrapped."""
    return "".join(text.split())


def is_page_number(word: Word) -> bool:
    return word.y_min > PAGE_HEIGHT - BOTTOM


@pytest.fixture(scope="module")
def sample() -> Document:
    return sample_document()


@pytest.fixture(scope="module")
def sample_pdf(sample) -> bytes:
    return render_pdf(sample)


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return render_pdf(sample_document(repeat=3))


@pytest.fixture(scope="module")
def hostile_pdf() -> bytes:
    return render_pdf(sample_document(narrative=HOSTILE))


def test_pdf_starts_with_the_pdf_header_and_parses(sample_pdf, tmp_path):
    assert sample_pdf.startswith(b"%PDF-")
    info = pdf_info(sample_pdf, tmp_path)
    assert re.search(r"^Pages:\s+[1-9]", info, re.M)
    assert re.search(r"^Title:\s+慈东镇工会2026年上半年工作总结$", info, re.M)


def test_text_holds_the_title_headings_figures_table_cells_and_issuer(sample_pdf):
    text = squeezed(text_of(sample_pdf))

    for expected in (
        "慈东镇工会2026年上半年工作总结",
        "一、扎实推进组织建设",
        "（一）规范化建设",
        "建会率90.4%",
        "一是做好信访接待。上半年共受理职工信访12件",
        "1．宁波恒达机械有限公司工会（2026年3月12日成立）",
        "3．浙江嘉禾纺织有限公司工会",
        "覆盖职工（人）",
        "2026年4月9日",
        "附件：主要指标一览慈东镇工会2026年7月10日",
    ):
        assert expected in text


def test_every_character_of_the_document_can_be_extracted(sample, sample_pdf):
    missing = set(squeezed(sample.plain_text())) - set(text_of(sample_pdf))

    assert missing == set()


def test_pages_are_numbered_with_dashes_from_one(long_pdf):
    pages = text_of(long_pdf).split("\f")[:-1]

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert re.search(rf"—\s*{number}\s*—", page)


def test_pages_are_a4(long_pdf, tmp_path):
    info = pdf_info(long_pdf, tmp_path)

    assert re.search(r"^Page size:\s+595\.2\d* x 841\.89 pts \(A4\)$", info, re.M)


def test_text_stays_inside_the_gb9704_margins(long_pdf):
    pages = pages_of_words(long_pdf)
    body = [word for page in pages for word in page if not is_page_number(word)]

    assert min(word.x_min for word in body) == pytest.approx(LEFT, abs=TOLERANCE)
    assert max(word.x_max for word in body) <= PAGE_WIDTH - RIGHT + TOLERANCE
    assert max(word.y_max for word in body) <= PAGE_HEIGHT - BOTTOM + TOLERANCE
    for page in pages:
        top = min(word.y_min for word in page)
        assert TOP - TOLERANCE <= top <= TOP + 3 * MM


def test_odd_page_numbers_sit_right_and_even_page_numbers_left(long_pdf):
    pages = pages_of_words(long_pdf)
    one_character = 14  # 4号 page numbers, 空一字

    for number, page in enumerate(pages, start=1):
        footer = [word for word in page if is_page_number(word)]
        assert footer, f"no page number on page {number}"
        left, right = min(w.x_min for w in footer), max(w.x_max for w in footer)
        if number % 2:
            assert right == pytest.approx(PAGE_WIDTH - RIGHT - one_character, abs=TOLERANCE)
        else:
            assert left == pytest.approx(LEFT + one_character, abs=TOLERANCE)
        # 一字线上距版心下边缘7mm: the numbers sit well inside the bottom margin.
        assert PAGE_HEIGHT - BOTTOM + 2 * MM < min(w.y_min for w in footer)
        assert max(w.y_max for w in footer) < PAGE_HEIGHT - BOTTOM + 14 * MM


def test_body_lines_hold_28_characters_and_pages_22_lines():
    document = Document(
        title="版心测试",
        issuer="慈东镇工会",
        date="2026年7月10日",
        opening=tuple(Paragraph("国" * 84) for _ in range(12)),
    )
    pdf = render_pdf(document)

    page_one, page_two = (
        [len(line) for line in page.splitlines() if "国" in line]
        for page in text_of(pdf).split("\f")[:2]
    )
    # Two characters of indent, then full lines; the title and a blank line take two of page one.
    assert page_one[:4] == [26, 28, 28, 2]
    assert len(page_one) == 20
    assert len(page_two) == 22


def test_tables_repeat_their_header_row_on_each_page():
    rows = tuple((f"第{n}家单位", "综合", str(n), "2026年3月18日") for n in range(1, 61))
    document = Document(
        title="集体合同",
        issuer="慈东镇工会",
        date="2026年7月10日",
        sections=(
            Section(
                heading="一、集体合同",
                blocks=(Table("新签集体合同", ("签约单位", "合同类型", "人数", "日期"), rows),),
            ),
        ),
    )

    pages = text_of(render_pdf(document)).split("\f")[:-1]

    assert len(pages) >= 2
    assert all("签约单位" in page for page in pages)
    assert "第60家单位" in pages[-1]


def test_appendix_starts_on_a_new_page_under_its_label_and_title(sample_pdf):
    pages = text_of(sample_pdf).split("\f")
    appendix_page = next(page for page in pages if page.split()[:1] == ["附件"])

    # §7.4: "附件" on the first line, the title as the 附件说明 names it, then the table
    # without its caption repeated.
    assert appendix_page.split()[:3] == ["附件", "主要指标一览", "指标"]
    assert "慈东镇工会" not in appendix_page


def test_staff_text_with_markup_prints_as_literal_text(hostile_pdf):
    text = text_of(hostile_pdf)

    assert squeezed(HOSTILE) in squeezed(text)
    assert "root:x:0:0" not in text


def test_staff_text_is_escaped_in_the_html():
    page = summary_html(sample_document(narrative=HOSTILE))

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    assert "<img" not in page


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://example.com/summary.css",
        "https://example.com/logo.png",
        "data:text/css,body{color:red}",
        "portal-static:../../../../etc/passwd",
        "portal-static:/etc/passwd",
        "portal-static:reports/%2e%2e/%2e%2e/%2e%2e/unionportal/settings.py",
        "portal-static:reports/no-such-file.css",
    ],
)
def test_url_fetcher_refuses_anything_but_portal_static_files(url):
    with pytest.raises(RefusedURLError):
        PortalStaticFetcher().fetch(url)


def test_url_fetcher_serves_the_print_stylesheet():
    response = PortalStaticFetcher().fetch("portal-static:reports/summary_print.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_url_fetcher_serves_vendor_files_under_their_prefix():
    response = PortalStaticFetcher().fetch("portal-static:vendor/htmx/htmx.min.js")

    assert len(response.read()) > 1000


def test_rendering_never_reads_a_local_file_named_in_the_html(monkeypatch, tmp_path):
    stylesheet = tmp_path / "leak.css"
    stylesheet.write_text('body::before { content: "LEAKED" }')
    page = f'<link rel="stylesheet" href="{stylesheet.as_uri()}"><p>正文</p>'
    monkeypatch.setattr("reports.render_pdf.summary_html", lambda document: page)

    guarded = render_pdf(sample_document())
    unguarded = HTML(string=page).write_pdf()  # WeasyPrint's default fetcher reads file://

    assert "正文" in text_of(guarded)
    assert "LEAKED" not in text_of(guarded)
    assert "LEAKED" in text_of(unguarded)


def test_fonts_are_embedded_as_subsets(sample_pdf, tmp_path):
    fonts = pdf_fonts(sample_pdf, tmp_path)

    assert fonts
    for name, *_, emb, sub, uni, _object, _generation in fonts:
        assert re.fullmatch(r"[A-Z]{6}\+.+", name)
        assert (emb, sub, uni) == ("yes", "yes", "yes")


def installed_fangsong() -> list[str]:
    """The 仿宋 families fontconfig knows on this server (reports/FONTS.md: licensed fonts)."""
    found = []
    for family in ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"):
        listed = subprocess.run(
            ["fc-list", f":family={family}", "family"], capture_output=True, text=True, check=True
        )
        if listed.stdout.strip():
            found.append(family)
    return found


def test_cjk_text_is_set_in_the_chosen_open_fonts_not_a_fallback(sample_pdf, tmp_path):
    families = {row[0].split("+", 1)[1] for row in pdf_fonts(sample_pdf, tmp_path)}

    if installed_fangsong():
        # The body is set in the installed 仿宋 (its PDF name varies: FangSong, FangSong_GB2312).
        assert any("fang" in family.lower() for family in families), families
        return
    # 仿宋 body and 宋体 page numbers, 小标宋 title, 黑体 headings, 楷体 subheadings.
    assert families == {
        "Noto-Serif-CJK-SC",
        "Noto-Serif-CJK-SC-Bold",
        "Noto-Sans-CJK-SC",
        "LXGW-WenKai",
    }


def test_fonts_are_subset_with_harfbuzz():
    # libharfbuzz-subset0 is installed by `make install`; fontTools is many times slower.
    assert subsetter_in_use() == "harfbuzz"


def test_a_table_caption_stays_on_the_page_of_its_table(long_pdf):
    for page in text_of(long_pdf).split("\f"):
        if "上半年新签集体合同" in page:
            assert "签约单位" in page.split("上半年新签集体合同")[-1]


# --- layout (issue 14.7) -------------------------------------------------------------------------

LINE = 28.95  # the grid's line pitch, pt
CHAR = 16 - 0.21  # the grid's character pitch, pt


def body_lines(pdf: bytes) -> list[list[str]]:
    """Each page's lines as pdftotext -layout sets them, without the page number."""
    return [
        [line for line in page.splitlines() if line.strip() and not re.search(r"—\s*\d+\s*—", line)]
        for page in text_of(pdf, "-layout").split("\f")[:-1]
    ]


def counted(text: str) -> int:
    """Letters and digits, as a reader counts the characters on a line (not punctuation)."""
    return sum(ch.isalnum() for ch in text)


def contract_table(rows: int) -> Table:
    return Table(
        "上半年签订的集体合同",
        ("乡镇", "签约单位", "合同类型", "覆盖职工（人）", "签订日期", "建会率"),
        tuple(
            (
                "慈东镇",
                f"宁波市慈东镇第{n}精密机械制造有限公司",
                "工资专项（续签）",
                "1,234",
                f"5月{n % 20 + 10}日",
                "100.0%",
            )
            for n in range(1, rows + 1)
        ),
    )


def contract_document(rows: int) -> Document:
    """A summary of one section: the contract table with `rows` rows."""
    return Document(
        title="集体合同",
        issuer="慈东镇工会",
        date="2026年7月10日",
        sections=(Section("一、集体合同", (contract_table(rows),)),),
    )


def test_numbers_and_dates_in_table_cells_stay_on_one_line():
    pdf = render_pdf(contract_document(8))
    lines = ["".join(line.split()) for page in body_lines(pdf) for line in page]

    for value in ("100.0%", "1,234", "5月18日", "签订日期", "建会率"):
        assert any(value in line for line in lines), value


def test_a_cell_set_on_one_line_is_one_run_and_a_wrapping_cell_keeps_its_end_together():
    # The whole cell is unbroken (class doc-nowrap): spans inside it would only cost layout time.
    page = summary_html(contract_document(2))

    assert '<td class="doc-nowrap">100.0%</td>' in page
    assert '<td class="doc-nowrap">1,234</td>' in page
    assert '有限<span class="doc-keep">公司</span></td>' in page


def filler(lines: int) -> tuple[Paragraph, ...]:
    """Paragraphs filling `lines` lines of the grid (a 26-character first line and full ones)."""
    return tuple(Paragraph("国" * 54) for _ in range(lines // 2))


@pytest.mark.parametrize("before", range(4, 24, 2))
def test_a_split_table_carries_at_least_two_rows_and_its_header_to_the_new_page(before):
    document = Document(
        title="集体合同",
        issuer="慈东镇工会",
        date="2026年7月10日",
        opening=filler(before),
        sections=(Section("一、集体合同", (contract_table(12),)),),
    )
    pages = text_of(render_pdf(document)).split("\f")[:-1]

    holding = [page for page in pages if "精密" in page]
    for page in holding:
        assert page.count("精密") >= 2
    for page in holding[1:]:
        assert "签约单位" in page


def test_no_page_foot_stays_empty_beyond_three_lines_before_a_heading():
    # A table, then a heading, a two-line paragraph and a list whose first item (three lines)
    # cannot split: WeasyPrint's ul { break-before: avoid } used to drag the heading over and
    # leave about 58 mm empty (issue 14).
    item = "6月11日，开展集体合同履约情况检查，检查单位：宁波三友家电有限公司、慈溪佳和制衣有限公司"
    for before in range(6, 16, 1):
        document = Document(
            title="劳动法律监督",
            issuer="慈东镇工会",
            date="2026年7月10日",
            opening=filler(before),
            sections=(
                Section(
                    "二、维护职工合法权益",
                    (contract_table(4),),
                    subsections=(
                        Section(
                            "（三）劳动法律监督",
                            (
                                Paragraph(
                                    "上半年联合有关部门开展劳动法律监督和执法检查1次，同比减少1次。"
                                ),
                                BulletList((item, "8月3日，检查。")),
                            ),
                            level=2,
                        ),
                    ),
                ),
            ),
        )
        pages = pages_of_words(render_pdf(document))
        for page in pages[:-1]:
            body = [word for word in page if not is_page_number(word)]
            empty = PAGE_HEIGHT - BOTTOM - max(word.y_max for word in body)
            assert empty < 3.5 * LINE, (before, empty / LINE)


@pytest.mark.parametrize("length", [27, 55, 83, 54])
def test_no_paragraph_ends_on_a_line_of_one_character(length):
    # 26 characters on the first line and 28 on the next: 27, 55 and 83 leave one alone.
    text = "国" * (length - 1) + "人。"
    document = Document(
        title="孤字",
        issuer="慈东镇工会",
        date="2026年7月10日",
        opening=(Paragraph(text), Paragraph("其中参与职工活动143人")),
    )
    lines = [line.strip() for line in body_lines(render_pdf(document))[0]]
    for line in lines:
        assert counted(line) > 1, lines
    assert "".join("".join(lines).split()).count("国") == length - 1


def test_figures_in_body_text_are_never_broken():
    # The county roll-up printed "款项28." at the end of a line and "37万元" on the next.
    text = (
        "按结案时间统计，上半年协调解决信访和劳动争议17件（含此前受理的案件），"
        "为职工追回工资等款项28.37万元，办结率71.4%。"
    )
    ending = "为职工追回工资等款项28.37万元。"
    document = Document(
        title="数字",
        issuer="慈东镇工会",
        date="2026年7月10日",
        opening=tuple(Paragraph("国" * n + text) for n in range(28))
        + tuple(Paragraph("国" * n + ending) for n in range(28)),
    )
    lines = [line for page in body_lines(render_pdf(document)) for line in page]
    for line in lines:
        assert not re.search(r"(28\.?|71\.?|28\.3|71\.4)$", line.strip()), line
        # Nor by keeping a paragraph's last characters together ("37万元。" alone on a line).
        assert counted(line) > 1, line


def test_text_after_a_table_is_back_on_the_22_line_grid():
    table = Table(
        "两行的单元格",
        ("签约单位", "合同类型", "签订日期"),
        (
            (
                "宁波市慈东镇第一精密机械制造有限公司宁波市慈东镇第一精密机械制造有限公司",
                "综合",
                "3月18日",
            ),
            ("慈东镇工会", "工资专项", "4月9日"),
        ),
    )
    document = Document(
        title="网格",
        issuer="慈东镇工会",
        date="2026年7月10日",
        opening=(Paragraph("表前正文。"),),
        sections=(Section("一、表格", (table, Paragraph("表后正文。"))),),
    )
    words = pages_of_words(render_pdf(document))[0]
    before = next(w for w in words if w.text.startswith("表前"))
    after = next(w for w in words if w.text.startswith("表后"))

    lines = (after.y_min - before.y_min) / LINE
    assert lines == pytest.approx(round(lines), abs=0.03)


def test_the_annex_is_announced_under_the_body_before_the_signature():
    table = Table("指标", ("指标", "本期"), (("会员数（人）", "721"),))
    document = Document(
        title="总结",
        issuer="慈东镇工会",
        date="2026年7月1日",
        opening=(Paragraph("正文。"),),
        appendix=(
            Section("附件：主要指标", (table,)),
            Section("附件：各村工会名单", (Paragraph("略。"),)),
        ),
    )
    pdf = render_pdf(document)
    pages = text_of(pdf).split("\f")
    first = squeezed(pages[0])
    assert (
        first.index("正文。")
        < first.index("附件：1．指标2．各村工会名单")
        < first.index("慈东镇工会")
    )
    assert squeezed(pages[1]).startswith("附件1指标")
    assert squeezed(pages[2]).startswith("附件2各村工会名单")
    words = pages_of_words(pdf)
    note = next(w for w in words[0] if w.text.startswith("附件："))
    second = next(w for w in words[0] if w.text.startswith("2．"))
    assert note.x_min == pytest.approx(LEFT + 2 * CHAR, abs=1)  # 左空二字
    assert second.x_min == pytest.approx(LEFT + 5 * CHAR, abs=1)  # under the first name
    label = next(w for w in words[1] if w.text == "附件1")
    assert label.x_min == pytest.approx(LEFT, abs=1)  # 顶格
    assert label.y_min == pytest.approx(TOP, abs=3 * MM)  # first line


@pytest.mark.parametrize(
    ("issuer", "date"),
    [("慈东镇工会", "2026年7月10日"), ("慈溪县慈东镇总工会委员会", "2026年7月1日")],
)
def test_the_signature_is_laid_out_unsealed_per_gbt_9704_7352(issuer, date):
    document = Document(title="落款", issuer=issuer, date=date, opening=(Paragraph("正文。"),))
    words = pages_of_words(render_pdf(document))[0]
    signed = next(w for w in words if w.text == issuer)
    dated = next(w for w in words if w.text.replace(" ", "") == date)

    assert dated.x_min - signed.x_min == pytest.approx(2 * CHAR, abs=1)
    right_edge = PAGE_WIDTH - RIGHT - 2 * CHAR  # 右空二字 for the longer of the two
    assert max(signed.x_max, dated.x_max) == pytest.approx(right_edge, abs=2)
    assert dated.y_min - signed.y_min == pytest.approx(LINE, abs=1)


def test_a_traditional_summary_is_set_in_the_tc_faces(tmp_path):
    from reports.convert import to_traditional

    pdf = render_pdf(to_traditional(sample_document()))
    families = {row[0].split("+", 1)[1] for row in pdf_fonts(pdf, tmp_path)}

    assert {"Noto-Serif-CJK-TC", "Noto-Sans-CJK-TC", "Noto-Serif-CJK-TC-Bold"} <= families
    # Only the page numbers ("— 1 —") are still set in the Simplified face.
    assert "Noto-Sans-CJK-SC" not in families and "LXGW-WenKai" not in families


RENDER_IN_A_NEW_PROCESS = """
import sys
import django
django.setup()
from reports.document import Document, Paragraph
from reports.render_pdf import render_pdf
document = Document(title="标题", issuer="慈东镇工会", date="2026年7月1日",
                    opening=(Paragraph("正文用仿宋。"),))
sys.stdout.buffer.write(render_pdf(document))
"""


def test_an_installed_fangsong_face_sets_the_body_text(tmp_path):
    # A server where an office installed its licensed 仿宋 (reports/FONTS.md): fontconfig is
    # given a font named FangSong (LXGW WenKai renamed), and the body text is set in it.
    source = subprocess.run(
        ["fc-match", "-f", "%{file}", "LXGW WenKai"], capture_output=True, text=True, check=True
    ).stdout
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    fake = fonts / "fangsong.ttf"
    fake.write_bytes(Path(source).read_bytes())
    config = tmp_path / "fonts.conf"
    config.write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{tmp_path / "cache"}</cachedir>
  <match target="scan">
    <test name="file"><string>{fake}</string></test>
    <edit name="family" mode="assign_replace"><string>FangSong</string></edit>
    <edit name="postscriptname" mode="assign_replace"><string>FangSong</string></edit>
  </match>
</fontconfig>
"""
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "DEBUG": "1"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
    pdf = subprocess.run(
        [sys.executable, "-c", RENDER_IN_A_NEW_PROCESS],
        capture_output=True,
        check=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout

    families = {row[0].split("+", 1)[1] for row in pdf_fonts(pdf, tmp_path)}
    assert "FangSong" in families
    assert "正文用仿宋" in squeezed(text_of(pdf))


@pytest.mark.parametrize("lines", range(16, 24))
def test_the_annex_note_and_signature_never_stand_on_a_page_without_body_text(lines):
    # GB/T 9704 §7.3.5: a page holding only the 落款 is not allowed; the end of the body comes
    # over with it.
    table = Table("指标", ("指标", "本期"), (("会员数（人）", "721"),))
    document = Document(
        title="落款",
        issuer="慈东镇工会",
        date="2026年7月10日",
        opening=filler(lines),
        appendix=(Section("附件：主要指标", (table,)),),
    )
    pages = text_of(render_pdf(document)).split("\f")
    signed = next(page for page in pages if "2026年7月10日" in page)

    assert "国" in signed
    assert squeezed(signed).index("附件：指标") < squeezed(signed).index("慈东镇工会")
