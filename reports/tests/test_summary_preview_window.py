"""在新窗口预览 on the summary page posts to the preview without htmx: the new window gets a whole
page with the summary's stylesheets, while htmx still gets the bare fragment to swap in."""

import re

from django.urls import reverse


def text_of(response) -> str:
    """The document's text with its inline spans joined (page_text would space them apart)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


PREVIEW = reverse("reports:summary_preview")


def post(township) -> dict:
    return {
        "period": "2026H1",
        "township": township.pk,
        "opening": "",
        "practices": "推行“工会+”服务模式。",
        "shortcomings": "新就业形态劳动者入会率偏低。",
        "plans": "下半年推进快递行业建会。",
    }


def test_the_preview_in_a_new_window_is_a_styled_page(client, data, staff_a):
    township, _ = data
    client.force_login(staff_a)

    response = client.post(PREVIEW, post(township))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<!doctype html>")
    assert "/static/reports/summary_print.css" in html.replace("\\", "")
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "慈东镇工会2026年上半年工作总结" in html
    assert "九、下一步工作打算 下半年推进快递行业建会。" in text_of(response)


def test_htmx_still_gets_only_the_summary_to_swap_in(client, data, staff_a):
    township, _ = data
    client.force_login(staff_a)

    response = client.post(PREVIEW, post(township), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html and "stylesheet" not in html
    assert "九、下一步工作打算 下半年推进快递行业建会。" in text_of(response)


def test_staff_of_another_township_cannot_preview_its_summary(client, data, staff_b):
    township, _ = data
    client.force_login(staff_b)

    assert client.post(PREVIEW, post(township)).status_code == 404
