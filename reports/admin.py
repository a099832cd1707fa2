from django.contrib import admin

from reports.models import AnnualTarget, AssessmentWeight


@admin.register(AnnualTarget)
class AnnualTargetAdmin(admin.ModelAdmin):
    list_display = ["township", "year", "indicator", "value", "updated_by", "updated_at"]
    list_filter = ["year", "indicator", "township__county"]
    search_fields = ["township__name"]
    list_select_related = ["township", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(AssessmentWeight)
class AssessmentWeightAdmin(admin.ModelAdmin):
    list_display = ["county", "year", "indicator", "weight", "updated_by", "updated_at"]
    list_filter = ["year", "county"]
    list_select_related = ["county", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]
