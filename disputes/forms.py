import copy
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from disputes.models import Case
from disputes.services import CLOSING_STATUSES
from members.models import Employer
from members.typeahead import EMPLOYER
from unionportal import clock
from unionportal.models import Township
from unionportal.records import VersionedForm, typeahead_field

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_ATTRS = {"step": "0.01", "min": "0", "inputmode": "decimal"}


class CaseForm(VersionedForm):
    """A case's details. Its status changes only through the close form (the workflow)."""

    class Meta:
        model = Case
        fields = [
            "number",
            "received_on",
            "channel",
            "petitioner",
            "people_involved",
            "employer",
            "category",
            "amount_involved",
            "handling",
            "summary",
        ]
        widgets = {
            "received_on": DATE,
            "amount_involved": forms.NumberInput(attrs=MONEY_ATTRS),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, township: Township, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.township = township
        self.fields["employer"] = typeahead_field(
            EMPLOYER,
            Employer.objects.filter(township=township),
            label="涉及单位",
            required=False,
            help_text="输入单位名称查找并选择；不涉及具体单位可留空。",
        )
        self.fields["employer"].widget.township_id = township.pk
        if self.instance.pk and self.instance.is_closed:
            # A closed case's outcome, date and amount can be corrected here; an open case is
            # closed through the close form (the workflow).
            closing = CaseCloseForm(case=self.instance).fields
            for name in ("status", "closed_on", "amount_recovered"):
                self.fields[name] = copy.deepcopy(closing[name])
                self.initial.setdefault(name, getattr(self.instance, name))

    def clean_received_on(self):
        day = self.cleaned_data.get("received_on")
        if day and day > clock.today():
            raise ValidationError("受理日期不能晚于今天。")
        return day

    def clean_number(self):
        number = (self.cleaned_data.get("number") or "").strip()
        clash = Case.objects.filter(township=self.township, number=number)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if number and clash.exists():
            raise ValidationError(f"本乡镇已有编号为“{number}”的信访案件。")
        return number

    def clean_closed_on(self):
        day = self.cleaned_data.get("closed_on")
        if day and day > clock.today():
            raise ValidationError("结案日期不能晚于今天。")
        return day

    def clean(self):
        data = super().clean()
        received, closed = data.get("received_on"), data.get("closed_on")
        if received and closed and closed < received:
            self.add_error("closed_on", "结案日期不能早于受理日期。")
        return data

    def validate_unique(self) -> None:
        # The township is not a form field; clean_number checks the number within it.
        pass


class CaseCloseForm(forms.Form):
    """Closing an open case: the outcome, the date and what was recovered for the workers."""

    status = forms.ChoiceField(
        label="办结结果",
        choices=[(s.value, s.label) for s in CLOSING_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择办结结果。", "invalid_choice": "请选择办结结果。"},
    )
    closed_on = forms.DateField(
        label="结案日期",
        widget=DATE,
        error_messages={"required": "请填写结案日期。", "invalid": "请按 年-月-日 填写结案日期。"},
    )
    amount_recovered = forms.DecimalField(
        label="追回金额（元）",
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        widget=forms.NumberInput(attrs=MONEY_ATTRS),
        help_text="为职工追回的工资、补偿等；没有可填 0 或留空。",
        error_messages={
            "invalid": "追回金额应为数字。",
            "min_value": "追回金额不能为负数。",
            "max_decimal_places": "追回金额最多两位小数。",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        if not self.is_bound:
            self.initial.setdefault("version", case.version)
            self.initial.setdefault("closed_on", clock.today())

    def clean_closed_on(self):
        day = self.cleaned_data["closed_on"]
        if day > clock.today():
            raise ValidationError("结案日期不能晚于今天。")
        if day < self.case.received_on:
            raise ValidationError(f"结案日期不能早于受理日期（{self.case.received_on:%Y-%m-%d}）。")
        return day
