"""A small iCalendar (RFC 5545) writer: just what a private feed of reminders needs.

Written by hand rather than with a library: one calendar, one kind of event and one alarm, whose
only subtleties are text escaping and folding lines at 75 octets without splitting a character.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
FOLD_AT = 75  # octets per line, CRLF excluded (RFC 5545 §3.1)


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime.datetime
    duration: datetime.timedelta
    summary: str
    description: str = ""
    url: str = ""
    alarm: bool = True


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon and comma are escaped, and every newline becomes \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc_stamp(moment: datetime.datetime) -> str:
    """A DATE-TIME in UTC, the `Z` form every calendar reads the same way."""
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def duration_value(delta: datetime.timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    minutes, secs = divmod(abs(seconds), 60)
    if secs:
        return f"{sign}PT{abs(seconds)}S"
    return f"{sign}PT{minutes}M"


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, each continuation starting with a space."""
    encoded = line.encode()
    if len(encoded) <= FOLD_AT:
        return line
    chunks, chunk, size, limit = [], [], 0, FOLD_AT
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            chunks.append("".join(chunk))
            chunk, size, limit = [], 0, FOLD_AT - 1  # the leading space counts
        chunk.append(char)
        size += width
    chunks.append("".join(chunk))
    return (CRLF + " ").join(chunks)


def unfold(text: str) -> str:
    return text.replace(CRLF + " ", "").replace(CRLF + "\t", "")


def _event_lines(event: Event, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc_stamp(event.start)}",
        f"DURATION:{duration_value(event.duration)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL;VALUE=URI:{event.url}")
    if event.alarm:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(event.summary)}",
            "TRIGGER;RELATED=START:PT0S",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def calendar(
    events: Iterable[Event],
    *,
    name: str,
    now: datetime.datetime,
    prodid: str = "-//Concierge//Reminders//EN",
    refresh: datetime.timedelta = datetime.timedelta(minutes=30),
) -> str:
    stamp = utc_stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{prodid}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{duration_value(refresh)}",
        f"X-PUBLISHED-TTL:{duration_value(refresh)}",
    ]
    for event in events:
        lines += _event_lines(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
