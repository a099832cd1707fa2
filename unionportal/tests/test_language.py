"""The language middleware (unionportal.language) chooses the language and sets the headers
exactly as Django's LocaleMiddleware does on this site, whose URLs carry no language prefix."""

import pytest
from django.http import HttpResponse, HttpResponseNotFound
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from unionportal.language import PortalLocaleMiddleware

REQUESTS = [
    ("/", {}, {}),
    ("/records/members/", {"django_language": "en"}, {}),
    ("/records/members/", {"django_language": "zh-hant"}, {}),
    ("/records/members/", {"django_language": "fr"}, {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8"}),
    ("/accounts/login/", {}, {"HTTP_ACCEPT_LANGUAGE": "zh-TW,zh;q=0.9"}),
    ("/accounts/login/", {}, {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}),
    ("/en/records/", {}, {"HTTP_ACCEPT_LANGUAGE": "de, *"}),
    ("/zh-hant/", {}, {}),
]


def _through(middleware_class, rf, path, cookies, meta, page):
    request = rf.get(path, **meta)
    request.COOKIES.update(cookies)
    seen = {}

    def view(request):
        seen["active"] = translation.get_language()
        return page()

    with translation.override(None):
        response = middleware_class(view)(request)
    return seen["active"], request.LANGUAGE_CODE, response.status_code, dict(response.headers)


@pytest.mark.parametrize("page", [HttpResponse, HttpResponseNotFound])
@pytest.mark.parametrize(("path", "cookies", "meta"), REQUESTS)
def test_the_language_and_headers_are_djangos(rf, path, cookies, meta, page):
    ours = _through(PortalLocaleMiddleware, rf, path, cookies, meta, page)

    assert ours == _through(LocaleMiddleware, rf, path, cookies, meta, page)


def test_the_cookie_chooses_the_language(rf):
    active, code, _, headers = _through(
        PortalLocaleMiddleware, rf, "/", {"django_language": "en"}, {}, HttpResponse
    )

    assert active == code == "en"
    assert headers["Content-Language"] == "en"
    assert headers["Vary"] == "Accept-Language"
