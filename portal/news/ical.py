"""iCalendar (RFC 5545) for the work schedule, written out by hand: a few lines need no library."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Meeting

PRODID = "-//Vinh Loc district portal//Work schedule//VI"


def _escape(text) -> str:
    text = str(text or "")
    for raw, escaped in (
        ("\\", "\\\\"),
        (";", "\\;"),
        (",", "\\,"),
        ("\r\n", "\\n"),
        ("\n", "\\n"),
    ):
        text = text.replace(raw, escaped)
    return text


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(meeting: Meeting, host: str, base_url: str) -> list[str]:
    end = meeting.end or meeting.start + datetime.timedelta(hours=1)
    description = [
        f"{_('Chaired by')}: {meeting.chair}",
        f"{_('Participants')}: {meeting.participants}" if meeting.participants else "",
        f"{_('Prepared by')}: {meeting.preparation}" if meeting.preparation else "",
        f"{_('Online meeting')}: {meeting.online_link}" if meeting.online_link else "",
        meeting.note,
    ]
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{_utc(meeting.updated_at or timezone.now())}",
        f"DTSTART:{_utc(meeting.start)}",
        f"DTEND:{_utc(end)}",
        f"SUMMARY:{_escape(meeting.title)}",
        f"LOCATION:{_escape(meeting.place)}",
        f"DESCRIPTION:{_escape(chr(10).join(d for d in description if d))}",
        f"STATUS:{'CANCELLED' if meeting.cancelled else 'CONFIRMED'}",
    ]
    if meeting.online_link:
        lines.append(f"URL:{_escape(meeting.online_link)}")
    lines.append("END:VEVENT")
    return lines


def calendar(meetings, host: str, base_url: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(_('Work schedule'))}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
    ]
    for meeting in meetings:
        lines.extend(_event(meeting, host, base_url))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
