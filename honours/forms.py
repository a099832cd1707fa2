from django import forms

from honours.models import Honour
from unionportal import clock
from unionportal.records import VersionedForm, loosen_length
from unionportal.validators import normalize_id_number


class HonourForm(VersionedForm):
    class Meta:
        model = Honour
        fields = [
            "recipient",
            "recipient_type",
            "id_number",
            "title",
            "level",
            "granted_by",
            "granted_on",
            "workplace",
        ]
        widgets = {"granted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"id_number": "个人荣誉填写后，自动关联本乡镇有该身份证号的会员。"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        loosen_length(self, "id_number")

    def clean_granted_on(self):
        day = self.cleaned_data.get("granted_on")
        if day and day > clock.today():
            raise forms.ValidationError("授予日期不能晚于今天。")
        return day

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data.get("id_number") or "")
