"""Add/edit forms of the members app. Errors come from the models' rules, in Chinese, beside the
field they concern; related records are chosen with a type-ahead box."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import (
    CollectiveContract,
    DuesRecord,
    DuesRemittance,
    Employer,
    GrassrootsUnion,
    Member,
    MemberTransfer,
    UnionMilestone,
)
from members.typeahead import EMPLOYER, UNION
from unionportal import clock
from unionportal.forms import (
    TownshipForm,
    choose_related,
    date_fields,
    loosen_length,
    not_in_future,
    township_choice,
)
from unionportal.models import Township
from unionportal.validators import normalize_credit_code, normalize_id_number, normalize_mobile


class EmployerForm(TownshipForm):
    class Meta:
        model = Employer
        fields = [
            "name",
            "credit_code",
            "economic_type",
            "employees",
            "migrant_employees",
            "should_unionise",
            "union",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choose_related(self, "union", UNION)
        self.fields["credit_code"].max_length = None

    def clean_credit_code(self) -> str:
        return normalize_credit_code(self.cleaned_data["credit_code"])


class UnionForm(TownshipForm):
    class Meta:
        model = GrassrootsUnion
        fields = [
            "name",
            "kind",
            "founded_on",
            "chair_name",
            "chair_is_migrant",
            "standardised",
            "star",
            "has_congress",
            "has_affairs_openness",
            "has_women_committee",
            "dissolved_on",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "founded_on", "dissolved_on")


class MemberForm(TownshipForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "id_number",
            "union",
            "employer",
            "joined_on",
            "mobile",
            "ethnicity",
            "education",
            "is_migrant",
            "model_worker",
            "left_on",
            "left_reason",
            "card_number",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "joined_on", "left_on")
        loosen_length(self, "id_number", "mobile")
        choose_related(self, "union", UNION)
        choose_related(self, "employer", EMPLOYER)
        if self.instance.pk:
            # Moving to another union is a transfer (转会), recorded as such.
            self.fields["union"].disabled = True
            self.fields["union"].help_text = _("调整所属工会请使用“转会”。")

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean_mobile(self) -> str:
        value = self.cleaned_data["mobile"]
        return normalize_mobile(value) if value else ""


class TransferForm(forms.Form):
    """转会: the member's new union within the township, the day, the reason, and optionally a
    new employer."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(label=_("转会日期"))
    reason = forms.CharField(label=_("转会原因"), max_length=40)

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["union"] = township_choice(
            UNION, GrassrootsUnion.objects.all(), member.township_id, label=_("转入工会")
        )
        self.fields["employer"] = township_choice(
            EMPLOYER,
            Employer.objects.all(),
            member.township_id,
            label=_("新工作单位"),
            required=False,
            help_text=_("工作单位不变时留空。"),
        )
        self.order_fields(["union", "employer", "day", "reason"])
        date_fields(self, "day")
        if not self.is_bound:
            self.initial["version"] = member.version
            self.initial["day"] = clock.today()

    def clean_day(self):
        return not_in_future(self.cleaned_data["day"], _("转会日期"))


class LeaveForm(forms.Form):
    """离会: the day the membership ends and why. Shown on the transfer page with the prefix
    "leave", so its fields never mix with the transfer's."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(label=_("离会日期"))
    reason = forms.CharField(label=_("离会原因"), max_length=40)

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "day")
        if not self.is_bound:
            self.initial["version"] = member.version
            self.initial["day"] = clock.today()

    def clean_day(self):
        return not_in_future(self.cleaned_data["day"], _("离会日期"))


class TransferOutForm(forms.Form):
    """转往其他乡镇: the receiving township among the county's others, the day, the reason, and
    what the member's new union or employer will be if known. Needs the receiving township's
    acceptance."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    to_township = forms.ModelChoiceField(
        label=_("转入乡镇"), queryset=Township.objects.none(), empty_label=_("请选择乡镇")
    )
    day = forms.DateField(label=_("转会日期"))
    reason = forms.CharField(label=_("转会原因"), max_length=40)
    proposed_unit = forms.CharField(
        label=_("拟转入的工会或单位"),
        max_length=100,
        required=False,
        help_text=_("如已知，写明新的工作单位或工会，供接收乡镇参考。"),
    )

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_township"].queryset = Township.objects.filter(
            county_id=member.township.county_id
        ).exclude(pk=member.township_id)
        self.fields["to_township"].error_messages["invalid_choice"] = _(
            "请从列表中选择本县的其他乡镇。"
        )
        date_fields(self, "day")
        if not self.is_bound:
            self.initial["version"] = member.version
            self.initial["day"] = clock.today()

    def clean_day(self):
        return not_in_future(self.cleaned_data["day"], _("转会日期"))


class TransferAcceptForm(forms.Form):
    """接收: the union (required) and the employer (optional) the member joins in the receiving
    township."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, transfer: MemberTransfer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["union"] = township_choice(
            UNION, GrassrootsUnion.objects.all(), transfer.to_township_id, label=_("所属工会")
        )
        self.fields["employer"] = township_choice(
            EMPLOYER,
            Employer.objects.all(),
            transfer.to_township_id,
            label=_("工作单位"),
            required=False,
        )
        self.order_fields(["union", "employer"])
        if not self.is_bound:
            self.initial["version"] = transfer.version


class TransferReturnForm(forms.Form):
    """退回: why the receiving township does not take the member in."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    remark = forms.CharField(
        label=_("退回意见"), max_length=200, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, transfer: MemberTransfer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = transfer.version


class ContractForm(TownshipForm):
    class Meta:
        model = CollectiveContract
        fields = [
            "party_name",
            "employer",
            "union",
            "kind",
            "signed_on",
            "expires_on",
            "workers_covered",
            "is_renewal",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "signed_on", "expires_on")
        choose_related(self, "employer", EMPLOYER)
        choose_related(self, "union", UNION)


class DuesForm(TownshipForm):
    class Meta:
        model = DuesRecord
        fields = ["employer", "period", "amount_due", "amount_paid", "paid_on"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "paid_on")
        choose_related(self, "employer", EMPLOYER)


class MilestoneForm(TownshipForm):
    class Meta:
        model = UnionMilestone
        fields = [
            "union",
            "kind",
            "happened_on",
            "level",
            "chair_name",
            "chair_is_migrant",
            "delegates",
            "note",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "happened_on")
        choose_related(self, "union", UNION)


class RemittanceForm(TownshipForm):
    class Meta:
        model = DuesRemittance
        fields = ["period", "amount_due", "amount_paid", "paid_on"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_fields(self, "paid_on")
