"""Every data-entry page draws its form through unionportal/formrender.py (`|bootstrap_form`, issue
18) exactly as crispy's `|crispy` did: opened empty or on a record, posted blank, and posted with
markup and impossible values, in Chinese and in English. The page is rendered twice, once with
crispy's own filter put back, and the two must match byte for byte apart from the CSRF token, the
CSP nonce and the footer's print time, which differ between responses."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse

from tests.test_hostile_forms import FORM_PAGES, cast, page_form  # noqa: F401 (cast: fixture)
from unionportal.templatetags import form_render

_PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value="|nonce="|CSRFToken": ")[^"]*')
# The footer's print time: the two renders can fall either side of a minute (CI saw 16:28/16:29).
_PRINT_TIME = re.compile(r'(<span class="d-none d-print-inline">)[^<]*')
_MARKUP = '<b>粗</b> & "引号"'
# The record kinds' add, edit, transfer and close pages (the report, password and sign-in pages
# keep crispy's filter).
RECORD_FORMS = sorted(
    n for n in FORM_PAGES if n.split(":")[0] in {"members", "welfare", "disputes", "events"}
)


def _page(client, method: str, url: str, data: dict | None) -> str:
    with transaction.atomic():
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        transaction.set_rollback(True)
    body = response.content.decode() if response.status_code == 200 else response.status_code
    if not isinstance(body, str):
        return str(body)
    return _PRINT_TIME.sub(r"\1…", _PER_RESPONSE.sub(r"\1…", body))


def _both(client, monkeypatch, method: str, url: str, data: dict | None = None) -> tuple[str, str]:
    fast = _page(client, method, url, data)
    with monkeypatch.context() as patched:
        patched.setattr(form_render, "crispy_form", as_crispy_form)
        crispy = _page(client, method, url, data)
    return fast, crispy


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("name", RECORD_FORMS)
def test_each_form_page_is_drawn_as_crispy_drew_it(client, cast, monkeypatch, name, language):  # noqa: F811
    user, build = FORM_PAGES[name]
    client.force_login(cast[user])
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse(name, kwargs=build(cast))

    fast, crispy = _both(client, monkeypatch, "get", url)
    assert fast == crispy
    fields, _choices = page_form(fast)
    blank = dict.fromkeys(fields, "")
    fast, crispy = _both(client, monkeypatch, "post", url, blank)
    assert fast == crispy
    odd = {k: ("2026-13-40" if "_on" in k else _MARKUP) for k in fields if k != "version"}
    fast, crispy = _both(client, monkeypatch, "post", url, {**fields, **odd})
    assert fast == crispy


def test_record_forms_do_not_go_through_crispys_templates(client, cast, monkeypatch):  # noqa: F811
    """The fast path is taken: the member form's page renders no crispy field template."""
    used = []
    from django.test.signals import template_rendered

    def seen(sender, template, **kwargs):
        used.append(template.name)

    template_rendered.connect(seen)
    try:
        client.force_login(cast["staff_a"])
        page = client.get(reverse("members:member_create"))
    finally:
        template_rendered.disconnect(seen)
    assert page.status_code == 200
    assert 'id="div_id_name"' in page.content.decode()
    assert "records/form.html" in used
    assert not [name for name in used if name.startswith("bootstrap5/")]
