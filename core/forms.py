"""Bootstrap 5 classes for form widgets: the one place that decides them.

Used by `BootstrapFormMixin` (for fields a template renders by hand, `{{ form.field }}`) and by
the `bootstrap_widget` filter of `core/templatetags/portal_forms.py` (the shared
`core/_field.html`), so a widget gets the same classes whichever way it is rendered.
"""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .validators import apply_declared_bounds, validate_single_line

BOOTSTRAP_CLASSES = frozenset({"form-control", "form-select", "form-check-input", "form-range"})


def bootstrap_class(widget):
    """The Bootstrap class a widget needs."""
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


def with_bootstrap_class(widget, *, invalid=False):
    """The widget's own classes plus its Bootstrap class (once) and `is-invalid` if `invalid`."""
    classes = widget.attrs.get("class", "").split()
    if not BOOTSTRAP_CLASSES.intersection(classes):
        classes.append(bootstrap_class(widget))
    if invalid and "is-invalid" not in classes:
        classes.append("is-invalid")
    return " ".join(classes)


class BootstrapFormMixin:
    """Bootstrap classes on every widget, and `is-invalid`/`aria-invalid` on fields in error
    (no inline styles: the CSP forbids them)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Number ranges and their messages come from one declaration (core.validators).
        apply_declared_bounds(self)
        for field in self.fields.values():
            field.widget.attrs["class"] = with_bootstrap_class(field.widget)
            # One-line inputs take one line of text (see core.validators).
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field.widget, forms.Textarea)
                and validate_single_line not in field.validators
            ):
                field.validators.append(validate_single_line)

    def full_clean(self):
        super().full_clean()
        # Mark the fields in error for sighted users (red border) and screen readers.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = with_bootstrap_class(widget, invalid=True)
                widget.attrs["aria-invalid"] = "true"


class PortalFormRenderer(DjangoTemplates):
    """Django's form renderer, with `<select>` written in Python (settings.FORM_RENDERER).

    The same HTML as Django's `select.html`, `select_option.html` and `attrs.html` (a test
    compares them), without a template include per option: a list of the 500 agencies of a
    regional instance took 37 ms to render through the templates, most of a page's time. No
    library does this; Django renders every widget through templates by design.
    """

    SELECT = "django/forms/widgets/select.html"
    OPTION = "django/forms/widgets/select_option.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == self.SELECT else None
        if widget is None or any(
            option["template_name"] != self.OPTION
            for _group, options, _index in widget["optgroups"]
            for option in options
        ):
            return super().render(template_name, context, request=request)
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        _attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)


def _attrs(attrs):
    """As django/forms/widgets/attrs.html: ` name="value"`, a bare name for True, none for False."""
    return mark_safe(  # noqa: S308 (format_html escapes each value)
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
            for name, value in attrs.items()
            if value is not False
        )
    )
