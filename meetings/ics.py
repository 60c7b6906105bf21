"""iCalendar (RFC 5545/5546) for meetings: invitations, updates, cancellations and the feed."""

from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from core.models import Network
from core.validators import CONTROL_CHARACTERS

PRODID = "-//UN Network on Migration//UNNM Portal//EN"


def _one_line(text):
    """Names in parameters and calendar names: one line (icalendar refuses a raw line break)."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", str(text)).split())


def event_uid(meeting):
    """Stable for the life of the meeting, so calendars update the event instead of adding one."""
    return f"{meeting.uid}@unnm-portal"


def _organizer():
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address or 'no-reply@localhost'}")
    if name:
        organizer.params["cn"] = vText(name)
    return organizer


def meeting_event(meeting, *, tzinfo, base_url=""):
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(tzinfo))
    event.add("dtend", meeting.ends_at.astimezone(tzinfo))
    event.add("summary", meeting.display_title)
    location = ", ".join(part for part in (meeting.place, meeting.online_link) if part)
    if location:
        event.add("location", location)
    description = []
    if meeting.online_link:
        description.append(meeting.online_link)
    if base_url:
        url = base_url + meeting.get_absolute_url()
        event.add("url", url)
        description.append(url)
    if description:
        event.add("description", "\n".join(description))
    event.add("organizer", _organizer())
    if meeting.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def _calendar(method):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    return cal


def _attendee(person):
    attendee = vCalAddress(f"mailto:{person.email}")
    attendee.params["cn"] = vText(_one_line(person.get_full_name()))
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    # Answers are given in the portal (per agency), not through the calendar client.
    attendee.params["rsvp"] = vText("FALSE")
    return attendee


def meeting_ics(meeting, *, base_url="", attendee=None):
    """A meeting's .ics: an invitation to `attendee`, or, without one, a copy to download.

    RFC 5546 (iTIP): METHOD:REQUEST (CANCEL once cancelled) is a scheduling message to its
    ATTENDEE, so it goes only into an email to that person. A file downloaded with "Add to
    calendar" is METHOD:PUBLISH with no ATTENDEE: calendar clients import it as an event rather
    than treat it as an invitation nobody was addressed by.
    """
    tzinfo = Network.objects.get_current().tzinfo
    event = meeting_event(meeting, tzinfo=tzinfo, base_url=base_url)
    if attendee is not None and attendee.email:
        cal = _calendar("CANCEL" if meeting.is_cancelled else "REQUEST")
        event.add("attendee", _attendee(attendee))
    else:
        cal = _calendar("PUBLISH")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(meetings, *, name, base_url=""):
    """A person's subscription feed (METHOD:PUBLISH); cancelled meetings stay, marked CANCELLED."""
    tzinfo = Network.objects.get_current().tzinfo
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", _one_line(name))
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, tzinfo=tzinfo, base_url=base_url))
    cal.add_missing_timezones()
    return cal.to_ical()


def meeting_withdrawal_ics(meeting, *, base_url="", attendee):
    """METHOD:CANCEL for one attendee who is no longer invited (the meeting itself goes ahead).

    RFC 5546 §3.2.5: a CANCEL naming the attendee removes the event from that person's calendar.
    """
    tzinfo = Network.objects.get_current().tzinfo
    cal = _calendar("CANCEL")
    event = meeting_event(meeting, tzinfo=tzinfo, base_url=base_url)
    event.pop("status", None)
    event.add("status", "CANCELLED")
    if attendee.email:
        event.add("attendee", _attendee(attendee))
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
