"""Case pages: the workflow, the overdue flag, attachments, and who may see and change what."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disputes.models import Case, CaseAttachment, CaseStatus
from unionportal import clock
from unionportal.tests.factories import form_values, make_case, make_employer, page_text

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def today() -> datetime.date:
    return clock.today()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def case_post(**extra) -> dict:
    data = {
        "number": "CD-2026-007",
        "received_on": days_ago(3).isoformat(),
        "channel": "visit",
        "petitioner": "王建国等12人",
        "people_involved": "12",
        "employer": "",
        "category": "wages",
        "amount_involved": "36000",
        "handling": "mediation",
        "summary": "拖欠三个月工资",
    }
    data.update(extra)
    return data


def close_post(case: Case, **extra) -> dict:
    data = {
        "status": CaseStatus.RESOLVED,
        "closed_on": today().isoformat(),
        "amount_recovered": "30000",
        "version": str(case.version),
    }
    data.update(extra)
    return data


# Staff: add, list, detail, edit, delete


def test_staff_registers_a_case_with_an_employer_of_their_township(client, staff_a, township_a):
    employer = make_employer(township_a, name="慈东精密机械厂")
    client.force_login(staff_a)

    r = client.post(reverse("disputes:case_create"), case_post(employer=str(employer.pk)))

    case = Case.objects.get()
    assert r.status_code == 302
    assert (case.township, case.employer, case.status) == (township_a, employer, CaseStatus.OPEN)
    detail = page_text(client.get(reverse("disputes:case_detail", args=[case.pk])))
    assert "慈东精密机械厂" in detail and "处理中" in detail and "办结" in detail


def test_an_employer_of_another_township_cannot_be_chosen(client, staff_a, township_b):
    other = make_employer(township_b)
    client.force_login(staff_a)

    r = client.post(reverse("disputes:case_create"), case_post(employer=str(other.pk)))

    assert r.status_code == 200
    assert "所选记录不存在或不属于本乡镇" in page_text(r)
    assert not Case.objects.exists()


def test_a_case_number_already_used_in_the_township_is_refused(client, staff_a, township_a):
    make_case(township_a, number="CD-2026-007")
    client.force_login(staff_a)

    r = client.post(reverse("disputes:case_create"), case_post())

    assert "本乡镇已有编号为“CD-2026-007”的信访案件。" in page_text(r)
    assert Case.objects.count() == 1


def test_list_searches_filters_and_keeps_the_filters_in_the_url(client, staff_a, township_a):
    make_case(township_a, number="CD-1", petitioner="王建国", category="wages")
    make_case(township_a, number="CD-2", petitioner="李秀兰", category="injury")
    client.force_login(staff_a)
    url = reverse("disputes:case_list")

    by_name = page_text(client.get(url, {"q": "秀兰"}))
    by_category = page_text(client.get(url, {"category": "injury"}))

    assert "李秀兰" in by_name and "王建国" not in by_name
    assert "李秀兰" in by_category and "王建国" not in by_category
    assert "符合条件的信访案件 1 条" in by_category


def test_editing_a_case_is_in_its_history(client, staff_a, township_a):
    case = make_case(township_a, petitioner="王建国")
    client.force_login(staff_a)

    r = client.post(
        reverse("disputes:case_update", args=[case.pk]),
        case_post(number=case.number, petitioner="王建国等3人", version=str(case.version)),
    )

    assert r.status_code == 302
    detail = page_text(client.get(reverse("disputes:case_detail", args=[case.pk])))
    assert "诉求人：王建国 → 王建国等3人" in detail


def test_deleting_a_case_removes_its_attachment_files(
    client, staff_a, township_a, private_files, django_capture_on_commit_callbacks
):
    case = make_case(township_a)
    client.force_login(staff_a)
    client.post(
        reverse("disputes:attachment_upload", args=[case.pk]),
        {"file": SimpleUploadedFile("信.pdf", PDF, "application/pdf")},
    )
    name = CaseAttachment.objects.get().file.name
    assert private_files.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("disputes:case_delete", args=[case.pk]))

    assert r.status_code == 302
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()
    assert not private_files.exists(name)


# The workflow: 处理中 → 已解决 / 转仲裁 / 不予受理


@pytest.mark.parametrize("status", ["resolved", "arbitration", "rejected"])
def test_closing_a_case_records_outcome_date_and_amount(client, staff_a, township_a, status):
    case = make_case(township_a, received_on=days_ago(10))
    client.force_login(staff_a)

    r = client.post(
        reverse("disputes:case_close", args=[case.pk]), close_post(case, status=status), follow=True
    )

    case.refresh_from_db()
    assert (case.status, case.closed_on, case.amount_recovered) == (
        status,
        today(),
        Decimal("30000"),
    )
    text = page_text(r)
    assert "已办结" in text
    assert "状态：处理中 → " + CaseStatus(status).label in text
    assert "追回金额（元）：（空） → 30,000.00" in text


def test_closing_needs_a_date(client, staff_a, township_a):
    case = make_case(township_a, received_on=days_ago(10))
    client.force_login(staff_a)

    r = client.post(reverse("disputes:case_close", args=[case.pk]), close_post(case, closed_on=""))

    assert "请填写结案日期。" in page_text(r)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


@pytest.mark.parametrize(
    "closed_on, message",
    [
        (lambda: days_ago(11), "结案日期不能早于受理日期"),
        (lambda: today() + datetime.timedelta(days=1), "结案日期不能晚于今天。"),
    ],
)
def test_closing_date_lies_between_receiving_and_today(
    client, staff_a, township_a, closed_on, message
):
    case = make_case(township_a, received_on=days_ago(10))
    client.force_login(staff_a)

    r = client.post(
        reverse("disputes:case_close", args=[case.pk]),
        close_post(case, closed_on=closed_on().isoformat()),
    )

    assert message in page_text(r)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_amount_recovered_cannot_be_negative(client, staff_a, township_a):
    case = make_case(township_a, received_on=days_ago(10))
    client.force_login(staff_a)

    r = client.post(
        reverse("disputes:case_close", args=[case.pk]), close_post(case, amount_recovered="-1")
    )

    assert "追回金额不能为负数。" in page_text(r)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.amount_recovered is None


def test_closing_needs_an_outcome_other_than_open(client, staff_a, township_a):
    case = make_case(township_a, received_on=days_ago(10))
    client.force_login(staff_a)

    r = client.post(reverse("disputes:case_close", args=[case.pk]), close_post(case, status="open"))

    assert "请选择办结结果。" in page_text(r)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_a_stale_close_says_who_saved_and_the_form_as_shown_then_goes_through(
    client, staff_a, chair_a, township_a
):
    case = make_case(township_a, received_on=days_ago(10), petitioner="王建国")
    url = reverse("disputes:case_close", args=[case.pk])
    client.force_login(staff_a)
    opened = form_values(client.get(url))
    # The chair corrects the petitioner while the close form is open.
    client.force_login(chair_a)
    edit = case_post(number=case.number, received_on=days_ago(10).isoformat())
    edited = client.post(
        reverse("disputes:case_update", args=[case.pk]),
        {**edit, "petitioner": "王建国等3人", "version": 1},
    )
    assert edited.status_code == 302
    client.force_login(staff_a)

    refused = client.post(url, {**opened, "status": CaseStatus.RESOLVED, "amount_recovered": "500"})

    assert refused.status_code == 409
    assert "修改，您的修改未保存。请核对后重新提交。" in page_text(refused)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    again = form_values(refused)
    assert (again["status"], again["amount_recovered"]) == (CaseStatus.RESOLVED, "500")

    sent = client.post(url, again)

    assert sent.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.amount_recovered, case.petitioner, case.version) == (
        CaseStatus.RESOLVED,
        Decimal("500"),
        "王建国等3人",
        3,
    )


def test_a_closed_case_is_not_closed_again(client, staff_a, township_a):
    case = make_case(
        township_a, received_on=days_ago(10), status=CaseStatus.RESOLVED, closed_on=days_ago(2)
    )
    client.force_login(staff_a)

    r = client.post(reverse("disputes:case_close", args=[case.pk]), close_post(case), follow=True)

    assert "无需再次结案" in page_text(r)
    case.refresh_from_db()
    assert case.closed_on == days_ago(2)


def test_a_closed_cases_outcome_can_be_corrected_in_the_edit_form(client, staff_a, township_a):
    case = make_case(
        township_a,
        received_on=days_ago(10),
        status=CaseStatus.RESOLVED,
        closed_on=days_ago(2),
        amount_recovered=Decimal("3000"),
    )
    client.force_login(staff_a)
    url = reverse("disputes:case_update", args=[case.pk])
    fields = case_post(number=case.number, received_on=days_ago(10).isoformat())

    too_early = client.post(
        url,
        {**fields, **close_post(case, closed_on=days_ago(11).isoformat(), status="resolved")},
    )
    assert "结案日期不能早于受理日期。" in page_text(too_early)
    corrected = client.post(url, {**fields, **close_post(case, amount_recovered="3500")})

    assert corrected.status_code == 302
    case.refresh_from_db()
    assert case.amount_recovered == Decimal("3500")


def test_an_open_cases_edit_form_does_not_close_it(client, staff_a, township_a):
    case = make_case(township_a, received_on=days_ago(10))
    client.force_login(staff_a)

    r = client.post(
        reverse("disputes:case_update", args=[case.pk]),
        {**case_post(number=case.number), **close_post(case)},
    )

    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.OPEN, None)


# The overdue flag: open and received more than 30 days ago


def test_open_cases_older_than_30_days_are_flagged_on_the_list(client, staff_a, township_a):
    make_case(township_a, number="OLD", received_on=days_ago(31))
    make_case(township_a, number="EDGE", received_on=days_ago(30))
    make_case(
        township_a,
        number="DONE",
        received_on=days_ago(90),
        status=CaseStatus.RESOLVED,
        closed_on=days_ago(80),
    )
    client.force_login(staff_a)

    everything = client.get(reverse("disputes:case_list"))
    overdue = page_text(
        client.get(reverse("disputes:case_list"), {"status": "open", "overdue": "1"})
    )

    assert page_text(everything).count("超过30天未办结") == 1 + 1  # the row and the filter option
    assert "OLD" in overdue and "EDGE" not in overdue and "DONE" not in overdue


def test_home_page_flags_overdue_cases_per_township(
    client, staff_a, reviewer, township_a, township_b
):
    make_case(township_a, received_on=days_ago(45))
    make_case(township_a, received_on=days_ago(40))
    make_case(township_b, received_on=days_ago(60))
    make_case(township_b, received_on=days_ago(5))

    client.force_login(staff_a)
    staff_home = client.get(reverse("home"))
    client.force_login(reviewer)
    reviewer_home = client.get(reverse("home"))

    assert "本乡镇有 2 件信访案件受理超过30天仍在处理中" in page_text(staff_home)
    assert "?status=open&amp;overdue=1" in staff_home.content.decode()
    text = page_text(reviewer_home)
    assert "慈东镇：2 件超过30天未办结" in text and "西山乡：1 件超过30天未办结" in text
    assert f"?township={township_b.pk}&amp;status=open&amp;overdue=1" in (
        reviewer_home.content.decode()
    )


def test_home_page_says_nothing_when_no_case_is_overdue(client, staff_a, township_a):
    make_case(township_a, received_on=days_ago(5))
    client.force_login(staff_a)

    assert "超过30天" not in page_text(client.get(reverse("home")))


# Attachments


def _upload(client, case, name: str, content: bytes, content_type: str = "image/jpeg"):
    return client.post(
        reverse("disputes:attachment_upload", args=[case.pk]),
        {"file": SimpleUploadedFile(name, content, content_type)},
        follow=True,
    )


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("现场照片.jpg", JPEG, "image/jpeg"),
        ("来信扫描.pdf", PDF, "application/pdf"),
        ("截图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "image/png"),
        ("动图.gif", b"GIF89a" + b"\x00" * 50, "image/gif"),
        ("照片.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 50, "image/webp"),
    ],
)
def test_images_and_pdfs_are_attached_and_served_to_the_township(
    client, staff_a, township_a, private_files, name, content, content_type
):
    case = make_case(township_a)
    client.force_login(staff_a)

    r = _upload(client, case, name, content, "application/octet-stream")

    attachment = CaseAttachment.objects.get()
    assert f"已上传附件“{name}”" in page_text(r)
    assert attachment.content_type == content_type
    # Stored under a random name, not the sender's.
    assert name not in attachment.file.name and attachment.file.name.startswith("attachments/")
    assert private_files.exists(attachment.file.name)
    download = client.get(reverse("disputes:attachment_download", args=[case.pk, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == content_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("inline; filename")
    assert ("sandbox" in download.get("Content-Security-Policy", "")) == (
        content_type != "application/pdf"
    )


def test_an_exe_renamed_jpg_is_refused(client, staff_a, township_a):
    case = make_case(township_a)
    client.force_login(staff_a)

    r = _upload(client, case, "照片.jpg", EXE, "image/jpeg")

    assert "不是允许的类型" in page_text(r)
    assert not CaseAttachment.objects.exists()


def test_a_file_over_10_mb_is_refused(client, staff_a, township_a, private_files):
    case = make_case(township_a)
    client.force_login(staff_a)
    big = JPEG + b"\x00" * (11 * 1024 * 1024)

    r = _upload(client, case, "大照片.jpg", big)

    assert "超过了 10 MB 的上限" in page_text(r)
    assert not CaseAttachment.objects.exists()
    assert not private_files.exists("attachments") or not any(
        private_files.listdir("attachments/caseattachment")[1]
    )


def test_a_file_of_exactly_10_mb_is_accepted(client, staff_a, township_a):
    case = make_case(township_a)
    client.force_login(staff_a)
    content = JPEG + b"\x00" * (10 * 1024 * 1024 - len(JPEG))

    _upload(client, case, "整10MB.jpg", content)

    assert CaseAttachment.objects.get().size == 10 * 1024 * 1024


def test_staff_delete_an_attachment(client, staff_a, township_a, private_files):
    case = make_case(township_a)
    client.force_login(staff_a)
    _upload(client, case, "照片.jpg", JPEG)
    attachment = CaseAttachment.objects.get()

    r = client.post(
        reverse("disputes:attachment_delete", args=[case.pk, attachment.pk]), follow=True
    )

    assert "已删除附件“照片.jpg”" in page_text(r)
    assert not CaseAttachment.objects.exists()


# Other townships and reviewers


def _case_with_attachment(township, user, client) -> tuple[Case, CaseAttachment]:
    case = make_case(township, received_on=days_ago(10), petitioner="王建国")
    client.force_login(user)
    _upload(client, case, "照片.jpg", JPEG)
    return case, CaseAttachment.objects.get()


ID_URLS = [
    "case_detail",
    "case_update",
    "case_delete",
    "case_close",
    "attachment_upload",
    "attachment_download",
    "attachment_delete",
]


def _url(name: str, case: Case, attachment: CaseAttachment) -> str:
    args = (
        [case.pk, attachment.pk]
        if name in ("attachment_download", "attachment_delete")
        else [case.pk]
    )
    return reverse(f"disputes:{name}", args=args)


@pytest.mark.parametrize("name", ID_URLS)
def test_other_township_gets_404_and_nothing_changes(client, staff_a, staff_b, township_a, name):
    case, attachment = _case_with_attachment(township_a, staff_a, client)
    client.force_login(staff_b)
    url = _url(name, case, attachment)

    assert client.get(url).status_code in (404, 405)
    posted = {**case_post(), **close_post(case), "file": SimpleUploadedFile("a.jpg", JPEG)}
    assert client.post(url, posted).status_code == 404
    case.refresh_from_db()
    assert (case.status, case.petitioner, case.version) == (CaseStatus.OPEN, "王建国", 1)
    assert CaseAttachment.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["case_update", "case_delete", "case_close", "attachment_upload", "attachment_delete"]
)
def test_reviewer_writes_are_refused(client, staff_a, reviewer, township_a, name):
    case, attachment = _case_with_attachment(township_a, staff_a, client)
    client.force_login(reviewer)

    posted = {**case_post(), **close_post(case), "file": SimpleUploadedFile("a.jpg", JPEG)}
    assert client.post(_url(name, case, attachment), posted).status_code == 403
    assert client.post(reverse("disputes:case_create"), case_post()).status_code == 403
    case.refresh_from_db()
    assert (case.status, case.version) == (CaseStatus.OPEN, 1)
    assert Case.objects.count() == 1 and CaseAttachment.objects.count() == 1


def test_reviewer_reads_cases_and_attachments_without_controls(
    client, staff_a, reviewer, other_reviewer, township_a
):
    case, attachment = _case_with_attachment(township_a, staff_a, client)
    client.force_login(reviewer)

    detail = client.get(reverse("disputes:case_detail", args=[case.pk]))
    html = detail.content.decode()

    assert detail.status_code == 200
    assert "照片.jpg" in html
    for name in ("case_update", "case_delete", "case_close", "attachment_upload"):
        assert f'"{reverse(f"disputes:{name}", args=[case.pk])}"' not in html
    assert "上传附件" not in html
    url = reverse("disputes:attachment_download", args=[case.pk, attachment.pk])
    assert client.get(url).status_code == 200
    client.force_login(other_reviewer)
    assert client.get(url).status_code == 404


def test_reviewer_list_has_a_township_filter(client, reviewer, township_a, township_b):
    make_case(township_a, petitioner="王建国")
    make_case(township_b, petitioner="钱多多")
    client.force_login(reviewer)

    only_b = page_text(client.get(reverse("disputes:case_list"), {"township": township_b.pk}))

    assert "钱多多" in only_b and "王建国" not in only_b
    assert "登记信访案件" not in only_b


# A fixed number of queries whatever the page size


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_list_and_detail_query_counts_do_not_grow(
    client, request, township_a, role, django_assert_max_num_queries
):
    employer = make_employer(township_a)
    client.force_login(request.getfixturevalue(role))
    for n in (3, 60):
        for i in range(n):
            make_case(township_a, employer=employer if i % 2 else None, received_on=days_ago(i))
        case = Case.objects.filter(employer__isnull=False).first()
        CaseAttachment.objects.create(
            case=case,
            file="attachments/x.jpg",
            original_name="x.jpg",
            content_type="image/jpeg",
            size=3,
        )
        # 10 when the total is counted (data tokens, count, tokens again: unionportal/kept.py).
        with django_assert_max_num_queries(10):
            assert client.get(reverse("disputes:case_list")).status_code == 200
        with django_assert_max_num_queries(8):  # seen again: the total kept, as before
            assert client.get(reverse("disputes:case_list")).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(reverse("disputes:case_detail", args=[case.pk])).status_code == 200
