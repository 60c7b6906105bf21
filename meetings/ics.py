"""iCalendar (RFC 5545/5546) for meetings: invitations, updates, cancellations and the feed."""

import functools
from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vDatetime, vText
from icalendar.parser import Contentline

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


def feed_head(*, name):
    """The start of a person's subscription feed (METHOD:PUBLISH), up to its components."""
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", _one_line(name))
    return cal.to_ical().removesuffix(FEED_END)


FEED_END = b"END:VCALENDAR\r\n"


def _escape_text(text):
    """A TEXT value (RFC 5545 §3.3.11), escaped as icalendar's vText escapes it."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _content_line(name, value):
    line = f"{name}:{value}"
    # An ASCII line of 75 characters or fewer needs no folding (the usual case: dates, UIDs).
    if len(line) <= 75 and line.isascii():
        return line + "\r\n"
    return Contentline(line).to_ical().decode() + "\r\n"


_PK_MARK = 9876543210


@functools.cache
def _vtimezone(tzid):
    # The rules of a time zone do not change while the process runs; building them takes 60 ms.
    return Timezone.from_tzid(tzid).to_ical().decode()


def feed_events(meetings, *, tzinfo, base_url=""):
    """The VTIMEZONE and one VEVENT per meeting of a feed, as iCalendar text.

    The same event as `meeting_event` (a test compares them property by property), written
    directly: a feed holds thousands of events, and building each through icalendar's property
    objects cost about 0.2 ms an event, most of a feed's time.
    """
    sample = vDatetime(datetime(2000, 1, 1, tzinfo=tzinfo))
    tzid = sample.params.get("TZID")
    if sample.is_utc():
        when_params, when_suffix = "", "Z"
    else:
        when_params, when_suffix = f";TZID={tzid}", ""
    dtstamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    # One reverse() for the whole feed (thousands of get_absolute_url() were a third of its time).
    before_pk, after_pk = reverse("meetings:detail", args=[_PK_MARK]).split(str(_PK_MARK))
    address = _organizer()
    organizer = Contentline.from_parts("ORGANIZER", address.params, address).to_ical()
    organizer = organizer.decode() + "\r\n"
    parts = []
    for meeting in meetings:
        local_start = meeting.starts_at.astimezone(tzinfo)
        local_end = meeting.ends_at.astimezone(tzinfo)
        lines = [
            "BEGIN:VEVENT\r\n",
            _content_line("SUMMARY", _escape_text(meeting.display_title)),
            f"DTSTART{when_params}:{local_start:%Y%m%dT%H%M%S}{when_suffix}\r\n",
            f"DTEND{when_params}:{local_end:%Y%m%dT%H%M%S}{when_suffix}\r\n",
            f"DTSTAMP:{dtstamp}\r\n",
            _content_line("UID", _escape_text(event_uid(meeting))),
            f"SEQUENCE:{meeting.sequence}\r\n",
        ]
        description = []
        if meeting.online_link:
            description.append(meeting.online_link)
        url = ""
        if base_url:
            url = f"{base_url}{before_pk}{meeting.pk}{after_pk}"
            description.append(url)
        if description:
            lines.append(_content_line("DESCRIPTION", _escape_text("\n".join(description))))
        location = ", ".join(part for part in (meeting.place, meeting.online_link) if part)
        if location:
            lines.append(_content_line("LOCATION", _escape_text(location)))
        lines.append(organizer)
        lines.append("STATUS:CANCELLED\r\n" if meeting.is_cancelled else "STATUS:CONFIRMED\r\n")
        if url:
            lines.append(_content_line("URL", url))
        lines.append("END:VEVENT\r\n")
        parts.append("".join(lines))
    if not parts:
        return b""
    if tzid and not sample.is_utc():
        parts.insert(0, _vtimezone(tzid))
    return "".join(parts).encode()


def feed_ics(meetings, *, name, tzinfo, base_url=""):
    """A person's subscription feed (METHOD:PUBLISH); cancelled meetings stay, marked CANCELLED."""
    return feed_head(name=name) + feed_events(meetings, tzinfo=tzinfo, base_url=base_url) + FEED_END


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
