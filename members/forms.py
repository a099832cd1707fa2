"""Add/edit forms of the members app. Errors come from the models' rules, in Chinese, beside the
field they concern; related records are chosen with a type-ahead box."""

from django import forms

from members.models import (
    CollectiveContract,
    DuesRecord,
    DuesRemittance,
    Employer,
    GrassrootsUnion,
    Member,
    UnionMilestone,
)
from members.typeahead import LOOKUPS, UNION
from unionportal.models import Township
from unionportal.records import VersionedForm, loosen_length, typeahead_field
from unionportal.validators import normalize_credit_code, normalize_id_number, normalize_mobile


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _dates(form: forms.ModelForm, *names: str) -> None:
    for name in names:
        form.fields[name].widget = DateInput()
        form.fields[name].error_messages["invalid"] = "请输入有效的日期，如 2026-03-27。"


def _related(form: forms.ModelForm, name: str, kind: str, queryset, township: Township) -> None:
    model_field = form._meta.model._meta.get_field(name)
    field = typeahead_field(
        LOOKUPS[kind],
        queryset.filter(township=township),
        label=str(model_field.verbose_name),
        required=not model_field.blank,
    )
    field.widget.township_id = township.pk
    form.fields[name] = field


class TownshipForm(VersionedForm):
    """A record form that knows the township the record belongs to (for related choices)."""

    def __init__(self, *args, township: Township, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.township = township


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
        _related(self, "union", "union", GrassrootsUnion.objects.all(), self.township)
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
        _dates(self, "founded_on", "dissolved_on")


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
            "card_number",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "joined_on", "left_on")
        loosen_length(self, "id_number", "mobile")
        _related(self, "union", "union", GrassrootsUnion.objects.all(), self.township)
        _related(self, "employer", "employer", Employer.objects.all(), self.township)
        if self.instance.pk:
            # Moving to another union is a transfer (转会), recorded as such.
            self.fields["union"].disabled = True
            self.fields["union"].help_text = "调整所属工会请使用“转会”。"

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data["id_number"])

    def clean_mobile(self) -> str:
        value = self.cleaned_data["mobile"]
        return normalize_mobile(value) if value else ""


class TransferForm(forms.Form):
    """转会: the member's new union, within the township."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, member: Member, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = typeahead_field(
            UNION,
            GrassrootsUnion.objects.filter(township_id=member.township_id),
            label="转入工会",
        )
        field.widget.township_id = member.township_id
        self.fields["union"] = field
        if not self.is_bound:
            self.initial["version"] = member.version


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
        _dates(self, "signed_on", "expires_on")
        _related(self, "employer", "employer", Employer.objects.all(), self.township)
        _related(self, "union", "union", GrassrootsUnion.objects.all(), self.township)


class DuesForm(TownshipForm):
    class Meta:
        model = DuesRecord
        fields = ["employer", "period", "amount_due", "amount_paid", "paid_on"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "paid_on")
        _related(self, "employer", "employer", Employer.objects.all(), self.township)


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
        _dates(self, "happened_on")
        _related(self, "union", "union", GrassrootsUnion.objects.all(), self.township)


class RemittanceForm(TownshipForm):
    class Meta:
        model = DuesRemittance
        fields = ["period", "amount_due", "amount_paid", "paid_on"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _dates(self, "paid_on")
