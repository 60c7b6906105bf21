"""Bootstrap 5 classes for form widgets: the one place that decides them.

Used by `BootstrapFormMixin` (for fields a template renders by hand, `{{ form.field }}`) and by
the `bootstrap_widget` filter of `core/templatetags/portal_forms.py` (the shared
`core/_field.html`), so a widget gets the same classes whichever way it is rendered.
"""

from django import forms

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
