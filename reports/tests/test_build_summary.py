"""`manage.py build_summary` (spec/cli.md) uses the same code as the browser."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document as open_docx

from reports.models import SummaryNarrative


def test_builds_a_township_docx_with_the_saved_narrative(data, tmp_path):
    a, _ = data
    SummaryNarrative.objects.create(township=a, period="2026H1", plans="推进快递行业建会。")
    out = tmp_path / "summary.docx"
    call_command("build_summary", township=a.code, period="2026H1", fmt="docx", out=str(out))
    text = "\n".join(p.text for p in open_docx(out).paragraphs)
    assert "慈东镇工会2026年上半年工作总结" in text
    assert "推进快递行业建会。" in text
    assert [p.name for p in tmp_path.iterdir()] == ["summary.docx"]


def test_takes_a_period_as_people_write_it(data, tmp_path):
    a, _ = data
    out = tmp_path / "summary.docx"
    call_command("build_summary", township=a.code, period="2026年1-6月", fmt="docx", out=str(out))
    text = "\n".join(p.text for p in open_docx(out).paragraphs)
    assert "慈东镇工会2026年1—6月工作总结" in text


def test_builds_the_county_roll_up_as_pdf(data, county, tmp_path):
    out = tmp_path / "county.pdf"
    call_command("build_summary", county=county.name, period="2026", fmt="pdf", out=str(out))
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True).stdout
    assert "慈溪县总工会2026年度工作总结" in text.decode().replace("\n", "")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"township": "nowhere", "period": "2026H1"}, "找不到代码为“nowhere”的乡镇工会"),
        ({"county": "无此县", "period": "2026H1"}, "找不到名为“无此县”的县总工会"),
        ({"township": "cidong", "period": "2026H3"}, "无法识别期间“2026H3”"),
    ],
)
def test_invalid_input_exits_1_with_a_chinese_message_and_writes_nothing(
    data, tmp_path, options, message
):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError) as exc:
        call_command("build_summary", fmt="pdf", out=str(out), **options)
    assert exc.value.returncode == 1
    assert message in str(exc.value)
    assert list(tmp_path.iterdir()) == []


def test_wrong_usage_exits_2():
    result = subprocess.run(
        [sys.executable, "manage.py", "build_summary", "--format", "pdf"],
        capture_output=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert result.returncode == 2
