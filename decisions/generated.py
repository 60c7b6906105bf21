"""The text the decisions app writes itself, worded when shown (core.registry.generated_texts).

A pending decision carried into a meeting's agenda is stored as a kind (`decisions.open`,
`decisions.draft`) with its parameters: reference, title, deadline (ISO) and procedure (a code).
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.registry import GeneratedText

OPEN = "decisions.open"
DRAFT = "decisions.draft"


def carryover_params(decision):
    """What an agenda item carried over from this decision keeps to word itself later."""
    return {
        "reference": decision.reference,
        "title": decision.title,
        "deadline": decision.deadline.isoformat() if decision.deadline else "",
        "procedure": decision.procedure,
    }


def _procedure_label(code):
    from .models import Decision

    try:
        return Decision.Procedure(code).label
    except ValueError:
        return code


def open_title(params):
    return _("Decision %(reference)s: %(title)s") % {
        "reference": params["reference"],
        "title": params["title"],
    }


def open_description(params):
    if not params.get("deadline"):
        return _("Open for positions: to be taken at the meeting.")
    # In the active time zone: the network's on pages (core.middleware), the recipient's
    # network's in emails.
    deadline = timezone.localtime(datetime.datetime.fromisoformat(params["deadline"]))
    return _("Open for positions until %(deadline)s (%(procedure)s).") % {
        "deadline": formats.date_format(deadline, "DATETIME_FORMAT"),
        "procedure": _procedure_label(params.get("procedure", "")),
    }


def draft_title(params):
    return _("Draft decision: %(title)s") % {"title": params["title"]}


def draft_description(params):
    return _("Draft decision prepared for this meeting.")


TEXTS = [
    GeneratedText(f"{OPEN}.title", open_title),
    GeneratedText(f"{OPEN}.description", open_description),
    GeneratedText(f"{DRAFT}.title", draft_title),
    GeneratedText(f"{DRAFT}.description", draft_description),
]
