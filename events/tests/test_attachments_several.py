"""Several photos of an event in one upload, shown as thumbnails on its page through the same
access-checked download address as the files; one bad file among them stores none."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import EventAttachment
from unionportal.tests.factories import make_event, page_text

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PDF = b"%PDF-1.7\n" + b"\x00" * 200


def upload(client, event, *files):
    return client.post(
        reverse("events:attachment_upload", args=[event.pk]),
        {"file": [SimpleUploadedFile(name, content) for name, content in files]},
        follow=True,
    )


def test_several_photos_are_attached_in_one_upload_and_shown_as_thumbnails(
    client, staff_a, township_a
):
    event = make_event(township_a)
    client.force_login(staff_a)

    response = upload(client, event, ("开幕.jpg", JPEG), ("颁奖.jpg", JPEG), ("通知.pdf", PDF))

    assert "已上传附件“开幕.jpg”“颁奖.jpg”“通知.pdf”" in page_text(response)
    photos = EventAttachment.objects.filter(content_type="image/jpeg").order_by("pk")
    thumbs = re.findall(r'<img class="attachment-thumb" src="([^"]+)"', response.text)
    assert thumbs == [reverse("events:attachment_download", args=[event.pk, a.pk]) for a in photos]
    assert EventAttachment.objects.count() == 3
    assert "multiple" in re.search(r'<input[^>]*name="file"[^>]*>', response.text).group(0)


def test_one_refused_file_among_several_stores_none_and_names_it(client, staff_a, township_a):
    event = make_event(township_a)
    client.force_login(staff_a)

    response = upload(client, event, ("开幕.jpg", JPEG), ("说明.txt", b"plain text here"))

    assert "文件“说明.txt”不是允许的类型" in page_text(response)
    assert not EventAttachment.objects.exists()


def test_a_thumbnail_is_not_served_to_another_township(client, staff_a, staff_b, township_a):
    event = make_event(township_a)
    client.force_login(staff_a)
    upload(client, event, ("开幕.jpg", JPEG))
    thumb = reverse("events:attachment_download", args=[event.pk, EventAttachment.objects.get().pk])
    client.force_login(staff_b)

    assert client.get(thumb).status_code == 404
