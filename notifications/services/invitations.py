"""Meeting invitations as iCalendar (RFC 5545/5546): METHOD:REQUEST, a stable UID, a rising SEQUENCE.

A cancellation is the same event with METHOD:CANCEL and a higher SEQUENCE: with STATUS:CANCELLED
when the meeting itself is cancelled, without it when one person was taken off the invitees
(RFC 5546, 3.2.5), so the event leaves that person's calendar only.
"""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

METHODS = ("REQUEST", "CANCEL")


def meeting_uid(meeting) -> str:
    """The same for every update of one meeting, so a calendar replaces the event instead of adding one."""
    host = urlsplit(settings.PORTAL_URL).hostname or "kisi-portal"
    return f"meeting-{meeting.pk}@{host}"


def meeting_ics(
    meeting, *, sequence: int, attendee_email: str, agenda: list[str], url: str, method: str = "REQUEST"
) -> bytes:
    """The invitation (or its cancellation) for one attendee, in Asia/Almaty time with its VTIMEZONE."""
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//KISI//Concept Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    start = meeting.starts_at.astimezone(zone)
    event.add("dtstart", start)
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    if method == "CANCEL" and meeting.cancelled_at is not None:
        event.add("status", "CANCELLED")
    lines = [_("Agenda:")] + [f"- {item}" for item in agenda] if agenda else []
    if meeting.agenda_note:
        lines += ["", meeting.agenda_note]
    if meeting.video_url:
        lines += ["", _("Videoconference: %(url)s") % {"url": meeting.video_url}]
        event.add("location", meeting.video_url)
    lines += ["", url]
    event.add("description", "\n".join(lines).strip())
    event.add("url", url)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(_("KISI Concept Portal"))
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params.update({"role": vText("REQ-PARTICIPANT"), "rsvp": vText("FALSE")})
    event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
