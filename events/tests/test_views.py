"""Event pages: participating units linked by name, attachments, and who may see and change what."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Event, EventAttachment, EventCategory
from unionportal.attachments import MAX_ATTACHMENT_BYTES, CappedTemporaryFileUploadHandler
from unionportal.tests.factories import make_employer, make_event, make_union, page_text

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def event_post(**extra) -> dict:
    data = {
        "title": "2026年“安康杯”知识竞赛",
        "starts_on": "2026-04-10",
        "ends_on": "",
        "category": EventCategory.SAFETY,
        "organiser": "镇总工会",
        "participants": "120",
        "participating_units": "慈东精密机械厂工会、宏达纺织有限公司;不在册的合作社",
        "media": "",
        "description": "",
    }
    data.update(extra)
    return data


def test_units_named_in_participating_units_are_linked_and_the_text_kept(
    client, staff_a, township_a, township_b
):
    union = make_union(township_a, name="慈东精密机械厂工会")
    employer = make_employer(township_a, name="宏达纺织有限公司")
    make_employer(township_b, name="不在册的合作社")  # another township's: never linked
    client.force_login(staff_a)

    r = client.post(reverse("events:event_create"), event_post())

    event = Event.objects.get()
    assert r.status_code == 302
    assert event.participating_units == "慈东精密机械厂工会、宏达纺织有限公司;不在册的合作社"
    assert list(event.unions.all()) == [union]
    assert list(event.employers.all()) == [employer]
    detail = page_text(client.get(reverse("events:event_detail", args=[event.pk])))
    assert "已关联的基层工会 慈东精密机械厂工会" in detail
    assert "已关联的单位 宏达纺织有限公司" in detail
    assert "未关联的名称 不在册的合作社" in detail


def test_editing_the_units_relinks_them(client, staff_a, township_a):
    make_union(township_a, name="慈东精密机械厂工会")
    employer = make_employer(township_a, name="宏达纺织有限公司")
    client.force_login(staff_a)
    client.post(reverse("events:event_create"), event_post())
    event = Event.objects.get()

    r = client.post(
        reverse("events:event_update", args=[event.pk]),
        event_post(participating_units="宏达纺织有限公司", version=str(event.version)),
    )

    assert r.status_code == 302
    assert not event.unions.exists()
    assert list(event.employers.all()) == [employer]


def test_the_same_title_on_the_same_day_is_refused(client, staff_a, township_a):
    make_event(township_a, title="职工篮球赛", starts_on=datetime.date(2026, 4, 10))
    client.force_login(staff_a)

    r = client.post(reverse("events:event_create"), event_post(title="职工篮球赛"))

    assert "本乡镇在同一日期已有同名活动。" in page_text(r)
    assert Event.objects.count() == 1


def test_an_end_before_the_start_is_refused(client, staff_a):
    client.force_login(staff_a)

    r = client.post(reverse("events:event_create"), event_post(ends_on="2026-04-01"))

    assert "结束日期不能早于开始日期。" in page_text(r)
    assert not Event.objects.exists()


def test_list_filters_by_category_and_date_range(client, staff_a, township_a):
    make_event(township_a, title="篮球赛", category="sports", starts_on=datetime.date(2026, 5, 1))
    make_event(township_a, title="培训班", category="training", starts_on=datetime.date(2026, 1, 5))
    client.force_login(staff_a)
    url = reverse("events:event_list")

    sports = page_text(client.get(url, {"category": "sports"}))
    spring = page_text(client.get(url, {"from": "2026-01-01", "to": "2026-01-31"}))

    assert "篮球赛" in sports and "培训班" not in sports
    assert "培训班" in spring and "篮球赛" not in spring


def test_deleting_an_event_asks_first_and_is_in_history(client, staff_a, township_a):
    event = make_event(township_a)
    client.force_login(staff_a)
    url = reverse("events:event_delete", args=[event.pk])

    assert "确认删除" in page_text(client.get(url))
    assert client.post(url).status_code == 302
    assert not Event.objects.exists()
    assert Event.history.filter(history_type="-", id=event.pk).get().history_user == staff_a


# Attachments


def _upload(client, event, name: str, content: bytes):
    return client.post(
        reverse("events:attachment_upload", args=[event.pk]),
        {"file": SimpleUploadedFile(name, content, "image/jpeg")},
        follow=True,
    )


def test_a_photo_is_attached_and_downloaded_by_its_township_only(
    client, staff_a, staff_b, reviewer, other_reviewer, township_a
):
    event = make_event(township_a)
    client.force_login(staff_a)
    _upload(client, event, "颁奖现场.jpg", JPEG)
    attachment = EventAttachment.objects.get()
    url = reverse("events:attachment_download", args=[event.pk, attachment.pk])

    for user, status in ((staff_a, 200), (reviewer, 200), (staff_b, 404), (other_reviewer, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(staff_a)
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/jpeg"
    assert "filename*=utf-8''%E9%A2%81" in response["Content-Disposition"]


def test_an_attachment_of_another_event_is_not_reached_through_this_one(
    client, staff_a, township_a
):
    mine = make_event(township_a)
    other = make_event(township_a)
    client.force_login(staff_a)
    _upload(client, other, "照片.jpg", JPEG)
    attachment = EventAttachment.objects.get()

    url = reverse("events:attachment_download", args=[mine.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_an_exe_renamed_jpg_is_refused(client, staff_a, township_a):
    event = make_event(township_a)
    client.force_login(staff_a)

    r = _upload(client, event, "setup.jpg", EXE)

    assert "不是允许的类型：只能上传JPG、PNG、GIF、WebP 图片或 PDF 文件" in page_text(r)
    assert not EventAttachment.objects.exists()


def test_a_file_over_10_mb_is_refused(client, staff_a, township_a):
    event = make_event(township_a)
    client.force_login(staff_a)

    r = _upload(client, event, "大照片.jpg", JPEG + b"\x00" * (11 * 1024 * 1024))

    assert "大小为 11.0 MB，超过了 10 MB 的上限" in page_text(r)
    assert not EventAttachment.objects.exists()


def test_a_large_upload_is_not_written_past_the_limit(rf):
    handler = CappedTemporaryFileUploadHandler(rf.post("/"))
    handler.new_file("file", "big.jpg", "image/jpeg", None)
    chunk = b"\x00" * (1024 * 1024)
    start = 0
    for _ in range(30):
        handler.receive_data_chunk(chunk, start)
        start += len(chunk)

    upload = handler.file_complete(start)

    assert upload.size == 30 * 1024 * 1024
    assert len(upload.read()) == MAX_ATTACHMENT_BYTES + 1


def test_staff_delete_an_attachment_and_reviewers_cannot(
    client, staff_a, reviewer, township_a, private_files, django_capture_on_commit_callbacks
):
    event = make_event(township_a)
    client.force_login(staff_a)
    _upload(client, event, "照片.jpg", JPEG)
    attachment = EventAttachment.objects.get()
    url = reverse("events:attachment_delete", args=[event.pk, attachment.pk])

    client.force_login(reviewer)
    assert client.post(url).status_code == 403
    assert EventAttachment.objects.exists()
    client.force_login(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not EventAttachment.objects.exists()
    assert not private_files.exists(attachment.file.name)


# Other townships and reviewers


@pytest.mark.parametrize(
    "name",
    [
        "event_detail",
        "event_update",
        "event_delete",
        "attachment_upload",
        "attachment_download",
        "attachment_delete",
    ],
)
def test_other_township_gets_404_and_nothing_changes(client, staff_a, staff_b, township_a, name):
    event = make_event(township_a, title="职工篮球赛")
    client.force_login(staff_a)
    _upload(client, event, "照片.jpg", JPEG)
    attachment = EventAttachment.objects.get()
    args = [event.pk, attachment.pk] if name.startswith("attachment_d") else [event.pk]
    url = reverse(f"events:{name}", args=args)
    client.force_login(staff_b)

    assert client.get(url).status_code in (404, 405)
    posted = {**event_post(title="改名", version="1"), "file": SimpleUploadedFile("a.jpg", JPEG)}
    assert client.post(url, posted).status_code == 404
    event.refresh_from_db()
    assert (event.title, event.version) == ("职工篮球赛", 1)
    assert EventAttachment.objects.count() == 1


@pytest.mark.parametrize(
    "name", ["event_create", "event_update", "event_delete", "attachment_upload"]
)
def test_reviewer_writes_are_refused(client, reviewer, township_a, name):
    event = make_event(township_a, title="职工篮球赛")
    client.force_login(reviewer)
    url = reverse(f"events:{name}", args=[] if name == "event_create" else [event.pk])

    posted = {**event_post(title="改名", version="1"), "file": SimpleUploadedFile("a.jpg", JPEG)}
    assert client.post(url, posted).status_code == 403
    assert list(Event.objects.values_list("title", flat=True)) == ["职工篮球赛"]
    assert not EventAttachment.objects.exists()


def test_reviewer_reads_with_a_township_filter_and_no_controls(
    client, reviewer, township_a, township_b
):
    event = make_event(township_a, title="职工篮球赛")
    make_event(township_b, title="西山读书会")
    client.force_login(reviewer)

    listing = client.get(reverse("events:event_list"), {"township": township_b.pk})
    detail = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()

    assert "西山读书会" in page_text(listing) and "职工篮球赛" not in page_text(listing)
    assert "新增活动" not in page_text(listing)
    for name in ("event_update", "event_delete", "attachment_upload"):
        assert f'"{reverse(f"events:{name}", args=[event.pk])}"' not in detail


# A fixed number of queries whatever the page size


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_list_and_detail_query_counts_do_not_grow(
    client, request, township_a, role, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    for n in (3, 60):
        union = make_union(township_a)
        employer = make_employer(township_a)
        for _ in range(n):
            event = make_event(township_a)
            event.unions.add(union)
            event.employers.add(employer)
            EventAttachment.objects.create(
                event=event,
                file="attachments/x.jpg",
                original_name="x.jpg",
                content_type="image/jpeg",
                size=3,
            )
        # 10 when the total is counted (data tokens, count, tokens again: unionportal/kept.py).
        with django_assert_max_num_queries(10):
            assert client.get(reverse("events:event_list")).status_code == 200
        with django_assert_max_num_queries(8):  # seen again: the total kept, as before
            assert client.get(reverse("events:event_list")).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(reverse("events:event_detail", args=[event.pk])).status_code == 200
