from django.contrib import admin

from audit.models import PersonalInfoAccess


@admin.register(PersonalInfoAccess)
class PersonalInfoAccessAdmin(admin.ModelAdmin):
    """The reveal and export log for administrators: read only, nobody adds, edits or deletes."""

    list_display = ["at", "user_label", "action", "township", "record_label", "fields", "ip"]
    list_filter = ["action", "township", ("at", admin.DateFieldListFilter)]
    search_fields = ["user_label", "user__username", "record_label"]
    date_hierarchy = "at"
    list_select_related = ["township"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return bool(getattr(request.user, "is_administrator", False))

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)
