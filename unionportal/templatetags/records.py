"""Template helpers of the record pages: sortable column headers that keep the URL's state."""

from django import template

from unionportal.records import ListPage

register = template.Library()


@register.inclusion_tag("records/_sort_th.html", takes_context=True)
def sort_th(context, listing: ListPage, key: str, css: str = "") -> dict:
    """A <th> whose link sorts by `key` (again: reverses), keeping search and filters."""
    current = listing.sort.lstrip("-")
    descending = listing.sort.startswith("-")
    state = ("descending" if descending else "ascending") if key == current else ""
    return {
        "request": context["request"],
        "label": listing.spec.sorts[key][0],
        "next_sort": f"-{key}" if key == current and not descending else key,
        "state": state,
        "css": css,
    }
