"""`{{ form|bootstrap_form }}`: the markup of crispy's `{{ form|crispy }}` at a fraction of the
CPU (unionportal/formrender.py says how and why)."""

from django import template
from django.forms import BaseForm
from django.utils.safestring import SafeString

from unionportal.formrender import crispy_form

register = template.Library()


@register.filter
def bootstrap_form(form: BaseForm) -> SafeString:
    return crispy_form(form)
