"""Counting the records a user may see, per township, kept under each township's data token for
the counted table (unionportal.kept) so a page seen again with nothing of that kind written
counts nothing."""

from django.db.models import Count, Model

from unionportal import kept
from unionportal.access import visible
from unionportal.models import User


def visible_total(user: User, model: type[Model], township_ids: list[int]) -> int:
    """How many records of `model` the user may see in these townships (all they may see):
    each township's count kept under its data token for the model's table (visible() filters
    that table alone), counted again only once a record of the kind was written there."""

    kind = f"count:{model._meta.label_lower}"
    counted = kept.per_township(
        kind,
        township_ids,
        lambda ids: count_by_township(user, model, ids),
        tables=frozenset({model._meta.db_table}),
    )
    return sum(counted.values())


def count_by_township(user: User, model: type[Model], ids: tuple[int, ...]) -> dict[int, int]:
    """{township id: records of `model` the user may see there} for these townships (one
    grouped query; 0 where there are none)."""
    counts = dict.fromkeys(ids, 0)
    grouped = (
        visible(user, model)
        .filter(township_id__in=ids)
        .values("township_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    for row in grouped:
        counts[row["township_id"]] = row["n"]
    return counts
