"""The text the meetings app writes itself, worded when shown (core.registry.generated_texts).

An agenda item carried over from an open action point stores the kind `meetings.action_point`
with its parameters; these functions word its title and description in the active language.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.registry import GeneratedText, render_generated

ACTION_POINT = "meetings.action_point"
REGULAR_MEETING = "meetings.regular_meeting"


def regular_meeting_params(local_start):
    """What a regular meeting of the schedule keeps to word its title: its month."""
    return {"month": local_start.date().replace(day=1).isoformat()}


def regular_meeting_title(params):
    month = datetime.date.fromisoformat(params["month"])
    return _("Regular meeting — %(month)s") % {"month": formats.date_format(month, "F Y")}


def action_point_params(action, tzinfo):
    """What an agenda item carried over from this action point keeps to word itself later."""
    meeting = action.meeting
    owner = action.owner_organisation or action.owner_person
    return {
        "text": action.description[:250],
        "meeting": meeting.title,
        # A meeting whose title the portal wrote is worded in the reader's language too.
        "meeting_kind": meeting.generated_kind,
        "meeting_params": meeting.generated_params,
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
    meeting = render_generated(
        f"{params.get('meeting_kind', '')}.title", params.get("meeting_params"), params["meeting"]
    )
    if params.get("meeting_date"):
        meeting = f"{meeting} ({_date(params['meeting_date'])})"
    if params.get("owner"):
        return _("From %(meeting)s; owner %(owner)s.") % {
            "meeting": meeting,
            "owner": params["owner"],
        }
    return _("From %(meeting)s.") % {"meeting": meeting}


TEXTS = [
    GeneratedText(f"{REGULAR_MEETING}.title", regular_meeting_title),
    GeneratedText(f"{ACTION_POINT}.title", action_point_title),
    GeneratedText(f"{ACTION_POINT}.description", action_point_description),
]
