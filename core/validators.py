"""Validators every app shares."""

import re

from django.core.exceptions import ValidationError
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
