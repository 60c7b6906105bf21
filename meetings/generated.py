"""The text the meetings app writes itself, worded when shown (core.registry.generated_texts).

An agenda item carried over from an open action point stores the kind `meetings.action_point`
with its parameters; these functions word its title and description in the active language.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.registry import GeneratedText

ACTION_POINT = "meetings.action_point"


def action_point_params(action, tzinfo):
    """What an agenda item carried over from this action point keeps to word itself later."""
    meeting = action.meeting
    owner = action.owner_organisation or action.owner_person
    return {
        "text": action.description[:250],
        "meeting": meeting.title,
        "meeting_date": timezone.localtime(meeting.starts_at, tzinfo).date().isoformat(),
        "owner": str(owner) if owner else "",
    }


def _date(value):
    if not value:
        return ""
    return formats.date_format(datetime.date.fromisoformat(str(value)[:10]), "DATE_FORMAT")


def action_point_title(params):
    return _("Action point: %(text)s") % {"text": params["text"]}


def action_point_description(params):
    meeting = params["meeting"]
    if params.get("meeting_date"):
        meeting = f"{meeting} ({_date(params['meeting_date'])})"
    if params.get("owner"):
        return _("From %(meeting)s; owner %(owner)s.") % {
            "meeting": meeting,
            "owner": params["owner"],
        }
    return _("From %(meeting)s.") % {"meeting": meeting}


TEXTS = [
    GeneratedText(f"{ACTION_POINT}.title", action_point_title),
    GeneratedText(f"{ACTION_POINT}.description", action_point_description),
]
