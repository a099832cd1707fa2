"""Reads of the tenancy layer used by more than one page."""

from dataclasses import dataclass

from django.db.models import Count

from disputes.models import Case
from events.models import Event
from members.models import CollectiveContract, DuesRecord, Employer, GrassrootsUnion, Member
from unionportal.access import visible, visible_townships
from unionportal.models import Township, User
from welfare.models import WelfareVisit

# (key, label, model) in the order the home page shows them.
RECORD_KINDS = [
    ("employers", "单位", Employer),
    ("unions", "基层工会", GrassrootsUnion),
    ("members", "会员", Member),
    ("contracts", "集体合同", CollectiveContract),
    ("dues", "经费记录", DuesRecord),
    ("visits", "慰问", WelfareVisit),
    ("cases", "信访案件", Case),
    ("events", "活动", Event),
]


@dataclass
class TownshipCounts:
    township: Township
    counts: dict[str, int]

    @property
    def ordered(self) -> list[int]:
        return [self.counts.get(key, 0) for key, _, _ in RECORD_KINDS]


def record_counts_by_township(user: User) -> list[TownshipCounts]:
    """Count every record kind per visible township: one grouped query per kind."""
    townships = list(visible_townships(user))
    by_id = {t.pk: TownshipCounts(t, {}) for t in townships}
    for key, _label, model in RECORD_KINDS:
        grouped = visible(user, model).values("township_id").annotate(n=Count("id")).order_by()
        for row in grouped:
            if row["township_id"] in by_id:
                by_id[row["township_id"]].counts[key] = row["n"]
    return list(by_id.values())
