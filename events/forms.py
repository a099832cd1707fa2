from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event
from unionportal.forms import TownshipForm, date_fields


class EventForm(TownshipForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "starts_on",
            "ends_on",
            "category",
            "organiser",
            "participants",
            "participating_units",
            "media",
            "description",
        ]
        widgets = {
            "participating_units": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "participating_units": _(
                "多个单位用“、”或“;”分隔，按原文保存；与本乡镇基层工会或单位名称相同的会自动关联。"
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "starts_on", "ends_on")

    def clean(self):
        data = super().clean()
        title, starts_on = data.get("title"), data.get("starts_on")
        if title and starts_on:
            clash = Event.objects.filter(township=self.township, title=title, starts_on=starts_on)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("title", _("本乡镇在同一日期已有同名活动。"))
        ends_on = data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data

    def validate_unique(self) -> None:
        # The township is not a form field; clean() checks the title and date within it.
        pass
