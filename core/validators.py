"""Bounds of numbers, declared once with the one message that explains them.

A model field declares `validators=bounds(1, 480, _("Between 1 and 480 minutes."))`; the model's
`full_clean()` and every form built on it (through `BootstrapFormMixin`, see `apply_bounds`) then
refuse -5, 0 and 481 with that same sentence, and the browser's number input gets the same
`min`/`max`. A form field that has no model field behind it uses `bounds(...)` the same way.
"""

from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

RANGE_VALIDATORS = (MinValueValidator, MaxValueValidator)


def bounds(low=None, high=None, message=None):
    """Validators for `low <= value <= high` (either end may be open), all with one message."""
    validators = []
    if low is not None:
        validators.append(MinValueValidator(low, message=message))
    if high is not None:
        validators.append(MaxValueValidator(high, message=message))
    return validators


def apply_bounds(form_field, validators):
    """Give a number form field the range and message of `validators` (and nothing else)."""
    declared = [v for v in validators if isinstance(v, RANGE_VALIDATORS)]
    if not declared:
        return
    # Drop the field's own range checks (e.g. `min_value=0` of a positive integer model field),
    # whose stock wording ("greater than or equal to 0") contradicts the declared message.
    form_field.validators = [
        v for v in form_field.validators if not isinstance(v, RANGE_VALIDATORS)
    ] + declared
    for validator in declared:
        if isinstance(validator, MinValueValidator):
            form_field.min_value = validator.limit_value
            form_field.widget.attrs["min"] = validator.limit_value
        else:
            form_field.max_value = validator.limit_value
            form_field.widget.attrs["max"] = validator.limit_value


def _declared(validators):
    """Range validators that carry a message of their own (not Django's stock wording)."""
    return [
        v for v in validators if isinstance(v, RANGE_VALIDATORS) and v.message != type(v).message
    ]


def apply_declared_bounds(form):
    """Each number field of a form takes the bounds declared on it or on its model field."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, form_field in form.fields.items():
        declared = _declared(form_field.validators)
        if model is not None and not declared:
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                model_field = None
            # `_validators` are the ones the field declares (not the database's integer range).
            declared = _declared(getattr(model_field, "_validators", ()))
        apply_bounds(form_field, declared)


YEAR = bounds(2000, 2100, _("Enter a year between 2000 and 2100."))
AMOUNT = bounds(Decimal("0"), None, _("Enter an amount of zero or more."))
POSITIVE_AMOUNT = bounds(Decimal("0.01"), None, _("Enter an amount greater than zero."))
