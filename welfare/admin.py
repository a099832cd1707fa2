from django.contrib import admin

from welfare.models import WelfareVisit


@admin.register(WelfareVisit)
class WelfareVisitAdmin(admin.ModelAdmin):
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
