from django.utils.translation import gettext_lazy as _

from honours.models import Honour
from unionportal.forms import VersionedForm, date_fields, loosen_length, not_in_future
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
        help_texts = {"id_number": _("个人荣誉填写后，自动关联本乡镇有该身份证号的会员。")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "granted_on")
        loosen_length(self, "id_number")

    def clean_granted_on(self):
        return not_in_future(self.cleaned_data.get("granted_on"), _("授予日期"))

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data.get("id_number") or "")
