import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from disputes.models import Case
from disputes.services import CLOSING_STATUSES
from members.models import Employer
from members.typeahead import EMPLOYER
from unionportal import clock
from unionportal.forms import (
    DateInput,
    TownshipForm,
    date_fields,
    money_field,
    money_input,
    not_in_future,
    township_choice,
)


class CaseForm(TownshipForm):
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
            "amount_involved": money_input(),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "received_on")
        self.fields["employer"] = township_choice(
            EMPLOYER,
            Employer.objects.all(),
            self.township.pk,
            label=_("涉及单位"),
            required=False,
            help_text=_("输入单位名称查找并选择；不涉及具体单位可留空。"),
        )
        if self.instance.pk and self.instance.is_closed:
            # A closed case's outcome, date and amount can be corrected here; an open case is
            # closed through the close form (the workflow).
            closing = CaseCloseForm(case=self.instance).fields
            for name in ("status", "closed_on", "amount_recovered"):
                self.fields[name] = copy.deepcopy(closing[name])
                self.initial.setdefault(name, getattr(self.instance, name))

    def clean_received_on(self):
        return not_in_future(self.cleaned_data.get("received_on"), _("受理日期"))

    def clean_number(self):
        number = (self.cleaned_data.get("number") or "").strip()
        clash = Case.objects.filter(township=self.township, number=number)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if number and clash.exists():
            raise ValidationError(
                format_lazy(_("本乡镇已有编号为“{number}”的信访案件。"), number=number)
            )
        return number

    def clean_closed_on(self):
        return not_in_future(self.cleaned_data.get("closed_on"), _("结案日期"))

    def clean(self):
        data = super().clean()
        received, closed = data.get("received_on"), data.get("closed_on")
        if received and closed and closed < received:
            self.add_error("closed_on", _("结案日期不能早于受理日期。"))
        return data

    def validate_unique(self) -> None:
        # The township is not a form field; clean_number checks the number within it.
        pass


class CaseCloseForm(forms.Form):
    """Closing an open case: the outcome, the date and what was recovered for the workers."""

    status = forms.ChoiceField(
        label=_("办结结果"),
        choices=[(s.value, s.label) for s in CLOSING_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择办结结果。"), "invalid_choice": _("请选择办结结果。")},
    )
    closed_on = forms.DateField(
        label=_("结案日期"),
        widget=DateInput(),
        error_messages={
            "required": _("请填写结案日期。"),
            "invalid": _("请按 年-月-日 填写结案日期。"),
        },
    )
    amount_recovered = money_field(
        _("追回金额"), help_text=_("为职工追回的工资、补偿等；没有可填 0 或留空。")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        if not self.is_bound:
            self.initial.setdefault("version", case.version)
            self.initial.setdefault("closed_on", clock.today())

    def clean_closed_on(self):
        day = not_in_future(self.cleaned_data["closed_on"], _("结案日期"))
        if day < self.case.received_on:
            raise ValidationError(
                format_lazy(
                    _("结案日期不能早于受理日期（{received_on:%Y-%m-%d}）。"),
                    received_on=self.case.received_on,
                )
            )
        return day
