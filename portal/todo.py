"""The home page's 待办 (to-do): what needs doing, each item a link to the list it counts.

Staff and chairs: cases open past OVERDUE_DAYS, collective contracts running out within
CONTRACT_DAYS, dues rows of the last ended period not paid in full, hardship files due for their
review, a summary deadline within DEADLINE_DAYS, a summary the county returned, members transferred
in from another township waiting to be accepted, and transfers out the receiving township returned
within RETURNED_TRANSFER_DAYS. The county
(reviewers, administrators): townships overdue on a summary deadline and townships with overdue
cases. A fixed number of queries whatever the number of townships.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from disputes.queries import OVERDUE_DAYS
from members.models import CollectiveContract, DuesRecord, MemberTransfer, TransferState
from portal.models import Submission, SubmissionDeadline, SubmissionState
from unionportal import clock, kept
from unionportal.access import visible, visible_between
from unionportal.models import Township, User
from unionportal.periods import parse_period

CONTRACT_DAYS = 60
# A transfer out that the receiving township returned stays on the sender's to-do this long.
RETURNED_TRANSFER_DAYS = 30
DEADLINE_DAYS = 14
# A county's deadlines stay on its to-do for this long after they pass.
OVERDUE_DEADLINE_DAYS = 183
SENT = (SubmissionState.SUBMITTED, SubmissionState.RECEIVED)


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    level: str = "warning"


def _url(name: str, **params: object) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def expiring_contract_counts(user: User, today: datetime.date) -> dict[int, int]:
    """{township id: contracts in force today whose 期满日期 falls within CONTRACT_DAYS}."""
    until = today + datetime.timedelta(days=CONTRACT_DAYS)
    rows = (
        visible(user, CollectiveContract)
        .filter(signed_on__lte=today, expires_on__gt=today, expires_on__lte=until)
        .values("township_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["township_id"]: row["n"] for row in rows}


def unpaid_dues(user: User, today: datetime.date) -> dict[int, tuple[str, int]]:
    """{township id: (period, rows not paid in full)} for each township's last dues period
    ended by today (its latest 所属期间止 on or before today); one query.

    The rows are grouped by township and period with their unpaid count, and the last period is
    picked here: a correlated "latest 期间止 of this township" subquery ran once per dues row
    (about 57 ms of a township home page at county scale)."""
    rows = (
        visible(user, DuesRecord)
        .filter(period_end__lte=today)
        .values_list("township_id", "period_end", "period")
        .annotate(n=Count("id", filter=Q(amount_paid__lt=F("amount_due"))))
        .order_by()
    )
    last: dict[int, datetime.date] = {}
    groups: list[tuple[int, datetime.date, str, int]] = list(rows)
    for township_id, period_end, _period, _n in groups:
        if township_id not in last or period_end > last[township_id]:
            last[township_id] = period_end
    found: dict[int, tuple[str, int]] = {}
    # Several periods can end on the same day (a month and its half-year): as before, the one
    # that sorts last among those with unpaid rows.
    for township_id, period_end, period, n in sorted(groups, key=lambda g: (g[0], g[2])):
        if n and period_end == last[township_id]:
            found[township_id] = (period, n)
    return found


def township_records_todo(
    user: User, township_id: int, today: datetime.date
) -> tuple[int, tuple[str, int] | None]:
    """A township user's (contracts running out within CONTRACT_DAYS, (period, dues rows not
    paid in full) or None), read from the township's records through the user's door and kept
    under the township's data tokens of the two tables for the day (unionportal.kept): a home
    page seen again with no contract or dues row written runs neither query."""

    def compute(ids: tuple[int, ...]) -> dict[int, tuple[int, tuple[str, int] | None]]:
        contracts = expiring_contract_counts(user, today)
        dues = unpaid_dues(user, today)
        return {tid: (contracts.get(tid, 0), dues.get(tid)) for tid in ids}

    return kept.per_township("todo-records", [township_id], compute, key=today, tables=TODO_TABLES)[
        township_id
    ]


# The tables township_records_todo reads (portal/tests/test_todo.py checks them against its SQL).
TODO_TABLES = frozenset({"members_collectivecontract", "members_duesrecord"})


def transfer_counts(user: User, township_id: int) -> tuple[int, int]:
    """(transfers into the township waiting for it to accept, transfers out of it returned within
    RETURNED_TRANSFER_DAYS): one query."""
    since = clock.now() - datetime.timedelta(days=RETURNED_TRANSFER_DAYS)
    counts = visible_between(user, MemberTransfer, "to_township").aggregate(
        incoming=Count("id", filter=Q(to_township_id=township_id, state=TransferState.PENDING)),
        returned=Count(
            "id",
            filter=Q(township_id=township_id, state=TransferState.RETURNED, decided_at__gte=since),
        ),
    )
    return counts["incoming"], counts["returned"]


def todo_items(
    user: User,
    townships: list[Township],
    *,
    today: datetime.date,
    overdue_cases: dict[int, int],
    reviews_due: dict[int, int],
) -> list[Todo]:
    """The to-do of a township user (its one township) or of the county (the townships given)."""
    ids = [t.pk for t in townships]
    counties = {t.county_id for t in townships}
    soon = today + datetime.timedelta(days=DEADLINE_DAYS)
    deadlines = list(
        SubmissionDeadline.objects.filter(
            county_id__in=counties,
            due_on__gte=today - datetime.timedelta(days=OVERDUE_DEADLINE_DAYS),
            due_on__lte=soon,
        ).order_by("due_on")
    )
    submissions = list(
        Submission.objects.filter(township_id__in=ids)
        .filter(Q(state=SubmissionState.RETURNED) | Q(period__in={d.period for d in deadlines}))
        .only("township_id", "period", "state", "remark")
    )
    sent = {(s.township_id, s.period) for s in submissions if s.state in SENT}
    items: list[Todo] = []
    if user.is_township_user and not user.is_administrator:
        if not townships:
            return items
        township = townships[0]
        if n := overdue_cases.get(township.pk):
            items.append(
                Todo(
                    _("{n} 件信访案件受理超过{OVERDUE_DAYS}天仍未办结").format(
                        n=n, OVERDUE_DAYS=OVERDUE_DAYS
                    ),
                    _url("disputes:case_list", status="open", overdue=1),
                    "danger",
                )
            )
        expiring, unpaid = township_records_todo(user, township.pk, today)
        if n := expiring:
            items.append(
                Todo(
                    _("{n} 份集体合同将在{CONTRACT_DAYS}天内期满").format(
                        n=n, CONTRACT_DAYS=CONTRACT_DAYS
                    ),
                    _url(
                        "members:contract_list",
                        in_force=today.isoformat(),
                        expires_by=(today + datetime.timedelta(days=CONTRACT_DAYS)).isoformat(),
                    ),
                )
            )
        if unpaid is not None:
            period, n = unpaid
            items.append(
                Todo(
                    _("{label}有 {n} 条经费记录未足额缴纳").format(
                        label=parse_period(period).display, n=n
                    ),
                    _url("members:dues_list", paid_in_full=0, q=period),
                )
            )
        if n := reviews_due.get(township.pk):
            items.append(
                Todo(
                    _("{n} 户困难职工档案到期需复核").format(n=n),
                    _url("welfare:hardship_list", overdue=1),
                )
            )
        incoming, returned = transfer_counts(user, township.pk)
        if incoming:
            items.append(
                Todo(
                    _("{n} 名会员从其他乡镇转入，待接收").format(n=incoming),
                    _url("members:transfer_list", direction="in", state=TransferState.PENDING),
                )
            )
        if returned:
            items.append(
                Todo(
                    _("{n} 笔转往其他乡镇的转会被退回").format(n=returned),
                    _url("members:transfer_list", direction="out", state=TransferState.RETURNED),
                    "danger",
                )
            )
        for deadline in deadlines:
            if today <= deadline.due_on and (township.pk, deadline.period) not in sent:
                label = parse_period(deadline.period).display
                items.append(
                    Todo(
                        _(
                            "{label}工作总结须在{due_on:%Y-%m-%d}前报送县总工会（还有{days}天）"
                        ).format(
                            label=label, due_on=deadline.due_on, days=(deadline.due_on - today).days
                        ),
                        _url("reports:summary", period=deadline.period, township=township.pk),
                    )
                )
        for s in submissions:
            if s.state == SubmissionState.RETURNED:
                items.append(
                    Todo(
                        _("县总工会退回了{label}工作总结：{remark}").format(
                            label=parse_period(s.period).display, remark=s.remark
                        ),
                        _url("reports:summary", period=s.period, township=s.township_id),
                        "danger",
                    )
                )
        return items
    by_county = Counter(t.county_id for t in townships)
    for deadline in deadlines:
        if deadline.due_on < today:
            done = sum(
                1
                for t in townships
                if t.county_id == deadline.county_id and (t.pk, deadline.period) in sent
            )
            late = by_county[deadline.county_id] - done
            if late:
                items.append(
                    Todo(
                        _(
                            "{label}工作总结：{late} 个乡镇逾期未报送（截止{due_on:%Y-%m-%d}）"
                        ).format(
                            label=parse_period(deadline.period).display,
                            late=late,
                            due_on=deadline.due_on,
                        ),
                        _url(
                            "submissions:county", period=deadline.period, county=deadline.county_id
                        ),
                        "danger",
                    )
                )
    late_cases = [t for t in townships if t.pk in overdue_cases]
    if late_cases:
        items.append(
            Todo(
                _("{len} 个乡镇有受理超过{OVERDUE_DAYS}天未办结的信访案件：").format(
                    len=len(late_cases), OVERDUE_DAYS=OVERDUE_DAYS
                )
                + "、".join(t.name for t in late_cases),
                _url("disputes:case_list", status="open", overdue=1),
            )
        )
    return items
