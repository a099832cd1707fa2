"""unionportal/formrender.py draws a form as crispy's `|crispy` does, byte for byte, for every kind
of box, including those it hands back to crispy (radio buttons, files) and the awkward cases:
grouped options, a text area holding markup, non-field errors, help text with markup, the form's
required and error classes. tests/test_form_render.py compares the real pages."""

import datetime

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from unionportal.formrender import crispy_form
from unionportal.forms import DateInput, money_field


class Everything(forms.Form):
    required_css_class = "required"
    error_css_class = "has-error"

    name = forms.CharField(label="姓名", max_length=10, help_text="可含<em>标记</em>")
    note = forms.CharField(label="备注", widget=forms.Textarea, required=False)
    age = forms.IntegerField(label="年龄", required=False, min_value=0)
    amount = money_field("金额")
    day = forms.DateField(label="日期", widget=DateInput(), required=False)
    kind = forms.ChoiceField(
        label="类别",
        choices=[("", "---------"), ("甲组", [("a", "一"), ("b", "二 & 三")]), ("c", "丙")],
    )
    level = forms.TypedChoiceField(label="级别", choices=[(1, 1), (2, "二")], coerce=int)
    agreed = forms.BooleanField(label="同意")
    extra = forms.BooleanField(label="额外", required=False)
    way = forms.ChoiceField(
        label="方式", widget=forms.RadioSelect, choices=[("x", "X"), ("y", "Y")]
    )
    many = forms.MultipleChoiceField(
        label="多选", widget=forms.CheckboxSelectMultiple, choices=[("1", "一"), ("2", "二")]
    )
    upload = forms.FileField(label="附件", required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    unlabelled = forms.CharField(label="", required=False)

    def clean(self):
        raise ValidationError("整张表有误：<不可>")


SAMPLES = [
    {},
    {
        "name": "<b>太长的名字会被拒绝的</b>",
        "note": '</textarea><script>"x"</script>',
        "age": "-3",
        "amount": "1.234",
        "day": "2026-02-30",
        "kind": "b",
        "level": "2",
        "agreed": "on",
        "way": "y",
        "many": ["1", "2"],
        "secret": '"q"',
        "unlabelled": "&",
    },
]


@pytest.mark.parametrize("language", ["zh-hans", "en", "zh-hant"])
@pytest.mark.parametrize("data", [None, *SAMPLES])
def test_every_box_is_drawn_as_crispy_draws_it(language, data):
    with translation.override(language):
        for initial in ({}, {"name": "王", "day": datetime.date(2026, 3, 27), "extra": True}):
            ours, theirs = (Everything(data=data, initial=initial) for _ in range(2))
            assert ours.is_bound == (data is not None)
            if data is not None:
                assert not ours.is_valid() and not theirs.is_valid()
            assert crispy_form(ours) == as_crispy_form(theirs)


def test_a_form_drawn_twice_is_drawn_the_same():
    """crispy adds its classes to the widget itself; a second drawing adds none again."""
    form = Everything(data=SAMPLES[1])
    first = crispy_form(form)
    assert crispy_form(form) == first
    assert 'class="textinput form-control is-invalid"' in first
    assert "&lt;b&gt;太长的名字" in first
