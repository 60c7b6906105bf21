"""Bootstrap 5 rendering of form fields, shared by every module and the account pages.

`templates/core/_form_fields.html` renders a whole form and `templates/core/_field.html` one
field; the filters below give them the widget with its Bootstrap class, the error state and the
ids of the help text (`<id>_helptext`, as Django names it) and error list (`<id>_error`) so screen
readers announce both with the input.
"""

from django import forms, template
from django.forms.boundfield import BoundWidget

from core.forms import with_bootstrap_class

register = template.Library()


def _classes(field):
    return with_bootstrap_class(field.field.widget, invalid=bool(field.errors))


def described_by(field):
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.filter
def field_kind(field):
    """How the shared template lays the field out: hidden, check, choices or input."""
    widget = field.field.widget
    if field.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxInput):
        return "check"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    return "input"


@register.filter
def is_check(field):
    """Whether the bound field renders as a single checkbox (label after the input)."""
    return field_kind(field) == "check"


@register.filter
def describedby(field):
    """The ids of the field's help text and error list, for `aria-describedby`."""
    return described_by(field)


@register.filter
def bootstrap_widget(field):
    """The field's widget with its Bootstrap class, `is-invalid`, `aria-invalid` and
    `aria-describedby` set."""
    # Labels are always visible: a placeholder repeating the label only adds noise.
    attrs = {"class": _classes(field), "placeholder": False}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if ids := described_by(field):
        attrs["aria-describedby"] = ids
    return field.as_widget(attrs=attrs)


@register.filter
def bootstrap_choices(field):
    """The radio buttons or checkboxes of a choice field, each with `form-check-input`."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = {"class": _classes(field), **field.build_widget_attrs({})}
    attrs.pop("aria-describedby", None)  # on the fieldset, which groups the choices
    if id_:
        attrs["id"] = id_
    return [
        BoundWidget(widget, data, field.form.renderer)
        for data in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]
