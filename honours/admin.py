from django.contrib import admin

from honours.models import Honour
from unionportal.admin import PersonalNumbersAdmin


@admin.register(Honour)
class HonourAdmin(PersonalNumbersAdmin):
    """The person's ID number masked in the change form and the history (as for members)."""

    list_display = ["granted_on", "recipient", "township", "title", "level", "recipient_type"]
    list_filter = ["township", "level", "recipient_type"]
    search_fields = ["recipient", "title"]
    raw_id_fields = ["member"]
