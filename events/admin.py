from django.contrib import admin

from events.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "township", "starts_on", "category", "participants"]
    list_filter = ["township", "category"]
    search_fields = ["title", "organiser"]
    filter_horizontal = ["unions", "employers"]
