"""The language middleware (MIDDLEWARE): Django's LocaleMiddleware for a site whose addresses
carry no language prefix.

The language comes from the cookie the language switch in the page header sets, else the
browser's Accept-Language. Django's middleware also asks, twice on every request, whether the
path begins with a language code (`/en/…`); for `/records/…` that means looking "records" up as
a language and failing, about 0.04 ms a request. With no `i18n_patterns` in the URLs the answer
never matters, so this one skips the question and does the rest exactly as Django does.
"""

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def _prefixed(request: HttpRequest) -> bool:
    """Whether the request's URLs use i18n_patterns (Django keeps the answer per URLconf)."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    return is_language_prefix_patterns_used(urlconf)[0]


class PortalLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if _prefixed(request):
            return super().process_request(request)
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _prefixed(request):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
