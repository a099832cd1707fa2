"""Pages of the base that know no record kind: signing out."""

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST


@login_not_required
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, as Django 5 requires) and say so on the login page.

    Open to signed-out users too, so a second tab's 退出 button lands on the login page.
    """
    auth.logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect(settings.LOGOUT_REDIRECT_URL)
