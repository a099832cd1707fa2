import calendar
import datetime

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from unionportal import clock
from unionportal.periods import FORMS_HELP, Period, PeriodError, parse_period


def period_choices(
    today: datetime.date | None = None, *, year_to_date: bool = False
) -> list[tuple[str, str]]:
    """The periods a summary is usually written for: this year's halves, the year and its
    quarters, last year's halves and year; with `year_to_date`, also this year's 1—N月 for each
    month end so far (a summary page; a range is typed as 2026年1-8月 or 2026-01-01..2026-08-31)."""
    today = today or clock.today()
    year = today.year
    codes = [f"{year}H1", f"{year}H2", f"{year}", *(f"{year}Q{q}" for q in range(1, 5))]
    if year_to_date:
        codes += [f"{year}-01-01..{_month_end(year, n).isoformat()}" for n in range(2, today.month)]
    codes += [f"{year - 1}H1", f"{year - 1}H2", f"{year - 1}"]
    return [(c, parse_period(c).display) for c in codes]


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def default_period(today: datetime.date | None = None) -> str:
    """The half-year being written up: H1 until the end of September, else H2 (or last year's
    H2 in January)."""
    today = today or clock.today()
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
    period = PeriodField(label=_("期间"), help_text=FORMS_HELP)
    township = forms.IntegerField(required=False, widget=forms.HiddenInput)


class NarrativeForm(forms.Form):
    opening = forms.CharField(
        label=_("开头（可选）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("留空时使用系统生成的开头段落。"),
    )
    practices = forms.CharField(
        label=_("主要做法和经验"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一段。"),
    )
    shortcomings = forms.CharField(
        label=_("存在不足"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一段。"),
    )
    plans = forms.CharField(
        label=_("下一步工作打算"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一段。"),
    )


# --- dashboards -------------------------------------------------------------------------------

RANGE = "range"


def dashboard_period_choices(current: Period) -> list[tuple[str, str]]:
    """The period selector's options: the usual halves, quarters and years, the current period
    when it is another one, and a date range (自定义区间)."""
    choices = period_choices()
    if ".." not in current.code and current.code not in dict(choices):
        choices = [(current.code, current.display), *choices]
    return [*choices, (RANGE, _("自定义区间…"))]


class DashboardForm(forms.Form):
    """The one selector that drives a dashboard page: period (or a date range), sort order and
    the indicator the townships are compared on. Every field is optional; a bad period is an
    error shown above the figures of the default period."""

    period = forms.CharField(label=_("统计期间"), required=False)
    start = forms.DateField(label=_("开始日期"), required=False)
    end = forms.DateField(label=_("结束日期"), required=False)
    sort = forms.CharField(required=False)
    compare = forms.CharField(label=_("比较指标"), required=False)

    def clean(self):
        data = super().clean()
        code = (data.get("period") or "").strip()
        if code == RANGE:
            start, end = data.get("start"), data.get("end")
            if not (start and end):
                raise forms.ValidationError(_("自定义区间须填写开始日期和结束日期。"))
            code = f"{start.isoformat()}..{end.isoformat()}"
        try:
            data["period_value"] = parse_period(code or default_period())
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data

    def period_value(self) -> Period:
        if self.is_valid():
            return self.cleaned_data["period_value"]
        return parse_period(default_period())


class TargetsForm(forms.Form):
    """A year's targets for every township of a county (a grid) and the assessment weights.

    Fields are named t_<township id>_<indicator> and w_<indicator>; an empty cell means no target
    (or no weight)."""

    def __init__(self, *args, townships, indicators, rate_indicators, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.townships = list(townships)
        self.indicators = list(indicators)
        for township in self.townships:
            for value, label in self.indicators:
                rate = value in rate_indicators
                self.fields[f"t_{township.pk}_{value}"] = forms.DecimalField(
                    label=f"{township.name}{label}",
                    required=False,
                    min_value=0,
                    max_value=100 if rate else None,
                    max_digits=14,
                    decimal_places=2,
                )
        for value, label in self.indicators:
            self.fields[f"w_{value}"] = forms.IntegerField(
                label=format_lazy(_("{label}权重"), label=label),
                required=False,
                min_value=0,
                max_value=100,
            )

    def grid(self) -> list[tuple]:
        """(township, [bound field per indicator]) rows for the template."""
        return [
            (t, [self[f"t_{t.pk}_{value}"] for value, _ in self.indicators]) for t in self.townships
        ]

    def weight_fields(self) -> list:
        return [self[f"w_{value}"] for value, _ in self.indicators]

    def targets(self) -> dict[int, dict[str, object]]:
        return {
            t.pk: {value: self.cleaned_data[f"t_{t.pk}_{value}"] for value, _ in self.indicators}
            for t in self.townships
        }

    def weights(self) -> dict[str, int | None]:
        return {value: self.cleaned_data[f"w_{value}"] for value, _ in self.indicators}


class TargetsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("目标表（Excel）"),
        help_text=_("请先下载模板，填写后上传；空白单元格表示不设目标。"),
    )
