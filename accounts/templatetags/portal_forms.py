"""Bootstrap 5 rendering of form fields for the account pages (allauth's element templates)."""

from django import forms, template

register = template.Library()


def _widget_class(widget):
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def is_check(field):
    """Whether the bound field renders as a checkbox (label after the input)."""
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def bootstrap_widget(field):
    """The field's widget with Bootstrap classes, `is-invalid` and aria-describedby set.

    The ids match those the templates give the help text (`<id>_helptext`, as Django does) and
    the error list (`<id>_error`), so screen readers announce both with the input.
    """
    widget = field.field.widget
    classes = [widget.attrs.get("class", ""), _widget_class(widget)]
    if field.errors:
        classes.append("is-invalid")
    # Labels are always visible: a placeholder repeating the label only adds noise.
    attrs = {"class": " ".join(c for c in classes if c), "placeholder": False}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
