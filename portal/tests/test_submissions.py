"""Submitting summaries (报送): the chair submits a finalised summary, the county returns it with a
remark or receives it, every step kept; the county's page, overdue marks and the zip."""

import datetime
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import Submission, SubmissionDeadline, SubmissionStep
from reports.models import FinalSummary, SummaryNarrative
from unionportal import clock
from unionportal.models import Township
from unionportal.tests.factories import page_text

PERIOD = "2026H1"


def final(township, user, version=1, period=PERIOD) -> FinalSummary:
    return FinalSummary.objects.create(
        township=township,
        period=period,
        version=version,
        title=f"{township.name}工会2026年上半年工作总结",
        pdf=f"%PDF-1.4 v{version}".encode(),
        docx=f"PK docx v{version}".encode(),
        pdf_sha256="0" * 64,
        docx_sha256="0" * 64,
        finalised_by=user,
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def july(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: datetime.date(2026, 7, 10))


def submit(client, township, period=PERIOD):
    return client.post(reverse("submissions:submit"), {"period": period, "township": township.pk})


def county_page(client, period=PERIOD) -> str:
    response = client.get(reverse("submissions:county") + f"?period={period}")
    assert response.status_code == 200
    return page_text(response)


def test_submit_return_resubmit_receive_keeps_every_step(chair_a, reviewer, township_a):
    final(township_a, chair_a)
    chair, county = client_for(chair_a), client_for(reviewer)

    submit(chair, township_a)
    submission = Submission.objects.get(township=township_a, period=PERIOD)
    assert submission.get_state_display() == "已报送"
    county.post(
        reverse("submissions:review", kwargs={"pk": submission.pk}),
        {"action": "return", "remark": "请补充农民工入会情况"},
    )
    submission.refresh_from_db()
    assert submission.get_state_display() == "已退回"
    home = page_text(chair.get(reverse("home")))
    assert "请补充农民工入会情况" in home
    summary = page_text(chair.get(reverse("reports:summary") + f"?period={PERIOD}"))
    assert "请补充农民工入会情况" in summary and "已退回" in summary

    # The same version again is refused: revise and finalise first.
    submit(chair, township_a)
    submission.refresh_from_db()
    assert submission.get_state_display() == "已退回"
    second = final(township_a, chair_a, version=2)
    submit(chair, township_a)
    submission.refresh_from_db()
    assert submission.get_state_display() == "已报送"
    assert submission.final == second
    county.post(reverse("submissions:review", kwargs={"pk": submission.pk}), {"action": "receive"})
    submission.refresh_from_db()
    assert submission.get_state_display() == "已接收"
    assert "请补充农民工入会情况" not in page_text(chair.get(reverse("home")))
    steps = list(SubmissionStep.objects.filter(submission=submission))
    assert [(s.action, s.by.username, s.final.version) for s in steps] == [
        ("submit", "chair_a", 1),
        ("return", "reviewer", 1),
        ("submit", "chair_a", 2),
        ("receive", "reviewer", 2),
    ]
    assert steps[1].remark == "请补充农民工入会情况"


def test_a_return_needs_a_remark(chair_a, reviewer, township_a):
    final(township_a, chair_a)
    submit(client_for(chair_a), township_a)
    submission = Submission.objects.get()

    client_for(reviewer).post(
        reverse("submissions:review", kwargs={"pk": submission.pk}),
        {"action": "return", "remark": "  "},
    )

    submission.refresh_from_db()
    assert submission.get_state_display() == "已报送"


def test_nothing_finalised_cannot_be_submitted(chair_a, township_a):
    response = submit(client_for(chair_a), township_a)

    assert response.status_code == 302
    assert not Submission.objects.exists()


def test_the_county_page_shows_each_townships_state_and_overdue_ones(
    chair_a, staff_b, reviewer, county, township_a, township_b
):
    c = Township.objects.create(code="c", name="丙镇", county=county)
    Township.objects.create(code="d", name="丁乡", county=county)
    final(township_a, chair_a)
    submit(client_for(chair_a), township_a)
    final(township_b, staff_b)
    SummaryNarrative.objects.create(township=c, period=PERIOD, practices="写了一点")
    county = client_for(reviewer)
    county.post(
        reverse("submissions:county"),
        {"period": PERIOD, "county": township_a.county_id, "due_on": "2026-07-05"},
    )
    assert SubmissionDeadline.objects.get().due_on == datetime.date(2026, 7, 5)

    text = county_page(county)

    assert "慈东镇 已报送" in text
    assert "西山乡 已定稿 逾期" in text
    assert "丙镇 草稿 逾期" in text
    assert "丁乡 未开始 逾期" in text
    assert "慈东镇 已报送 逾期" not in text
    assert "逾期未报送 3 个" in text


def test_the_county_page_runs_a_fixed_number_of_queries(
    django_assert_max_num_queries, chair_a, reviewer, county, township_a
):
    for n in range(6):
        t = Township.objects.create(code=f"t{n}", name=f"镇{n}", county=county)
        final(t, chair_a)
    final(township_a, chair_a)
    submit(client_for(chair_a), township_a)
    client = client_for(reviewer)

    with django_assert_max_num_queries(12):
        client.get(reverse("submissions:county") + f"?period={PERIOD}")


def test_download_all_is_one_zip_of_the_submitted_files(
    chair_a, staff_b, reviewer, township_a, township_b
):
    final(township_a, chair_a)
    final(township_b, staff_b)  # finalised but not submitted: not in the zip
    submit(client_for(chair_a), township_a)

    response = client_for(reviewer).get(reverse("submissions:download_all") + f"?period={PERIOD}")

    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == [
        "慈东镇/慈东镇工会2026年上半年工作总结（定稿第1版）.docx",
        "慈东镇/慈东镇工会2026年上半年工作总结（定稿第1版）.pdf",
    ]


def test_a_reviewer_changes_no_township_record_and_township_users_cannot_review(
    chair_a, staff_a, reviewer, township_a
):
    final(township_a, chair_a)
    submit(client_for(chair_a), township_a)
    submission = Submission.objects.get()
    url = reverse("submissions:review", kwargs={"pk": submission.pk})

    assert client_for(staff_a).post(url, {"action": "receive"}).status_code == 403
    assert client_for(chair_a).post(url, {"action": "receive"}).status_code == 403
    assert (
        client_for(reviewer)
        .post(
            submit_url := reverse("submissions:submit"),
            {"period": PERIOD, "township": township_a.pk},
        )
        .status_code
        == 403
    )
    assert submit_url
    assert client_for(staff_a).get(reverse("submissions:county")).status_code == 403


def test_other_township_and_other_county_get_404(
    chair_a, staff_b, other_reviewer, township_a, township_b
):
    final(township_a, chair_a)
    submit(client_for(chair_a), township_a)
    submission = Submission.objects.get()
    url = reverse("submissions:review", kwargs={"pk": submission.pk})

    assert client_for(staff_b).post(url, {"action": "receive"}).status_code == 404
    assert client_for(other_reviewer).post(url, {"action": "receive"}).status_code == 404
    assert submit(client_for(staff_b), township_a).status_code == 404
    zipped = client_for(other_reviewer).get(reverse("submissions:download_all"))
    assert zipfile.ZipFile(io.BytesIO(zipped.content)).namelist() == []
    submission.refresh_from_db()
    assert submission.get_state_display() == "已报送"
