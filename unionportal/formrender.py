"""`{{ form|crispy }}` without crispy's templates: the same markup, built in Python.

Profiling the form pages (issue 18, docs/performance.md) found about half of their CPU in
crispy-bootstrap5's `field.html`, a template of some forty tags run once per field. `crispy_form()`
writes what that template writes for the `|crispy` filter (labels shown, errors as blocks under the
box, no label or field classes) for the fields the project's forms use: text, number, date and
hidden inputs, selects, text areas, checkboxes and the type-ahead box. The widget is drawn through
Django (`str(bound_field)`) after the same class names are added as crispy's `{% crispy_field %}`
adds, with a renderer (`WidgetRenderer`) that writes Django's plain input, select and text area
templates in Python (the type-ahead box keeps its template). Any other field (radio buttons,
multiple checkboxes, files, fields that use a fieldset) goes through crispy's own `field.html`, and
the whole passes through crispy's `specialspaceless` step, so the page is the same byte for byte
(unionportal/tests/test_formrender.py compares each kind of box with crispy's output;
tests/test_form_render.py every record form page, empty, with errors and filled in).
"""

from typing import Any

from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.conf import settings
from django.forms import BaseForm
from django.forms.boundfield import BoundField
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

# Whitespace long enough for crispy's `specialspaceless` to fold into one space between tags,
# where crispy's templates have a newline and indentation.
_GAP = "\n    "
_ASTERISK = '<span class="asteriskField">*</span>'


def _esc(value: Any) -> str:
    """What `{{ value }}` writes for a string-like value (autoescaped)."""
    return conditional_escape(value if isinstance(value, SafeString) else str(value))


def _add_classes(bound: BoundField, classes: str) -> None:
    """What `{% crispy_field field 'class' classes %}` does to the widget before drawing it: the
    widget's own class name in lower case, then each given class not already there."""
    widget = bound.field.widget
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    for name in classes.split():
        if name not in css_class.split():
            css_class += " " + name
    widget.attrs["class"] = css_class


_W = "django/forms/widgets/"
# Django's widget templates that only include input.html (each adds its own file's newline).
_INPUTS = {
    f"{_W}{name}.html"
    for name in (
        "text number email date datetime time url tel search password hidden checkbox color"
    ).split()
}


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html."""
    return "".join(
        f" {_esc(name)}" if value is True else f' {_esc(name)}="{_esc(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    """Django's widgets/input.html (with its file's final newline)."""
    value = widget["value"]
    value = f' value="{_esc(value)}"' if value != None else ""  # noqa: E711 (as the template)
    kind, name, attrs = _esc(widget["type"]), _esc(widget["name"]), _attrs(widget["attrs"])
    return f'<input type="{kind}" name="{name}"{value}{attrs}>\n'


def _select(widget: dict) -> str:
    """Django's widgets/select.html and select_option.html."""
    out = [f'<select name="{_esc(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_esc(group_name)}">')
        for option in group_choices:
            if option["template_name"] != f"{_W}select_option.html":
                raise _NotMine
            out.append(
                f'\n  <option value="{_esc(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_esc(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _textarea(widget: dict) -> str:
    """Django's widgets/textarea.html."""
    value = _esc(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_esc(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'
    )


class _NotMine(Exception):
    """A widget context this module does not draw; Django's template does."""


class WidgetRenderer:
    """A form renderer drawing Django's plain input, select and textarea templates in Python and
    handing any other template to the form's own renderer."""

    def __init__(self, renderer: Any) -> None:
        self.renderer = renderer

    def render(self, template_name: str, context: dict, request: Any = None) -> str:
        try:
            if template_name in _INPUTS:
                return _input(context["widget"]) + "\n"
            if template_name == f"{_W}select.html":
                return _select(context["widget"])
            if template_name == f"{_W}textarea.html":
                return _textarea(context["widget"])
        except _NotMine:
            pass
        return self.renderer.render(template_name, context, request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.renderer, name)


def _errors_and_help(bound: BoundField) -> list[str]:
    """crispy's help_text_and_errors.html for a block form: the errors, then the help text."""
    out = []
    errors = bound.errors
    if errors:
        field_id = getattr(errors, "field_id", "")
        out.append(f'<div id="{_esc(field_id)}_error" class="invalid-feedback">{_GAP}')
        auto_id = _esc(bound.auto_id)
        for i, error in enumerate(errors, 1):
            out.append(f'<p id="error_{i}_{auto_id}"><strong>{_esc(error)}</strong></p>{_GAP}')
        out.append(f"</div>{_GAP}")
    help_text = bound.help_text
    if help_text:
        id_attr = f'id="{_esc(bound.auto_id)}_helptext" ' if bound.auto_id else ""
        out.append(f'<div {id_attr}class="form-text">{help_text}</div>{_GAP}')
    return out


def _required(bound: BoundField) -> tuple[str, str]:
    return (" requiredField", _ASTERISK) if bound.field.required else ("", "")


def _simple(bound: BoundField) -> bool:
    """A field this module draws itself; the others go through crispy's field.html."""
    widget = bound.field.widget
    return not (
        isinstance(widget, (forms.RadioSelect, forms.FileInput, forms.MultiWidget))
        or hasattr(widget, "widget")
        or bound.use_fieldset
        or (bound.label and not bound.id_for_label)
    )


def _field(bound: BoundField) -> str:
    """One visible field as crispy-bootstrap5's field.html writes it under `|crispy`."""
    widget = bound.field.widget
    css = bound.css_classes()
    css = f" {css}" if css else ""
    auto_id = _esc(bound.auto_id)
    required_class, asterisk = _required(bound)
    for_id = _esc(bound.id_for_label)
    invalid = " is-invalid" if bound.errors else ""
    if isinstance(widget, forms.CheckboxInput):
        _add_classes(bound, "form-check-input" + invalid)
        out = [
            f'<div class="mb-3">{_GAP}<div id="div_{auto_id}" class="form-check{css}">{_GAP}',
            str(bound),
            f'{_GAP}<label for="{for_id}" class="form-check-label{required_class}">'
            f"\n                    {_esc(bound.label)}{asterisk}\n                </label>{_GAP}",
            *_errors_and_help(bound),
            f"</div>{_GAP}</div>{_GAP}",
        ]
        return "".join(out)
    out = [f'<div id="div_{auto_id}" class="mb-3{css}">{_GAP}']
    if bound.label:
        out.append(
            f'<label\n                for="{for_id}" class="form-label{required_class}">'
            f"\n                {_esc(bound.label)}{asterisk}\n            </label>{_GAP}"
        )
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    _add_classes(bound, base + invalid)
    out.append(str(bound))
    out.append(_GAP)
    out.extend(_errors_and_help(bound))
    out.append(f"</div>{_GAP}")
    return "".join(out)


def crispy_form(form: BaseForm) -> SafeString:
    """The HTML `{{ form|crispy }}` gives for this form (bootstrap5 pack), drawn in Python."""
    context = {
        "field_class": "",
        "form_show_errors": True,
        "form_show_labels": True,
        "label_class": "",
        "form": form,
    }
    parts = []
    renderer = form.renderer
    form.renderer = WidgetRenderer(renderer)
    try:
        _fields(form, context, parts)
    finally:
        form.renderer = renderer
    return mark_safe("\n\n" + remove_spaces("".join(parts).strip()) + "\n")


def _fields(form: BaseForm, context: dict, parts: list[str]) -> None:
    if form.non_field_errors():
        # The pack's errors.html: rare, and written by crispy's template.
        parts.append(get_template(f"{TEMPLATE_PACK}/errors.html").render(context))
        parts.append(_GAP)
    field_template = None
    for bound in form:
        if bound.is_hidden:
            parts.append(str(bound))
            parts.append(_GAP)
        elif _simple(bound):
            parts.append(_field(bound))
        else:
            field_template = field_template or get_template(f"{TEMPLATE_PACK}/field.html")
            parts.append(field_template.render({**context, "field": bound}))
