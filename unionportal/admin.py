import dataclasses
from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from unionportal.masking import mask_id_number, mask_mobile
from unionportal.models import County, Township, User

# The personal numbers a record may hold, and how the admin shows them. A whole number is seen
# only through the portal's reveal, which writes an access-log entry (audit/); the admin has no
# such log, so it never sends one to the browser.
PERSONAL_NUMBERS: dict[str, Callable[[str], str]] = {
    "id_number": mask_id_number,
    "mobile": mask_mobile,
}
# Derived from the ID number; its changes say nothing a person reads.
HIDDEN_IN_HISTORY = {"id_number_hash"}


class WriteOnlyInput(forms.TextInput):
    """A text box that starts empty whatever is stored, so the stored number never reaches the
    page (nor the page of a past version)."""

    def format_value(self, value):
        return None


class PersonalNumbersForm(forms.ModelForm):
    """The admin form of a record holding an ID number or a mobile: each box starts empty, with
    the stored number masked beside it; left empty, the number stays as it was, and a number
    typed in replaces it (an administrator corrects a mistake)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stored: dict[str, str] = {}
        for name, mask in PERSONAL_NUMBERS.items():
            field = self.fields.get(name)
            if field is None:
                continue
            field.widget = WriteOnlyInput(attrs=field.widget.attrs)
            stored = getattr(self.instance, name, "") if self.instance.pk else ""
            if stored:
                self.stored[name] = stored
                field.required = False
                field.help_text = _(
                    "当前：{masked}。为保护个人信息，这里不显示完整号码"
                    "（在平台的记录页面查看，会登记查看记录）；留空则不变，输入新号码则替换。"
                ).format(masked=mask(stored))

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, stored in self.stored.items():
            if not cleaned.get(name) and name not in self.errors:
                cleaned[name] = stored
        return cleaned


class MaskedHistoryHelper(HistoricalRecordContextHelper):
    """The history list's "changes" column with personal numbers masked and the look-up hash
    left out."""

    def context_for_delta_changes(self, delta) -> list[dict]:
        shown = [c for c in delta.changes if c.field not in HIDDEN_IN_HISTORY]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=shown))

    def prepare_delta_change_value(self, change, value):
        mask = PERSONAL_NUMBERS.get(change.field)
        if mask is not None:
            return mask(value or "")
        return super().prepare_delta_change_value(change, value)


class PersonalNumbersAdmin(SimpleHistoryAdmin):
    """Admin of a record holding an ID number or a mobile (members, welfare visits): masked in
    the change form, in the history list and in a past version's page."""

    form = PersonalNumbersForm

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskedHistoryHelper(self.model, historical_record)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "role",
        "township",
        "county",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "county", "township", "is_active"]
    search_fields = ["username", "full_name"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (gettext_lazy("个人信息"), {"fields": ["full_name", "email"]}),
        (gettext_lazy("角色与单位"), {"fields": ["role", "township", "county"]}),
        (gettext_lazy("权限"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (gettext_lazy("重要日期"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "full_name",
                    "role",
                    "township",
                    "county",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
