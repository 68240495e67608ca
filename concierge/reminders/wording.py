"""What a reminder says, composed when it is read, from its kind and its subject, in the active
language and time zone (`reading_as(user)` sets both for work done outside a request).

Nothing here is stored: a concierge who switches to French reads every prompt in French at once.
"""

import contextlib
import datetime
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import LIVE_STATES, Reminder

Kind = Reminder.Kind
CATCH_UP_LISTED = 12  # items a catch-up spells out in a notification or an email
# A list that counts at most this many says "more than" past it (as the bell says "99+"): the
# agenda reads that many candidates per list and tests them, so the cap is what a page costs.
COUNTED_AT_MOST = 99


@contextlib.contextmanager
def reading_as(user):
    """Compose words for `user`: their language and their time zone."""
    with translation.override(user.reading_language), timezone.override(user.tzinfo):
        yield


def day(value: datetime.date) -> str:
    """A day as the reader's locale writes it ("May 14", "14 mai")."""
    return _day(translation.get_language(), value)


def moment(value: datetime.datetime) -> str:
    """A day and time in the reader's time zone and locale ("May 14 at 6 p.m.", "14 mai à 18:00")."""
    local = timezone.localtime(value)
    language = translation.get_language()
    return _("%(day)s at %(time)s") % {
        "day": _day(language, local.date()),
        "time": _time(language, local.time()),
    }


# Each formatted once per language and process: the locale's formats machinery costs some sixty
# calls a date, and an agenda writes the same few days and hours on row after row.
@lru_cache(maxsize=2048)
def _day(language: str | None, value: datetime.date) -> str:
    return formats.date_format(value, "MONTH_DAY_FORMAT")


@lru_cache(maxsize=2048)
def _time(language: str | None, value: datetime.time) -> str:
    return formats.time_format(value, "TIME_FORMAT")


@receiver(setting_changed)
def _forget_formats(*, setting, **kwargs):
    if setting in {"LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS", "FORMAT_MODULE_PATH"} or (
        setting.endswith("_FORMAT")
    ):
        _day.cache_clear()
        _time.cache_clear()


def _in_days(days: int) -> str:
    if days <= 0:
        return _("Today.")
    if days == 1:
        return _("Tomorrow.")
    return ngettext("In %(count)s day.", "In %(count)s days.", days) % {"count": days}


def _client(reminder: Reminder) -> str:
    client = reminder.client or (
        reminder.service_request.client if reminder.service_request_id else None
    )
    return client.display_name if client else ""


def _request(reminder: Reminder) -> dict:
    sr = reminder.service_request
    return {"title": sr.title if sr else "", "client": _client(reminder)}


def _today() -> datetime.date:
    return timezone.localdate()


def title(reminder: Reminder) -> str:
    kind = reminder.kind
    if kind == Kind.MANUAL:
        return reminder.note
    if kind == Kind.IMPORTANT_DATE and reminder.important_date_id:
        item = reminder.important_date
        whose = item.relation.name if item.relation_id else _client(reminder)
        return _("%(what)s of %(whose)s on %(day)s") % {
            "what": item.label or item.get_kind_display(),
            "whose": whose,
            "day": day(reminder.occurrence),
        }
    if kind == Kind.ANTICIPATED_NEED and reminder.anticipated_need_id:
        return _("%(client)s: %(need)s on %(day)s") % {
            "client": _client(reminder),
            "need": reminder.anticipated_need.title,
            "day": day(reminder.occurrence),
        }
    if kind == Kind.NOT_ACKNOWLEDGED:
        return _("Acknowledge “%(title)s” for %(client)s") % _request(reminder)
    if kind == Kind.DUE_SOON:
        return _("“%(title)s” for %(client)s is due %(when)s") % {
            **_request(reminder),
            "when": moment(reminder.for_due_at or reminder.due_at),
        }
    if kind == Kind.OVERDUE:
        return _("“%(title)s” for %(client)s is overdue") % _request(reminder)
    if kind == Kind.FOLLOW_UP:
        return _("Call %(client)s: how was “%(title)s”?") % _request(reminder)
    if kind == Kind.EXPIRY and reminder.vendor_use_id:
        use = reminder.vendor_use
        words = {
            **_request(reminder),
            "vendor": use.vendor.name,
            "when": moment(reminder.for_due_at or use.expires_at),
        }
        if use.stage == use.Stage.HELD:
            return _("The hold at %(vendor)s for “%(title)s” lapses %(when)s") % words
        return _("The quote from %(vendor)s for “%(title)s” lapses %(when)s") % words
    if kind == Kind.CADENCE:
        since = reminder.occurrence or reminder.created_at.date()
        days = max((_today() - since).days, 0)
        return ngettext(
            "Call %(client)s: no contact for %(count)s day",
            "Call %(client)s: no contact for %(count)s days",
            days,
        ) % {"client": _client(reminder), "count": days}
    if kind == Kind.HANDOVER:
        return _("You now look after %(client)s") % {"client": _client(reminder)}
    if kind == Kind.CATCH_UP:
        count = catch_up_count(reminder)
        if count > COUNTED_AT_MOST:
            return _("More than %(count)s things to catch up on") % {"count": COUNTED_AT_MOST}
        return ngettext(
            "%(count)s thing to catch up on", "%(count)s things to catch up on", count
        ) % {"count": count}
    return str(reminder.get_kind_display())


def _ending(sentence: str) -> str:
    """A sentence ending on a moment that ends with its own full stop ("2:33 a.m.") ends once."""
    return sentence[:-1] if sentence.endswith("..") else sentence


def detail(reminder: Reminder) -> str:
    """A second line: why now, what to do."""
    kind = reminder.kind
    if kind == Kind.IMPORTANT_DATE and reminder.occurrence:
        return " ".join(
            [
                _in_days((reminder.occurrence - _today()).days),
                _("Time to plan the gift, the flowers or the call."),
            ]
        )
    if kind == Kind.ANTICIPATED_NEED:
        return _("Propose it to the client before they ask.")
    if kind == Kind.NOT_ACKNOWLEDGED and reminder.service_request_id:
        acknowledge_by = reminder.service_request.acknowledge_by
        if acknowledge_by:
            return _ending(_("To acknowledge by %(when)s.") % {"when": moment(acknowledge_by)})
    if kind == Kind.OVERDUE and reminder.for_due_at:
        return _ending(_("It was due %(when)s.") % {"when": moment(reminder.for_due_at)})
    if kind == Kind.FOLLOW_UP:
        return _("Ask how it went while it is fresh, and note their words.")
    if kind == Kind.CATCH_UP:
        return catch_up_reason()
    if kind == Kind.HANDOVER:
        return _(
            "Read the handover brief before you call: how to address them, what never to serve, "
            "what is open and what is coming."
        )
    return ""


def catch_up_reason() -> str:
    return _(
        "These were already late when Concierge first saw them (a first run, an import or a pause "
        "in the sweep), so they are listed once here rather than sent one by one."
    )


def catch_up_items(reminder: Reminder, limit: int | None = CATCH_UP_LISTED) -> list[Reminder]:
    """The live items a catch-up lists, oldest first (cached on the reminder)."""
    cache = getattr(reminder, "_catch_up_items", None)
    if cache is None:
        cache = list(
            Reminder.objects.filter(catch_up=reminder, state__in=LIVE_STATES)
            .for_reading()
            .order_by("due_at", "id")
        )
        reminder._catch_up_items = cache
    return cache if limit is None else cache[:limit]


def catch_up_count(reminder: Reminder) -> int:
    """How many items; the agenda counts them in its own query, up to COUNTED_AT_MOST + 1."""
    counted = getattr(reminder, "items_count", None)
    if counted is not None:
        return counted
    return len(catch_up_items(reminder, limit=None))
