"""The page header of every signed-in page (templates/_nav_header.html), kept once rendered.

The header is the same for a user on every visit to a page, but for the CSRF token and the
page's own address (the language switch's `next`): about forty translated labels, twenty URLs
and the record kinds' menu, 1.5 ms of a 15 ms page. It is rendered once per user, page and
language with markers in place of those two, kept in this process, and the markers are replaced
on each request. Nothing else on it varies, so the page reads exactly as if rendered afresh.

The rest of the page shell (templates/base.html) is cheap on the same lines: its parts that
depend on the language alone are kept per language ({% kept %}), and the footer's print time is
formatted directly ({% print_time %}).
"""

from datetime import datetime

from django import template
from django.conf import settings
from django.urls import get_urlconf
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Letters and digits only: neither escaping nor a URL changes them, and no page contains them.
_CSRF_MARK = "navcsrfmarker7f3a9c"
_NEXT_MARK = "navnextmarker7f3a9c"
# Users × pages × languages a worker sees in a day stay far below this; past it, start again.
_KEEP_AT_MOST = 5000
_kept: dict[tuple, str] = {}


def _key(context: template.Context) -> tuple | None:
    """Everything the header shows that is not a marker; None when it is not to be kept."""
    request = context.get("request")
    shell = context.get("shell")
    if request is None or not shell or settings.DEBUG:
        # Signed out (the sign-in page): cheap, and DEBUG reloads edited templates.
        return None
    match = getattr(request, "resolver_match", None)
    user = shell.user
    return (
        get_language(),
        get_urlconf(),
        match.url_name if match else None,
        match.namespace if match else None,
        user.get_username(),
        user.display_name,
        shell.is_administrator,
        shell.is_township_user,
        shell.is_reviewer,
        str(shell.role_label),
        str(shell.unit_name),
    )


@register.simple_tag(takes_context=True)
def nav_header(context: template.Context) -> SafeString:
    """templates/_nav_header.html for this request, from the kept copy when there is one."""
    request = context.get("request")
    token = str(context.get("csrf_token") or "")
    # {% csrf_token %} writes nothing for these: render afresh rather than fill in a marker.
    key = _key(context) if token and token != "NOTPROVIDED" else None
    html = _kept.get(key) if key is not None else None
    if html is None:
        marked = key is not None
        nav = context.template.engine.get_template("_nav_header.html")
        values = {"nav_next": request.get_full_path() if request is not None else ""}
        if marked:
            values = {"nav_next": _NEXT_MARK, "csrf_token": _CSRF_MARK}
        with context.push(**values):
            html = nav.render(context)
        if not marked:
            return mark_safe(html)  # noqa: S308 (rendered by the template engine, escaped there)
        if len(_kept) >= _KEEP_AT_MOST:
            _kept.clear()
        _kept[key] = html
    return mark_safe(  # noqa: S308 (the kept render, the token and the escaped address)
        html.replace(_CSRF_MARK, token).replace(_NEXT_MARK, escape(request.get_full_path()))
    )


@register.simple_tag
def print_time() -> str:
    """The time a printed page shows in its footer: what `{% now "Y-m-d H:i" %}` writes,
    without the date filter's format lookups and parsing (0.08 ms of every page)."""
    moment = datetime.now(tz=timezone.get_current_timezone() if settings.USE_TZ else None)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "
        f"{moment.hour:02d}:{moment.minute:02d}"
    )


@register.tag
def kept(parser: template.base.Parser, token: template.base.Token) -> "KeptNode":
    """`{% kept %}…{% endkept %}`: a part of the page shell that depends on the language alone
    (translated labels, static files' addresses), rendered once per language in each process.

    Only for fixed text, translations and `{% static %}`: nothing from the request, the user or
    the page may go inside, and no `{% block %}` (a page could not override it)."""
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist)


class KeptNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        # One entry per language; the node lives as long as the cached template.
        self.rendered: dict[str | None, str] = {}

    def render(self, context: template.Context) -> str:
        if settings.DEBUG:
            # DEBUG reloads edited templates and static files.
            return self.nodelist.render(context)
        language = get_language()
        html = self.rendered.get(language)
        if html is None:
            html = self.rendered[language] = self.nodelist.render(context)
        return html
