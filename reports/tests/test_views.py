"""The work summary pages as staff, chairs, reviewers and other townships use them."""

import hashlib
import io
import re
import subprocess

import pytest
from django.urls import reverse
from docx import Document as open_docx

from members.models import Member
from reports.models import FinalSummary, SummaryNarrative
from unionportal.tests.factories import D

PAGE = reverse("reports:summary")
PREVIEW = reverse("reports:summary_preview")
DOWNLOAD = reverse("reports:summary_download")
FINALISE = reverse("reports:summary_finalise")


def login(client, user):
    client.force_login(user)
    return client


def narrative_post(township, **extra):
    data = {
        "period": "2026H1",
        "township": township.pk,
        "opening": "",
        "practices": "坚持党建带工建，推行“工会+”服务模式。",
        "shortcomings": "新就业形态劳动者入会率偏低。",
        "plans": "下半年重点推进快递、外卖行业建会。",
    }
    data.update(extra)
    return data


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def docx_text(data: bytes) -> str:
    word = open_docx(io.BytesIO(data))
    lines = [p.text for p in word.paragraphs]
    for table in word.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def test_staff_see_their_township_summary_with_figures(client, data, staff_a):
    response = login(client, staff_a).get(PAGE, {"period": "2026H1"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "慈东镇工会2026年上半年工作总结" in text
    assert "全镇共有基层工会3家、会员4人" in text
    assert "保存草稿" in text
    assert "定稿" not in text.split("已定稿的总结")[0].split("保存草稿")[1]


def test_staff_save_the_written_parts_and_they_appear_in_the_summary(client, data, staff_a):
    a, _ = data
    client = login(client, staff_a)
    response = client.post(PAGE, narrative_post(a))
    assert response.status_code == 302
    saved = SummaryNarrative.objects.get(township=a, period="2026H1")
    assert saved.plans == "下半年重点推进快递、外卖行业建会。"
    assert saved.updated_by == staff_a
    page = client.get(PAGE, {"period": "2026H1"}).content.decode()
    assert "七、主要做法和经验" in page
    assert "下半年重点推进快递、外卖行业建会。" in page


def test_live_preview_escapes_what_staff_type_and_saves_nothing(client, data, staff_a):
    a, _ = data
    hostile = '<img src="file:///etc/passwd"><script>alert(1)</script>'
    response = login(client, staff_a).post(PREVIEW, narrative_post(a, plans=hostile))
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>" not in body and "<img" not in body
    assert not SummaryNarrative.objects.exists()


def test_reviewer_reads_but_cannot_save(client, data, reviewer):
    a, b = data
    client = login(client, reviewer)
    page = client.get(PAGE, {"period": "2026H1", "township": b.pk})
    assert page.status_code == 200
    assert "西山乡工会2026年上半年工作总结" in page.content.decode()
    assert "保存草稿" not in page.content.decode()
    assert client.post(PAGE, narrative_post(a)).status_code == 403
    assert client.post(FINALISE, {"period": "2026H1", "township": a.pk}).status_code == 403
    assert not SummaryNarrative.objects.exists()
    assert not FinalSummary.objects.exists()


def test_other_township_gets_404_on_every_summary_url(client, data, staff_b):
    a, _ = data
    client = login(client, staff_b)
    assert client.get(PAGE, {"period": "2026H1", "township": a.pk}).status_code == 404
    assert client.post(PAGE, narrative_post(a)).status_code == 404
    assert client.post(PREVIEW, narrative_post(a)).status_code == 404
    assert client.get(DOWNLOAD, {"period": "2026H1", "township": a.pk}).status_code == 404
    assert client.post(FINALISE, {"period": "2026H1", "township": a.pk}).status_code == 404
    assert not SummaryNarrative.objects.exists()


def test_other_county_reviewer_cannot_open_the_townships(client, data, other_reviewer):
    a, _ = data
    response = login(client, other_reviewer).get(PAGE, {"period": "2026H1", "township": a.pk})
    assert response.status_code == 404


def test_a_bad_period_is_a_message_on_the_page_not_a_404(client, data, staff_a):
    response = login(client, staff_a).get(PAGE, {"period": "2026H3"})
    assert response.status_code == 200
    assert "无法识别期间“2026H3”" in response.content.decode()


def test_pdf_and_docx_state_the_same_figures(client, data, staff_a):
    client = login(client, staff_a)
    pdf = client.get(DOWNLOAD, {"period": "2026H1", "format": "pdf"})
    docx = client.get(DOWNLOAD, {"period": "2026H1", "format": "docx"})
    assert pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    pdf_words = re.sub(r"\s+", "", pdf_text(pdf.content))
    docx_words = re.sub(r"\s+", "", docx_text(docx.content))
    for figure in [
        "基层工会3家",
        "建会率25%",
        "办结率50%",
        "5.8万元",
        "收缴率62.5%",
        "慈东镇工会2026年上半年工作总结",
    ]:
        assert figure in pdf_words
        assert figure in docx_words
    # Every figure of one is in the other (page numbers aside, which DOCX keeps as fields).
    figures_pdf = {n for n in re.findall(r"\d+(?:\.\d+)?%?", pdf_text(pdf.content)) if len(n) > 1}
    figures_docx = {
        n for n in re.findall(r"\d+(?:\.\d+)?%?", docx_text(docx.content)) if len(n) > 1
    }
    assert figures_pdf == figures_docx


def test_traditional_download(client, data, staff_a):
    response = login(client, staff_a).get(
        DOWNLOAD, {"period": "2026H1", "format": "docx", "lang": "zh-hant"}
    )
    assert "慈東鎮工會2026年上半年工作總結" in docx_text(response.content)


def test_chair_finalises_and_the_files_never_change(client, data, chair_a, staff_a):
    a, _ = data
    client = login(client, chair_a)
    response = client.post(FINALISE, {"period": "2026H1", "township": a.pk})
    assert response.status_code == 302
    final = FinalSummary.objects.get()
    assert final.version == 1 and final.finalised_by == chair_a
    assert hashlib.sha256(bytes(final.pdf)).hexdigest() == final.pdf_sha256
    pdf_before = client.get(reverse("reports:final_download", args=[final.pk, "pdf"])).content
    docx_before = client.get(reverse("reports:final_download", args=[final.pk, "docx"])).content
    assert hashlib.sha256(pdf_before).hexdigest() == final.pdf_sha256
    # the records change afterwards
    Member.objects.filter(township=a).update(joined_on=D(2019, 1, 1))
    live = docx_text(client.get(DOWNLOAD, {"period": "2026H1", "format": "docx"}).content)
    assert "新发展会员" not in live.split("附件")[0] or "新发展会员2人" not in live
    pdf_after = client.get(reverse("reports:final_download", args=[final.pk, "pdf"])).content
    docx_after = client.get(reverse("reports:final_download", args=[final.pk, "docx"])).content
    assert (pdf_after, docx_after) == (pdf_before, docx_before)
    assert "新发展会员2人" in docx_text(docx_after)


def test_staff_cannot_finalise(client, data, staff_a):
    a, _ = data
    response = login(client, staff_a).post(FINALISE, {"period": "2026H1", "township": a.pk})
    assert response.status_code == 403
    assert not FinalSummary.objects.exists()


def test_finalised_files_of_another_township_are_404(client, data, chair_a, staff_b, reviewer):
    a, _ = data
    login(client, chair_a).post(FINALISE, {"period": "2026H1", "township": a.pk})
    final = FinalSummary.objects.get()
    url = reverse("reports:final_download", args=[final.pk, "pdf"])
    assert login(client, staff_b).get(url).status_code == 404
    assert login(client, reviewer).get(url).status_code == 200


def test_county_summary_for_reviewers_only(client, data, reviewer, staff_a):
    response = login(client, reviewer).get(reverse("reports:county_summary"), {"period": "2026H1"})
    assert response.status_code == 200
    assert "慈溪县总工会2026年上半年工作总结" in response.content.decode()
    assert "各乡镇主要指标" in response.content.decode()
    download = client.get(
        reverse("reports:county_summary_download"), {"period": "2026H1", "format": "docx"}
    )
    assert "各乡镇主要指标" in docx_text(download.content)
    staff = login(client, staff_a).get(reverse("reports:county_summary"), {"period": "2026H1"})
    assert staff.status_code == 403


@pytest.mark.parametrize("url", [PAGE, DOWNLOAD])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
