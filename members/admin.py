from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

# SimpleHistoryAdmin adds each record's history (who, when, what) to the admin pages; deleted
# records are listed and restored on the portal's 已删除的记录 page (unionportal/deleted.py).
from members.models import (
    CollectiveContract,
    DuesRecord,
    Employer,
    GrassrootsUnion,
    Member,
    MemberTransfer,
)
from unionportal.admin import PersonalNumbersAdmin
from unionportal.pii import id_number_hash
from unionportal.validators import normalize_id_number


@admin.register(GrassrootsUnion)
class GrassrootsUnionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "township", "kind", "founded_on", "star", "dissolved_on"]
    list_filter = ["township", "kind", "star", "standardised"]
    search_fields = ["name", "chair_name"]


@admin.register(Employer)
class EmployerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "township", "economic_type", "employees", "should_unionise", "union"]
    list_filter = ["township", "economic_type", "should_unionise"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["union"]


@admin.register(Member)
class MemberAdmin(PersonalNumbersAdmin):
    """The ID number and mobile are shown masked everywhere, yet can be corrected (a number
    typed into the empty box replaces the stored one). Search finds a whole ID number through
    its keyed hash."""

    list_display = [
        "name",
        "masked_id",
        "township",
        "union",
        "joined_on",
        "left_on",
        "is_migrant",
    ]
    list_filter = ["township", "is_migrant", "model_worker"]
    search_fields = ["name", "card_number"]
    search_help_text = _("按姓名、会员证号或完整的18位身份证号查找。")
    raw_id_fields = ["union", "employer"]

    @admin.display(description=_("身份证号"))
    def masked_id(self, obj: Member) -> str:
        return obj.masked_id_number

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if len(normalize_id_number(search_term.strip())) == 18:
            found |= queryset.filter(id_number_hash=id_number_hash(search_term.strip()))
        return found, may_have_duplicates


@admin.register(CollectiveContract)
class CollectiveContractAdmin(SimpleHistoryAdmin):
    list_display = ["party_name", "township", "kind", "signed_on", "expires_on", "workers_covered"]
    list_filter = ["township", "kind", "is_renewal"]
    search_fields = ["party_name"]
    raw_id_fields = ["employer", "union"]


@admin.register(DuesRecord)
class DuesRecordAdmin(SimpleHistoryAdmin):
    list_display = ["employer", "township", "period", "amount_due", "amount_paid", "paid_on"]
    list_filter = ["township"]
    search_fields = ["employer__name", "period"]
    raw_id_fields = ["employer"]


@admin.register(MemberTransfer)
class MemberTransferAdmin(SimpleHistoryAdmin):
    """Transfers between townships with their history, read only: a transfer is started,
    withdrawn, accepted or returned on the portal's pages (members/services.py), which end the
    member's record in one township and start it in the other together; an edit here would
    leave the two out of step. The member's ID number is shown masked."""

    list_display = [
        "member",
        "masked_id",
        "township",
        "to_township",
        "day",
        "state",
        "decided_at",
    ]
    list_filter = ["state", "township", "to_township"]
    search_fields = ["member__name", "reason", "proposed_unit"]
    list_select_related = ["member", "township", "to_township"]
    readonly_fields = ["masked_id"]

    @admin.display(description=_("身份证号"))
    def masked_id(self, obj: MemberTransfer) -> str:
        return obj.member.masked_id_number

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
