"""Template helpers of the record pages: sortable column headers and the pager, which keep the
URL's state."""

import functools
from types import SimpleNamespace

from django import template
from django.middleware.csrf import get_token
from django.template.defaulttags import querystring
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from unionportal.records import ListPage

register = template.Library()


# A list page's search form, sort headers and pager are written here rather than through
# included templates: the form has a select per filter (the member list has five, the county's
# a township select of thirty), a page four to nine headers, and each went through template
# variable lookups, {% querystring %}, translations and an include's context: some 3 ms of a
# 10 ms list page, now under 1. The markup is what records/_list_toolbar.html, _sort_th.html
# and _pagination.html rendered, byte for byte
# (tests/test_list_chrome.py keeps those templates and compares).


def _querystring(request, **changes) -> str:
    """{% querystring key=value … %} for the request's GET (None removes the key), escaped as
    the tag's output was in an attribute."""
    return conditional_escape(querystring(SimpleNamespace(request=request), **changes))


@register.simple_tag(takes_context=True)
def sort_th(context, listing: ListPage, key: str, css: str = "") -> str:
    """A <th> whose link sorts by `key` (again: reverses), keeping search and filters."""
    current = listing.sort.lstrip("-")
    descending = listing.sort.startswith("-")
    state = ("descending" if descending else "ascending") if key == current else ""
    next_sort = f"-{key}" if key == current and not descending else key
    href = _querystring(context["request"], sort=next_sort, page=None)
    aria = f' aria-sort="{state}"' if state else ""
    caret = _CARETS.get(state, "")
    return mark_safe(
        f'<th scope="col" class="text-nowrap {conditional_escape(css)}"{aria}>\n'
        f'  <a class="link-body-emphasis text-decoration-none" href="{href}">'
        f"{conditional_escape(listing.spec.sorts[key][0])}{caret}</a>\n</th>\n"
    )


_CARETS = {
    "ascending": ' <i class="bi bi-caret-up-fill small" aria-hidden="true"></i>',
    "descending": ' <i class="bi bi-caret-down-fill small" aria-hidden="true"></i>',
}


@register.simple_tag(takes_context=True)
def list_pagination(context, page) -> str:
    """The pager under a list: first, previous, 第 n 页 / 共 m 页, next, last (nothing for one
    page)."""
    num_pages = page.paginator.num_pages
    if num_pages <= 1:
        return mark_safe("\n\n")
    request = context["request"]
    link = '\n      <li class="page-item"><a class="page-link" href="{}"{}>{}</a></li>'
    before = after = ""
    if page.has_previous():
        before = (
            link.format(_querystring(request, page=1), "", gettext("首页"))
            + link.format(
                _querystring(request, page=page.previous_page_number()),
                ' rel="prev"',
                gettext("上一页"),
            )
            + "\n    "
        )
    if page.has_next():
        after = (
            link.format(
                _querystring(request, page=page.next_page_number()),
                ' rel="next"',
                gettext("下一页"),
            )
            + link.format(_querystring(request, page=num_pages), "", gettext("末页"))
            + "\n    "
        )
    where = gettext("第 %(number)s 页 / 共 %(num_pages)s 页") % {
        "number": page.number,
        "num_pages": num_pages,
    }
    # Translated strings are looked up outside the f-strings: xgettext (makemessages) does not
    # see a gettext() call inside an f-string and would mark its translation obsolete.
    nav_label = gettext("分页")
    return mark_safe(
        f'\n\n<nav aria-label="{nav_label}">\n  <ul class="pagination flex-wrap">\n    '
        f"{before}\n"
        f'    <li class="page-item active" aria-current="page"><span class="page-link">{where}'
        f"</span></li>\n    {after}\n  </ul>\n</nav>\n\n"
    )


# A number no record id reaches, put where the id goes and replaced by it.
_ID_MARK = 987654321987


@functools.lru_cache(maxsize=256)
def _address_with_mark(view_name: str, script_prefix: str) -> str:
    return reverse(view_name, args=[_ID_MARK])


@register.simple_tag
def record_url(view_name: str, pk: int) -> str:
    """{% url view_name pk %} for the one-id record pages of a list's rows: the address is made
    once per page kind and the id put in, instead of resolving the URL pattern fifty times a page
    (a tenth of a list page's time)."""
    address = _address_with_mark(view_name, get_script_prefix())
    return address.replace(str(_ID_MARK), str(int(pk)))


@register.simple_tag(takes_context=True)
def list_toolbar(context, listing: ListPage) -> str:
    """The search and filter form above a list (what records/_list_toolbar.html rendered): the
    search box, the township select for the county, each filter's select (a hidden filter in use
    as a hidden field), the date range, the buttons and the chips of the hidden filters."""
    request = context["request"]
    esc = conditional_escape
    path = esc(request.path)
    idh = ""
    if listing.id_hash:
        idh = f'<input type="hidden" name="idh" value="{esc(listing.id_hash)}">'
    townships = ""
    if listing.townships:
        options = "".join(
            f'\n            <option value="{pk}"'
            f"{' selected' if listing.township == str(pk) else ''}>{esc(name)}</option>\n          "
            for pk, name in listing.townships
        )
        township_label, all_townships = gettext("乡镇"), gettext("全部乡镇")
        townships = (
            '\n      <div class="col-6 col-md-2">\n'
            f'        <label class="form-label small mb-1" for="list-township">{township_label}'
            "</label>\n"
            '        <select class="form-select" id="list-township" name="township">\n'
            f'          <option value="">{all_townships}</option>\n          {options}\n'
            "        </select>\n      </div>\n    "
        )
    filters = []
    everything = gettext("全部")
    for flt, value in listing.filters:
        param = esc(flt.param)
        if flt.choices:
            options = "".join(
                f'<option value="{esc(v)}"{" selected" if value == v else ""}>{esc(label)}</option>'
                for v, label in flt.choices
            )
            shown = (
                '\n        <div class="col-6 col-md-2">\n'
                f'          <label class="form-label small mb-1" for="list-{param}">'
                f"{esc(flt.label)}</label>\n"
                f'          <select class="form-select" id="list-{param}" name="{param}">\n'
                f'            <option value="">{everything}</option>\n            {options}\n'
                "          </select>\n        </div>\n      "
            )
        elif value:
            shown = f'\n        <input type="hidden" name="{param}" value="{esc(value)}">\n      '
        else:
            shown = ""
        filters.append(f"\n      {shown}\n    ")
    dates = ""
    if listing.spec.date_field:
        date_from = gettext("%(date_label)s从") % {"date_label": esc(listing.spec.date_label)}
        date_to = gettext("到")
        dates = (
            '\n      <div class="col-6 col-md-2">\n'
            f'        <label class="form-label small mb-1" for="list-from">{date_from}</label>\n'
            '        <input class="form-control" type="date" id="list-from" name="from" '
            f'value="{esc(listing.date_from)}">\n      </div>\n'
            '      <div class="col-6 col-md-2">\n'
            f'        <label class="form-label small mb-1" for="list-to">{date_to}</label>\n'
            '        <input class="form-control" type="date" id="list-to" name="to" '
            f'value="{esc(listing.date_to)}">\n      </div>\n    '
        )
    clear_label = gettext("清除条件")
    clear = f'<a class="btn btn-link" href="{path}">{clear_label}</a>' if listing.active else ""
    bad_date = gettext("日期格式应为 2026-03-27，未识别的日期已忽略。")
    date_error = (
        f'<p class="text-danger small mb-0 mt-2">{bad_date}</p>' if listing.date_error else ""
    )
    filtered_by = gettext("已按%(chip)s筛选")
    chips = "".join(
        '\n    <span class="badge text-bg-secondary mt-2 me-1">'
        f"{filtered_by % {'chip': esc(chip)}}</span>\n  "
        for chip in listing.chips
    )
    form_label, search_label, submit_label = gettext("搜索和筛选"), gettext("搜索"), gettext("查询")
    return mark_safe(
        "\n\n\n"
        f'<form class="card card-body bg-body mb-3 py-2" method="post" action="{_search_url()}" '
        f'role="search" aria-label="{form_label}">\n'
        '  <input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{esc(get_token(request))}">\n'
        f'  <input type="hidden" name="next" value="{path}">\n'
        f'  <input type="hidden" name="sort" value="{esc(listing.sort)}">\n'
        f"  {idh}\n"
        '  <div class="row g-2 align-items-end">\n'
        '    <div class="col-12 col-md-4">\n'
        f'      <label class="form-label small mb-1" for="list-q">{search_label}</label>\n'
        '      <input class="form-control" type="search" id="list-q" name="q" '
        f'value="{esc(listing.q)}" placeholder="{esc(listing.spec.search_placeholder)}">\n'
        f"    </div>\n    {townships}\n    {''.join(filters)}\n    {dates}\n    \n"
        '    <div class="col-auto">\n'
        '      <button class="btn btn-outline-primary" type="submit">'
        f'<i class="bi bi-search me-1" aria-hidden="true"></i>{submit_label}</button>\n'
        f"      {clear}\n    </div>\n  </div>\n  {date_error}\n  {chips}\n</form>\n"
    )


def _search_url() -> str:
    return conditional_escape(_address("record_search", get_script_prefix()))


@functools.lru_cache(maxsize=16)
def _address(view_name: str, script_prefix: str) -> str:
    return reverse(view_name)
