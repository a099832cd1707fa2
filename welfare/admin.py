from django.contrib import admin

from unionportal.admin import PersonalNumbersAdmin
from welfare.models import HardshipFile, MutualAidEnrolment, WelfareVisit


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


@admin.register(HardshipFile)
class HardshipFileAdmin(PersonalNumbersAdmin):
    """The household's ID number masked in the change form and the history (as for visits)."""

    list_display = ["name", "township", "category", "filed_on", "reviewed_on", "out_on"]
    list_filter = ["township", "category", "out_reason"]
    search_fields = ["name"]
    raw_id_fields = ["member", "employer", "union"]


@admin.register(MutualAidEnrolment)
class MutualAidEnrolmentAdmin(admin.ModelAdmin):
    list_display = ["union", "year", "township", "workers", "enrolled", "payouts", "paid_out"]
    list_filter = ["township", "year"]
    raw_id_fields = ["union"]
