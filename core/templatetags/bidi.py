"""Bidirectional isolation of user-written values (names, acronyms, references, amounts).

An English name in an Arabic sentence (or the reverse) takes the punctuation next to it the wrong
way unless it is isolated: "UNNM-BH/2026/004" shows as "004/2026/UNNM-BH" and a trailing full stop
jumps to the other end. Templates write `<bdi>{{ value }}</bdi>` in text, and `{{ value|bdi }}`
where the value goes through a translated sentence:

    {% blocktranslate with org=decision.proposing_organisation.acronym|bdi %}proposed by {{ org }}…

The filter is a template builtin (settings.TEMPLATES), so it needs no {% load %}. Never use it
inside an HTML attribute or <title>: attributes hold text, not elements (isolate with the Unicode
marks of `isolate_text` there, if at all).
"""

from django import template
from django.utils.html import format_html

register = template.Library()

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


@register.filter(is_safe=True)
def bdi(value):
    """`value`, escaped, in a <bdi> element; empty values stay empty."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def isolate_text(value):
    """`value` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: for plain text (titles,
    attributes) where an element can't go."""
    if value is None or value == "":
        return ""
    return f"{FIRST_STRONG_ISOLATE}{value}{POP_DIRECTIONAL_ISOLATE}"
