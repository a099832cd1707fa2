from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

# SimpleHistoryAdmin adds each record's history (who, when, what) to the admin pages; deleted
# records are listed and restored on the portal's 已删除的记录 page (unionportal/deleted.py).
from members.models import CollectiveContract, DuesRecord, Employer, GrassrootsUnion, Member


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
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "township", "union", "joined_on", "left_on", "is_migrant"]
    list_filter = ["township", "is_migrant", "model_worker"]
    search_fields = ["name", "id_number", "card_number"]
    raw_id_fields = ["union", "employer"]


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
