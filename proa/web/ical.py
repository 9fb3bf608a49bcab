"""iCalendar (RFC 5545), written by hand: one all-day event per deadline.

Text values are escaped (3.3.11: backslash, semicolon, comma, line break), every content
line is folded at 75 octets without cutting a UTF-8 character (3.1), lines end with CRLF.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//proa//Échéances des dossiers//FR"
LIMIT = 75  # octets of a content line, CRLF aside (RFC 5545, 3.1)


@dataclass(frozen=True)
class Event:
    uid: str
    day: dt.date
    summary: str
    description: str
    url: str


def escape(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11)."""
    out = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return out.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """A content line folded into physical lines of at most 75 octets (a continuation
    begins with one space, which counts), each ending with CRLF."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > LIMIT:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "".join(p + "\r\n" for p in parts)


def _day(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def calendar(name: str, events: Iterable[Event], stamp: dt.datetime) -> bytes:
    """The VCALENDAR of `events`; `stamp` (UTC) is when it was written (DTSTAMP)."""
    utc = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape(name)}",  # RFC 7986
        f"X-WR-CALNAME:{escape(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",  # RFC 7986
        "X-PUBLISHED-TTL:PT6H",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{utc}",
            f"DTSTART;VALUE=DATE:{_day(e.day)}",
            f"DTEND;VALUE=DATE:{_day(e.day + dt.timedelta(days=1))}",
            f"SUMMARY:{escape(e.summary)}",
            f"DESCRIPTION:{escape(e.description)}",
            f"URL;VALUE=URI:{e.url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines).encode("utf-8")
