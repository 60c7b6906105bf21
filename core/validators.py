"""Validators every app shares: one-line text, and bounds of numbers with one message.

Bounds of numbers are declared once, with the one message that explains them.

A model field declares `validators=bounds(1, 480, _("Between 1 and 480 minutes."))`; the model's
`full_clean()` and every form built on it (through `BootstrapFormMixin`, see `apply_bounds`) then
refuse -5, 0 and 481 with that same sentence, and the browser's number input gets the same
`min`/`max`. A form field that has no model field behind it uses `bounds(...)` the same way.
"""

import re
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

# C0 and C1 control characters (CR, LF and tab among them) and the Unicode line and paragraph
# separators. A title travels into email subjects and calendar files, where a line break starts a
# new header or property: a single line of text is all a title may be.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

SINGLE_LINE_MESSAGE = _(
    "Write this on a single line: line breaks, tabs and other control characters are not allowed."
)


def has_control_characters(value):
    return isinstance(value, str) and bool(CONTROL_CHARACTERS.search(value))


def validate_single_line(value):
    """Refuse text with control characters (for titles, names and other one-line fields)."""
    if has_control_characters(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="control_characters")


def require_single_line(*values):
    """For services: a DomainError if one of these titles or names is not a single line."""
    if any(has_control_characters(value) for value in values):
        raise DomainError(
            _(
                "Titles and names must be a single line: line breaks, tabs and other control "
                "characters are not allowed."
            ),
            code="control_characters",
        )


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
