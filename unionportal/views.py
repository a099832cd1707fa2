from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from unionportal import queries


def home(request: HttpRequest) -> HttpResponse:
    """The home page: counts of each record kind for the user's township(s)."""
    rows = queries.record_counts_by_township(request.user)
    return render(request, "home.html", {"rows": rows, "kinds": queries.RECORD_KINDS})
