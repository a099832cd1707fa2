"""The one table of record kinds: everything that lists the kinds (navigation, home counts and
cards, deleted records, seed_demo's summary, tests) reads it. A new kind is one row here."""

from dataclasses import dataclass

from django.db.models import Model
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from disputes.models import Case
from events.models import Event
from honours.models import Honour
from members.models import (
    CollectiveContract,
    DuesRecord,
    DuesRemittance,
    Employer,
    GrassrootsUnion,
    Member,
    UnionMilestone,
)
from welfare.models import HardshipFile, MutualAidEnrolment, WelfareVisit


@dataclass(frozen=True)
class RecordKind:
    key: str
    label: str | Promise
    model: type[Model]
    # Bootstrap Icons class beside the kind on a township's home page.
    icon: str
    # URL name of the kind's list page.
    list_url_name: str

    @property
    def list_url(self) -> str:
        return reverse(self.list_url_name)

    def __iter__(self):
        """(key, label, model), for code that unpacks a kind."""
        return iter((self.key, self.label, self.model))


# In the order the home page and the navigation show them.
KINDS: tuple[RecordKind, ...] = (
    RecordKind("employers", _("单位"), Employer, "bi-building", "members:employer_list"),
    RecordKind("unions", _("基层工会"), GrassrootsUnion, "bi-diagram-3", "members:union_list"),
    RecordKind("milestones", _("工会建设"), UnionMilestone, "bi-flag", "members:milestone_list"),
    RecordKind("members", _("会员"), Member, "bi-people", "members:member_list"),
    RecordKind(
        "contracts",
        _("集体合同"),
        CollectiveContract,
        "bi-file-earmark-text",
        "members:contract_list",
    ),
    RecordKind("dues", _("经费记录"), DuesRecord, "bi-cash-coin", "members:dues_list"),
    RecordKind("remittances", _("经费上缴"), DuesRemittance, "bi-bank", "members:remittance_list"),
    RecordKind("visits", _("慰问"), WelfareVisit, "bi-gift", "welfare:visit_list"),
    RecordKind(
        "hardship", _("困难职工档案"), HardshipFile, "bi-house-heart", "welfare:hardship_list"
    ),
    RecordKind(
        "mutual_aid", _("医疗互助"), MutualAidEnrolment, "bi-heart-pulse", "welfare:mutualaid_list"
    ),
    RecordKind("cases", _("信访案件"), Case, "bi-chat-left-text", "disputes:case_list"),
    RecordKind("events", _("活动"), Event, "bi-calendar-event", "events:event_list"),
    RecordKind("honours", _("荣誉表彰"), Honour, "bi-award", "honours:honour_list"),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
