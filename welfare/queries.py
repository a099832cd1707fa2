"""Reads of the hardship register and medical mutual aid used by more than one page."""

import datetime
import re

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Concat, Left
from django.utils.translation import gettext_lazy as _

from unionportal import clock
from unionportal.access import may_reveal, of_township, visible
from unionportal.models import User
from unionportal.pii import id_number_hash
from unionportal.records import ListFilter, ListSpec, choice_filter, id_filter, parse_date
from unionportal.validators import normalize_id_number
from welfare import list_rows
from welfare.models import (
    ExitReason,
    HardshipCategory,
    HardshipCause,
    HardshipFile,
    HardshipReview,
    WelfareVisit,
    review_cutoff,
)


def open_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Files on the register on `day`: filed on or before it and not out of hardship by then."""
    return Q(**{f"{prefix}filed_on__lte": day}) & (
        Q(**{f"{prefix}out_on__isnull": True}) | Q(**{f"{prefix}out_on__gt": day})
    )


def review_overdue_q(day: datetime.date) -> Q:
    """On file on `day` with neither a review (its history, HardshipReview) nor its filing in
    the 12 months before it (spec/indicators.md 复核逾期户数). Counted from the history, so a
    past day is judged by the reviews made by then, not by the latest one."""
    cutoff = review_cutoff(day)
    reviewed_in_time = Exists(
        HardshipReview.objects.filter(
            file_id=OuterRef("pk"), reviewed_on__gte=cutoff, reviewed_on__lte=day
        )
    )
    return open_on_q(day) & Q(filed_on__lt=cutoff) & ~Q(reviewed_in_time)


def is_review_overdue(file: HardshipFile, day: datetime.date) -> bool:
    """The same rule for one file (its detail page)."""
    return (
        of_township(file.township_id, HardshipFile)
        .filter(pk=file.pk)
        .filter(review_overdue_q(day))
        .exists()
    )


def with_review_overdue(queryset: QuerySet[HardshipFile], day: datetime.date) -> QuerySet:
    """`review_overdue` on each row, computed in the list's one query."""
    return queryset.annotate(
        review_overdue=ExpressionWrapper(review_overdue_q(day), output_field=BooleanField())
    )


def visited_q(start: datetime.date, end: datetime.date) -> Q:
    """The household was visited within [start, end]: a welfare visit of the same township with
    the same ID number (its keyed hash)."""
    return Q(
        Exists(
            WelfareVisit.objects.filter(
                township_id=OuterRef("township_id"),
                id_number_hash=OuterRef("id_number_hash"),
                visited_on__gte=start,
                visited_on__lte=end,
            )
        )
    )


def sees_hardship_details(user: User, township_id: int | None) -> bool:
    """致困原因, 家庭月人均收入 and the head of household's whole name are for the staff and chair
    of the file's township (and administrators), like whole ID numbers; reviewers see counts,
    categories and masked names."""
    return may_reveal(user, township_id)


def with_masked_name(queryset: QuerySet[HardshipFile]) -> QuerySet[HardshipFile]:
    """The head of household's name as a reviewer sees it (张**), computed in SQL for exports."""
    return queryset.annotate(name_masked=Concat(Left("name", 1), Value("**")))


def overdue_review_counts(user: User, day: datetime.date) -> dict[int, int]:
    """{township id: files due for their annual review on `day`} among the townships the user
    sees, in one grouped query (the home page's task card)."""
    rows = (
        visible(user, HardshipFile)
        .filter(review_overdue_q(day))
        .values("township_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["township_id"]: row["n"] for row in rows}


# --- list pages -------------------------------------------------------------------------------
# Dashboards link here: hardship_list ?on_file_at=<date> (在档), ?out_in=<from>..<to> (脱困),
# ?visited_in=<from>..<to> (走访覆盖: visited within the range), ?overdue=1 (复核逾期 today) or
# ?overdue_at=<date>; mutualaid_list ?years=<first>..<last>.


def _span(value: str) -> tuple[datetime.date, datetime.date] | None:
    first, _dots, last = value.partition("..")
    start, end = parse_date(first), parse_date(last)
    if start is None or end is None or start > end:
        return None
    return start, end


def _on_file_at(qs: QuerySet, value: str) -> QuerySet:
    day = parse_date(value)
    return qs.filter(open_on_q(day)) if day else qs.none()


def _out_in(qs: QuerySet, value: str) -> QuerySet:
    span = _span(value)
    return qs.filter(out_on__gte=span[0], out_on__lte=span[1]) if span else qs.none()


def _visited_in(qs: QuerySet, value: str) -> QuerySet:
    span = _span(value)
    return qs.filter(visited_q(*span)) if span else qs.none()


def _overdue(qs: QuerySet, value: str) -> QuerySet:
    if value == "1":
        return qs.filter(review_overdue_q(clock.today()))
    if value == "0":
        return qs.exclude(review_overdue_q(clock.today()))
    return qs


def _overdue_at(qs: QuerySet, value: str) -> QuerySet:
    day = parse_date(value)
    return qs.filter(review_overdue_q(day)) if day else qs.none()


def _open(qs: QuerySet, value: str) -> QuerySet:
    if value == "1":
        return qs.filter(out_on__isnull=True)
    if value == "0":
        return qs.filter(out_on__isnull=False)
    return qs


def _hardship_search(q: str) -> Q:
    found = Q(name__contains=q) | Q(note__contains=q)
    # The ID is encrypted: a whole number is found by its keyed hash, not a prefix.
    if len(normalize_id_number(q)) in (15, 18):
        found |= Q(id_number_hash=id_number_hash(q))
    return found


HARDSHIP_LIST = ListSpec(
    search=_hardship_search,
    sorts={
        "filed": (_("建档日期"), ("filed_on", "id")),
        "name": (_("姓名"), ("name", "id")),
        "category": (_("困难类别"), ("category", "id")),
        "reviewed": (_("复核日期"), ("reviewed_on", "id")),
        "out": (_("脱困日期"), ("out_on", "id")),
    },
    default_sort="-filed",
    filters=[
        choice_filter("category", _("困难类别"), "category", HardshipCategory.choices),
        ListFilter("open", _("在档"), _open, [("1", _("在档（未脱困）")), ("0", _("已脱困"))]),
        ListFilter("overdue", _("复核逾期"), _overdue, [("1", _("是")), ("0", _("否"))]),
        choice_filter("out_reason", _("脱困原因"), "out_reason", ExitReason.choices),
        ListFilter(
            "cause", _("致困原因"), lambda qs, v: qs.filter(_cause_q(v)), HardshipCause.choices
        ),
        ListFilter("on_file_at", _("在档"), _on_file_at, chip=_("截至{value}在档")),
        ListFilter("out_in", _("脱困"), _out_in, chip=_("{value}期间脱困")),
        ListFilter("visited_in", _("已走访"), _visited_in, chip=_("{value}期间已走访")),
        ListFilter("overdue_at", _("复核逾期"), _overdue_at, chip=_("截至{value}复核逾期")),
        id_filter("member", _("会员"), "member_id"),
        id_filter("union", _("所属工会"), "union_id"),
    ],
    date_field="filed_on",
    date_label=_("建档日期"),
    search_placeholder=_("姓名、备注或完整身份证号"),
    add_label=_("新增困难职工档案"),
)


def _cause_q(value: str) -> Q:
    if value not in HardshipCause.values:
        return Q(pk__in=[])
    # Codes are joined by commas: match the whole code, not a part of a longer one.
    return (
        Q(causes=value)
        | Q(causes__startswith=f"{value},")
        | Q(causes__endswith=f",{value}")
        | Q(causes__contains=f",{value},")
    )


def _year(text: str) -> int | None:
    # ASCII digits only: '²'.isdigit() is true, and int() refuses it.
    return int(text) if re.fullmatch(r"[0-9]{4}", text) else None


def _years(qs: QuerySet, value: str) -> QuerySet:
    first, _dots, last = value.partition("..")
    start, end = _year(first), _year(last or first)
    if start is None or end is None:
        return qs.none()
    return qs.filter(year__gte=start, year__lte=end)


MUTUAL_AID_LIST = ListSpec(
    search=lambda q: Q(union__name__contains=q),
    sorts={
        "year": (_("年度"), ("year", "union__name", "id")),
        "union": (_("所属工会"), ("union__name", "year", "id")),
        "workers": (_("在职职工人数"), ("workers", "id")),
        "enrolled": (_("参加人数"), ("enrolled", "id")),
        "payouts": (_("受助人次"), ("payouts", "id")),
        "paid": (_("受助金额"), ("paid_out", "id")),
    },
    default_sort="-year",
    filters=[
        ListFilter("year", _("年度"), lambda qs, v: qs.filter(year=_year(v)) if _year(v) else qs),
        ListFilter("years", _("年度"), _years, chip=_("{value}年度")),
        id_filter("union", _("所属工会"), "union_id"),
    ],
    search_placeholder=_("基层工会名称"),
    add_label=_("新增医疗互助"),
    row_fields=(
        "year",
        "township__name",
        "union__name",
        "workers",
        "enrolled",
        "payouts",
        "paid_out",
    ),
    row_cells=list_rows.mutual_aid_cells,
)
