from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from disputes.queries import overdue_counts_by_township
from unionportal import queries

# Bootstrap Icons shown beside each record kind on a township's home page.
KIND_ICONS = {
    "employers": "bi-building",
    "unions": "bi-diagram-3",
    "members": "bi-people",
    "contracts": "bi-file-earmark-text",
    "dues": "bi-cash-coin",
    "visits": "bi-gift",
    "cases": "bi-chat-left-text",
    "events": "bi-calendar-event",
}


def home(request: HttpRequest) -> HttpResponse:
    """The home page: counts of each record kind for the townships the user may see.

    Township staff and chairs see their township's counts as cards; county reviewers and
    administrators see a table per county with one row per township and a county total.
    """
    user = request.user
    rows = queries.record_counts_by_township(user)
    counties = queries.counts_by_county(rows)
    show_cards = user.is_township_user and not user.is_administrator
    overdue = overdue_counts_by_township(user)
    context = {
        "rows": rows,
        "counties": counties,
        "kinds": queries.RECORD_KINDS,
        "has_records": any(row.total for row in rows),
        "show_cards": show_cards,
        "cards": (
            [(label, n, KIND_ICONS[key]) for key, label, n in rows[0].labelled]
            if show_cards and rows
            else []
        ),
        "grand_totals": queries.total_counts(rows) if len(counties) > 1 else None,
        # Open cases received more than 30 days ago, per township (one grouped query).
        "overdue_cases": [
            (r.township, overdue[r.township.pk]) for r in rows if r.township.pk in overdue
        ],
    }
    return render(request, "home.html", context)


@login_not_required
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, as Django 5 requires) and say so on the login page.

    Open to signed-out users too, so a second tab's 退出 button lands on the login page.
    """
    auth.logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect(settings.LOGOUT_REDIRECT_URL)
