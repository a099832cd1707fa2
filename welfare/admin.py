from django.contrib import admin

from unionportal.admin import PersonalNumbersAdmin
from welfare.models import HardshipFile, HardshipReview, MutualAidEnrolment, WelfareVisit


@admin.register(WelfareVisit)
class WelfareVisitAdmin(PersonalNumbersAdmin):
    """The recipient's ID number masked in the change form and the history (as for members)."""

    list_display = [
        "visited_on",
        "beneficiary_name",
        "township",
        "beneficiary_type",
        "cash",
        "goods_value",
        "campaign",
    ]
    list_filter = ["township", "beneficiary_type", "fund_source"]
    search_fields = ["beneficiary_name", "campaign"]
    raw_id_fields = ["member"]


class HardshipReviewInline(admin.TabularInline):
    """The file's reviews, read only: they are recorded on the portal's 登记复核 page, which
    keeps the file's 复核日期 their latest."""

    model = HardshipReview
    extra = 0
    can_delete = False
    fields = readonly_fields = ["reviewed_on", "outcome", "note", "recorded_by", "recorded_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HardshipFile)
class HardshipFileAdmin(PersonalNumbersAdmin):
    """The household's ID number masked in the change form and the history (as for visits)."""

    list_display = ["name", "township", "category", "filed_on", "reviewed_on", "out_on"]
    readonly_fields = ["reviewed_on"]  # the latest of the reviews below
    inlines = [HardshipReviewInline]
    list_filter = ["township", "category", "out_reason"]
    search_fields = ["name"]
    raw_id_fields = ["member", "employer", "union"]


@admin.register(MutualAidEnrolment)
class MutualAidEnrolmentAdmin(admin.ModelAdmin):
    list_display = ["union", "year", "township", "workers", "enrolled", "payouts", "paid_out"]
    list_filter = ["township", "year"]
    raw_id_fields = ["union"]
