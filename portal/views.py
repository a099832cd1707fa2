from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from disputes.queries import OVERDUE_DAYS, overdue_counts_by_township
from portal import queries
from portal.kinds import KINDS, KINDS_BY_KEY
from portal.todo import todo_items
from reports.dashboard_views import partial_aware, township_context, wants_fragment
from unionportal import clock
from unionportal.access import visible_townships
from welfare.queries import overdue_review_counts


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
    # Hardship files due for their annual review today, per township (one grouped query).
    reviews = overdue_review_counts(user, clock.today())
    context = {
        "rows": rows,
        "counties": counties,
        "kinds": KINDS,
        "has_records": any(row.total for row in rows),
        "show_cards": show_cards,
        "cards": (
            [
                (label, n, KINDS_BY_KEY[key].icon, KINDS_BY_KEY[key].list_url)
                for key, label, n in rows[0].labelled
            ]
            if show_cards and rows
            else []
        ),
        "grand_totals": queries.total_counts(rows) if len(counties) > 1 else None,
        # Open cases received more than OVERDUE_DAYS ago, per township (one grouped query).
        "overdue_cases": [
            (r.township, overdue[r.township.pk]) for r in rows if r.township.pk in overdue
        ],
        "overdue_days": OVERDUE_DAYS,
        "overdue_reviews": [
            (r.township, reviews[r.township.pk]) for r in rows if r.township.pk in reviews
        ],
    }
    # 待办: each item a link to the list it counts (portal/todo.py).
    context["todo"] = todo_items(
        user,
        [r.township for r in rows],
        today=clock.today(),
        overdue_cases=overdue,
        reviews_due=reviews,
    )
    if show_cards and rows:
        context |= township_context(request, rows[0].township, action=reverse("home"))
    response = render(request, "home.html", context)
    return partial_aware(response) if show_cards else response
