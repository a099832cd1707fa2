from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from disputes.queries import overdue_counts_by_township
from reports.dashboard_views import partial_aware, township_context, wants_fragment
from unionportal import queries
from unionportal.access import visible_townships

# Bootstrap Icons shown beside each record kind on a township's home page, and the list each
# count card opens.
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
KIND_LISTS = {
    "employers": "members:employer_list",
    "unions": "members:union_list",
    "members": "members:member_list",
    "contracts": "members:contract_list",
    "dues": "members:dues_list",
    "visits": "welfare:visit_list",
    "cases": "disputes:case_list",
    "events": "events:event_list",
}


def home(request: HttpRequest) -> HttpResponse:
    """The home page.

    Township staff and chairs: their township's dashboard (figures beside the county average,
    targets, score, monthly trend, each figure linking to its records; ?period= chooses the
    period, and htmx swaps the figures in place) above their record counts as cards. County
    reviewers and administrators: a table per county with one row per township and a county
    total, and the way to the county dashboard.
    """
    user = request.user
    show_cards = user.is_township_user and not user.is_administrator
    if show_cards and wants_fragment(request):
        township = visible_townships(user).first()
        if township is not None:
            context = township_context(request, township, action=reverse("home"))
            return partial_aware(render(request, "reports/dashboard_township_body.html", context))
    rows = queries.record_counts_by_township(user)
    counties = queries.counts_by_county(rows)
    overdue = overdue_counts_by_township(user)
    context = {
        "rows": rows,
        "counties": counties,
        "kinds": queries.RECORD_KINDS,
        "has_records": any(row.total for row in rows),
        "show_cards": show_cards,
        "cards": (
            [
                (label, n, KIND_ICONS[key], reverse(KIND_LISTS[key]))
                for key, label, n in rows[0].labelled
            ]
            if show_cards and rows
            else []
        ),
        "grand_totals": queries.total_counts(rows) if len(counties) > 1 else None,
        # Open cases received more than 30 days ago, per township (one grouped query).
        "overdue_cases": [
            (r.township, overdue[r.township.pk]) for r in rows if r.township.pk in overdue
        ],
    }
    if show_cards and rows:
        context |= township_context(request, rows[0].township, action=reverse("home"))
    response = render(request, "home.html", context)
    return partial_aware(response) if show_cards else response


@login_not_required
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, as Django 5 requires) and say so on the login page.

    Open to signed-out users too, so a second tab's 退出 button lands on the login page.
    """
    auth.logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect(settings.LOGOUT_REDIRECT_URL)
