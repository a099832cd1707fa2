from django.contrib import admin

from disputes.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "township",
        "received_on",
        "petitioner",
        "category",
        "status",
        "closed_on",
    ]
    list_filter = ["township", "status", "category"]
    search_fields = ["number", "petitioner"]
    raw_id_fields = ["employer"]
