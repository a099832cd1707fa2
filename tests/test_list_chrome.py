# ruff: noqa: E501 (the templates below are the files' lines as they were)
"""A list page's search and filter form, sort headers and pager are written in Python
({% list_toolbar %}, {% sort_th %}, {% list_pagination %}: unionportal/templatetags/records.py)
instead of the included templates records/_list_toolbar.html, _sort_th.html and _pagination.html. The templates as they were are kept here and rendered with the context
the inclusion tag and the include gave them: the HTML must be the same, byte for byte, in every
language, for the first, a middle and the last page, every header state, and query strings with
other parameters and characters that must be escaped."""

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template import Context, engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from unionportal.templatetags.records import list_pagination, sort_th

SORT_TH = """<th scope="col" class="text-nowrap {{ css }}"{% if state %} aria-sort="{{ state }}"{% endif %}>
  <a class="link-body-emphasis text-decoration-none" href="{% querystring sort=next_sort page=None %}">{{ label }}{% if state == "ascending" %} <i class="bi bi-caret-up-fill small" aria-hidden="true"></i>{% elif state == "descending" %} <i class="bi bi-caret-down-fill small" aria-hidden="true"></i>{% endif %}</a>
</th>
"""

PAGINATION = """{% load i18n %}
{% if page.paginator.num_pages > 1 %}
<nav aria-label="{% translate "分页" %}">
  <ul class="pagination flex-wrap">
    {% if page.has_previous %}
      <li class="page-item"><a class="page-link" href="{% querystring page=1 %}">{% translate "首页" %}</a></li>
      <li class="page-item"><a class="page-link" href="{% querystring page=page.previous_page_number %}" rel="prev">{% translate "上一页" %}</a></li>
    {% endif %}
    <li class="page-item active" aria-current="page"><span class="page-link">{% blocktranslate trimmed with number=page.number num_pages=page.paginator.num_pages %}第 {{ number }} 页 / 共 {{ num_pages }} 页{% endblocktranslate %}</span></li>
    {% if page.has_next %}
      <li class="page-item"><a class="page-link" href="{% querystring page=page.next_page_number %}" rel="next">{% translate "下一页" %}</a></li>
      <li class="page-item"><a class="page-link" href="{% querystring page=page.paginator.num_pages %}">{% translate "末页" %}</a></li>
    {% endif %}
  </ul>
</nav>
{% endif %}
"""

TOOLBAR = """{% load i18n %}
{# Posted, so a whole ID number typed here is in no URL: record_search sends the browser back #}
{# to this list by GET, the number replaced by its keyed hash (unionportal/records.py). #}
<form class="card card-body bg-body mb-3 py-2" method="post" action="{% url 'record_search' %}" role="search" aria-label="{% translate "搜索和筛选" %}">
  {% csrf_token %}
  <input type="hidden" name="next" value="{{ request.path }}">
  <input type="hidden" name="sort" value="{{ listing.sort }}">
  {% if listing.id_hash %}<input type="hidden" name="idh" value="{{ listing.id_hash }}">{% endif %}
  <div class="row g-2 align-items-end">
    <div class="col-12 col-md-4">
      <label class="form-label small mb-1" for="list-q">{% translate "搜索" %}</label>
      <input class="form-control" type="search" id="list-q" name="q" value="{{ listing.q }}" placeholder="{{ listing.spec.search_placeholder }}">
    </div>
    {% if listing.townships %}
      <div class="col-6 col-md-2">
        <label class="form-label small mb-1" for="list-township">{% translate "乡镇" %}</label>
        <select class="form-select" id="list-township" name="township">
          <option value="">{% translate "全部乡镇" %}</option>
          {% for pk, name in listing.townships %}
            <option value="{{ pk }}"{% if listing.township == pk|stringformat:"s" %} selected{% endif %}>{{ name }}</option>
          {% endfor %}
        </select>
      </div>
    {% endif %}
    {% for flt, value in listing.filters %}
      {% if flt.choices %}
        <div class="col-6 col-md-2">
          <label class="form-label small mb-1" for="list-{{ flt.param }}">{{ flt.label }}</label>
          <select class="form-select" id="list-{{ flt.param }}" name="{{ flt.param }}">
            <option value="">{% translate "全部" %}</option>
            {% for v, label in flt.choices %}<option value="{{ v }}"{% if value == v %} selected{% endif %}>{{ label }}</option>{% endfor %}
          </select>
        </div>
      {% elif value %}
        <input type="hidden" name="{{ flt.param }}" value="{{ value }}">
      {% endif %}
    {% endfor %}
    {% if listing.spec.date_field %}
      <div class="col-6 col-md-2">
        <label class="form-label small mb-1" for="list-from">{% blocktranslate trimmed with date_label=listing.spec.date_label %}{{ date_label }}从{% endblocktranslate %}</label>
        <input class="form-control" type="date" id="list-from" name="from" value="{{ listing.date_from }}">
      </div>
      <div class="col-6 col-md-2">
        <label class="form-label small mb-1" for="list-to">{% translate "到" %}</label>
        <input class="form-control" type="date" id="list-to" name="to" value="{{ listing.date_to }}">
      </div>
    {% endif %}
    {% block extra_filters %}{% endblock %}
    <div class="col-auto">
      <button class="btn btn-outline-primary" type="submit"><i class="bi bi-search me-1" aria-hidden="true"></i>{% translate "查询" %}</button>
      {% if listing.active %}<a class="btn btn-link" href="{{ request.path }}">{% translate "清除条件" %}</a>{% endif %}
    </div>
  </div>
  {% if listing.date_error %}<p class="text-danger small mb-0 mt-2">{% translate "日期格式应为 2026-03-27，未识别的日期已忽略。" %}</p>{% endif %}
  {% for chip in listing.chips %}
    <span class="badge text-bg-secondary mt-2 me-1">{% blocktranslate trimmed %}已按{{ chip }}筛选{% endblocktranslate %}</span>
  {% endfor %}
</form>
"""

QUERIES = [
    "",
    "page=3",
    "q=王&sort=-name&page=2",
    'q=<a href="x">&amp;\'&active=1',
    "sort=joined&township=4&q=%E7%8E%8B+%25",
]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _render(source: str, request, **context) -> str:
    return engines["django"].from_string(source).render(context, request=request)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", QUERIES)
def test_sort_headers_read_as_the_template_rendered_them(language, query):
    request = RequestFactory().get(f"/records/members/?{query}")
    sorts = {
        "name": (_("姓名"), ()),
        "joined": (_("入会日期"), ()),
        "union": ("所属<&>", ()),
    }
    states = set()
    with translation.override(language):
        for current in ("name", "-name", "joined", "-union"):
            listing = SimpleNamespace(sort=current, spec=SimpleNamespace(sorts=sorts))
            for key in sorts:
                for css in ("", "text-end"):
                    built = sort_th(Context({"request": request}), listing, key, css)
                    # What the inclusion tag gave its template.
                    state = (
                        ("descending" if current.startswith("-") else "ascending")
                        if key == current.lstrip("-")
                        else ""
                    )
                    next_sort = (
                        f"-{key}"
                        if key == current.lstrip("-") and not current.startswith("-")
                        else key
                    )
                    expected = _render(
                        SORT_TH,
                        request,
                        label=sorts[key][0],
                        next_sort=next_sort,
                        state=state,
                        css=css,
                    )
                    assert built == expected
                    states.add(state)
    assert states == {"", "ascending", "descending"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("query", QUERIES)
def test_the_pager_reads_as_the_template_rendered_it(language, query):
    request = RequestFactory().get(f"/records/members/?{query}")
    seen = set()
    with translation.override(language):
        for count, number in (
            (0, 1),
            (50, 1),
            (51, 1),
            (51, 2),
            (500, 5),
            (300_000, 1),
            (300_000, 6000),
            (300_000, 1234),
        ):
            page = Paginator(range(count), 50).get_page(number)
            built = list_pagination(Context({"request": request}), page)
            assert built == _render(PAGINATION, request, page=page)
            seen.add((page.has_previous(), page.has_next()))
    assert seen == {(False, False), (False, True), (True, True), (True, False)}


TOOLBAR_PAGES = {
    "members:member_list": [
        "",
        "q=<b>'&amp;\"&sort=-joined",
        "union=1&employer=x&gender=F&migrant=0",
        "from=bad&to=2026-01-01&active=1",
        "idh=" + "a" * 64,
        "township=1&joined_from=2020-01-01",
    ],
    "members:union_list": ["", "at=2025-06-30&active=1&star=3&standardised=0", "kind=zzz&q=工会"],
    "members:employer_list": ["", "unionised_at=2026-06-30", "q=%E7%8E%8B"],
    "disputes:case_list": ["", "status=open&from=2026-01-01", "township=999"],
    "welfare:visit_list": ["", "q=春节&page=2"],
}


def _csrf_masked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", TOOLBAR_PAGES)
def test_the_toolbar_reads_as_the_template_rendered_it(
    client, data, staff_a, reviewer, name, language
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    shown = set()
    for user in (staff_a, reviewer):
        client.force_login(user)
        for query in TOOLBAR_PAGES[name]:
            response = client.get(f"{reverse(name)}?{query}")
            assert response.status_code == 200
            page = response.content.decode()
            start = page.index('<form class="card card-body')
            built = page[start : page.index("</form>", start) + len("</form>\n")]
            with translation.override(language):
                expected = _render(
                    TOOLBAR, response.wsgi_request, listing=response.context["listing"]
                )
            assert _csrf_masked(built) == _csrf_masked(expected.lstrip("\n"))
            assert "\n\n\n" + built in page  # the include's three leading newlines too
            shown.update(
                m
                for m in (
                    "list-township",
                    "selected",
                    'name="idh"',
                    "text-danger",
                    "badge",
                    "btn-link",
                )
                if m in built
            )
    if name == "members:member_list":
        assert shown == {
            "list-township",
            "selected",
            'name="idh"',
            "text-danger",
            "badge",
            "btn-link",
        }
