from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from members.typeahead import EMPLOYER, UNION
from unionportal import clock
from unionportal.forms import (
    DateInput,
    TownshipForm,
    VersionedForm,
    choose_related,
    date_fields,
    loosen_length,
    money_field,
    money_input,
    not_in_future,
)
from unionportal.validators import normalize_id_number, validate_id_number
from welfare.models import (
    BeneficiaryType,
    FundSource,
    HardshipCause,
    HardshipFile,
    MutualAidEnrolment,
    ReviewOutcome,
    WelfareVisit,
    join_causes,
    split_causes,
)


class VisitForm(VersionedForm):
    class Meta:
        model = WelfareVisit
        fields = [
            "visited_on",
            "beneficiary_type",
            "beneficiary_name",
            "id_number",
            "cash",
            "goods_value",
            "fund_source",
            "campaign",
            "note",
        ]
        widgets = {"cash": money_input(), "goods_value": money_input()}
        help_texts = {"id_number": _("填写后，自动关联本乡镇有该身份证号的会员。")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "visited_on")
        loosen_length(self, "id_number")

    def clean_visited_on(self):
        return not_in_future(self.cleaned_data.get("visited_on"))

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data.get("id_number") or "")


class CampaignForm(forms.Form):
    """What a campaign's households share: written once at the top of the form."""

    campaign = forms.CharField(
        label=_("活动名称"),
        max_length=100,
        help_text=_("如 2026年春节送温暖"),
        error_messages={"required": _("请填写活动名称。")},
    )
    visited_on = forms.DateField(
        label=_("慰问日期"), widget=DateInput(), error_messages={"required": _("请填写慰问日期。")}
    )
    beneficiary_type = forms.ChoiceField(
        label=_("对象类型"),
        choices=[("", _("请选择"))] + BeneficiaryType.choices,
        error_messages={"required": _("请选择对象类型。")},
    )
    fund_source = forms.ChoiceField(
        label=_("资金来源"), choices=[("", _("（未说明）"))] + FundSource.choices, required=False
    )

    def clean_visited_on(self):
        return not_in_future(self.cleaned_data.get("visited_on"))


class HouseholdForm(forms.Form):
    """One household (or person) of a campaign, one row of the table."""

    name = forms.CharField(
        label=_("对象姓名"), max_length=40, error_messages={"required": _("请填写对象姓名。")}
    )
    id_number = forms.CharField(
        label=_("身份证号"), max_length=24, required=False, help_text=_("选填；填写后关联会员")
    )
    cash = money_field(_("慰问金额"))
    goods_value = money_field(_("物资折款"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Drawn as a table row: the column header is the visible label, aria-label the spoken one.
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-control", "aria-label": field.label})

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        # Red border on the row's faulty boxes (crispy does this for the other forms).
        for name in self._errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs["class"]:
                    widget.attrs["class"] += " is-invalid"

    def clean_id_number(self):
        value = normalize_id_number(self.cleaned_data.get("id_number") or "")
        if value:
            validate_id_number(value)
        return value


class BaseHouseholdFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not filled:
            raise ValidationError(_("请至少填写一户慰问对象。"))
        seen: dict[str, int] = {}
        for index, form in enumerate(self.forms, start=1):
            id_number = form.cleaned_data.get("id_number")
            if not id_number:
                continue
            if id_number in seen:
                form.add_error(
                    "id_number",
                    format_lazy(_("与第{seen}户的身份证号重复。"), seen=seen[id_number]),
                )
            else:
                seen[id_number] = index

    @property
    def households(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.has_changed() and f.cleaned_data]


HouseholdFormSet = forms.formset_factory(
    HouseholdForm, formset=BaseHouseholdFormSet, extra=2, max_num=500, validate_max=True
)


class HardshipFileForm(TownshipForm):
    """A household's file: filing and 脱困 with its reason. Reviews are recorded one by one on
    the file's page (HardshipReviewForm), which keeps its 复核日期."""

    causes = forms.MultipleChoiceField(
        label=_("致困原因"),
        choices=HardshipCause.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项致困原因。")},
    )

    class Meta:
        model = HardshipFile
        fields = [
            "name",
            "id_number",
            "employer",
            "union",
            "category",
            "causes",
            "household_size",
            "income_per_head",
            "filed_on",
            "out_on",
            "out_reason",
            "reported_on",
            "note",
        ]
        widgets = {"income_per_head": money_input()}
        help_texts = {"id_number": _("填写后，自动关联本乡镇有该身份证号的会员和慰问记录。")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "filed_on", "out_on", "reported_on")
        loosen_length(self, "id_number")
        choose_related(self, "employer", EMPLOYER)
        choose_related(self, "union", UNION)
        if self.instance.pk and not self.is_bound:
            self.initial["causes"] = split_causes(self.instance.causes)

    def clean_id_number(self):
        return normalize_id_number(self.cleaned_data.get("id_number") or "")

    def clean_causes(self):
        return join_causes(self.cleaned_data.get("causes") or [])

    def clean_filed_on(self):
        return not_in_future(self.cleaned_data.get("filed_on"))

    def clean_out_on(self):
        return not_in_future(self.cleaned_data.get("out_on"))


class HardshipReviewForm(forms.Form):
    """复核: the day of the annual review, its conclusion and a note; the file's version rides
    along hidden, so a review of a file changed meanwhile is refused (record_form_page)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reviewed_on = forms.DateField(label=_("复核日期"))
    outcome = forms.ChoiceField(label=_("复核结论"), choices=ReviewOutcome.choices)
    note = forms.CharField(label=_("复核说明"), max_length=200, required=False)

    def __init__(self, *args, file: HardshipFile, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "reviewed_on")
        if not self.is_bound:
            self.initial["version"] = file.version
            self.initial["reviewed_on"] = clock.today()

    def clean_reviewed_on(self):
        return not_in_future(self.cleaned_data["reviewed_on"], _("复核日期"))


class MutualAidForm(TownshipForm):
    """One union's medical mutual aid for one year."""

    class Meta:
        model = MutualAidEnrolment
        fields = ["union", "year", "workers", "enrolled", "premiums", "payouts", "paid_out"]
        widgets = {"premiums": money_input(), "paid_out": money_input()}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choose_related(self, "union", UNION)
        if not self.instance.pk and not self.is_bound:
            self.initial["year"] = clock.today().year
