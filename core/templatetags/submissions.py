"""`{% submission_token %}`: the hidden idempotency token of a form that creates rows."""

from django import template
from django.utils.html import format_html

from core.submissions import TOKEN_FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token():
    """A hidden field with a token of its own for each rendered form (see core.submissions)."""
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, new_token())
