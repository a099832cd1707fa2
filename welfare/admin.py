from django.contrib import admin

from unionportal.admin import PersonalNumbersAdmin
from welfare.models import WelfareVisit


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
