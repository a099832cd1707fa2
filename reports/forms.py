import datetime

from django import forms

from unionportal.periods import FORMS_HELP, Period, PeriodError, parse_period


def period_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The periods a summary is usually written for: this and last year's halves and years,
    and this year's quarters."""
    year = (today or datetime.date.today()).year
    codes = [f"{year}H1", f"{year}H2", f"{year}", *(f"{year}Q{q}" for q in range(1, 5))]
    codes += [f"{year - 1}H1", f"{year - 1}H2", f"{year - 1}"]
    return [(c, parse_period(c).label) for c in codes]


def default_period(today: datetime.date | None = None) -> str:
    """The half-year being written up: H1 until the end of September, else H2 (or last year's
    H2 in January)."""
    today = today or datetime.date.today()
    if today.month == 1:
        return f"{today.year - 1}H2"
    return f"{today.year}H1" if today.month <= 9 else f"{today.year}H2"


class PeriodField(forms.CharField):
    def to_python(self, value) -> Period | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_period(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


class PeriodForm(forms.Form):
    period = PeriodField(label="期间", help_text=FORMS_HELP)
    township = forms.IntegerField(required=False, widget=forms.HiddenInput)


class NarrativeForm(forms.Form):
    opening = forms.CharField(
        label="开头（可选）",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="留空时使用系统生成的开头段落。",
    )
    practices = forms.CharField(
        label="主要做法和经验",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一段。",
    )
    shortcomings = forms.CharField(
        label="存在不足",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一段。",
    )
    plans = forms.CharField(
        label="下一步工作打算",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一段。",
    )
