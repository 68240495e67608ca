import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def safe_next(request: HttpRequest, url: str | None) -> str | None:
    """`url` if it is a path on this site, else None: another site would be an open redirect, and
    a bare word (``next=0``) is taken by ``redirect()`` for a view name that does not exist."""
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return None


def parse_id(value: str | None) -> int | None:
    """A database id typed in a URL, or None: ASCII digits only (``"²".isdigit()`` is true, and
    ``int("²")`` fails), and short enough for a 64-bit column."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def parse_cursor(value: str | None) -> datetime.datetime | None:
    """An aware date and time from a pagination cursor, or None when absent; ValueError when it
    is not a real one (``2024-13-45T25:61`` matches the pattern but is no date)."""
    if not value:
        return None
    parsed = parse_datetime(value)  # raises ValueError for impossible values
    if parsed is None:
        raise ValueError(value)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    try:
        parsed.astimezone(datetime.UTC)  # 0001-01-01T00:00+05:00 is before the first UTC day
    except OverflowError:
        raise ValueError(value) from None
    return parsed
