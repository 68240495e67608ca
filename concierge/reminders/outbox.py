"""Sending the emails kept on rows (notifications, digests): one identity each, one sender at a time,
retried until they go or their time is up.

- A row is due from `next_attempt_at`. A sender claims the oldest due rows whose lease is free, a
  batch at a time (a locked, conditional UPDATE, from the partial index on `next_attempt_at`),
  sends each, and marks it sent right after. Only a death between the send and the mark sends it again, once its lease has
  run out, and with the same Message-ID, so that mail systems see one message.
- A failure of the message (a refused recipient, an error composing it) backs that row off (1, 2, 4…
  minutes up to EMAIL_RETRY_MAX_DELAY) and the run goes on with the others.
- A failure of the mail server (unreachable, silent, hanging up) is the server's, not the email's:
  when two emails in a row fail so, the run stops, and the server is tried again later (an `Outage`
  row, same back-off) with the oldest email as the probe. Emails keep their place, so what waited
  goes out oldest first once the server answers.
- What is still unsent EMAIL_RETRY_FOR after it was first due is marked failed, logged and shown.
"""

import contextlib
import datetime
import functools
import logging
import smtplib
import time
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from ..ops.models import Outage
from .models import Outgoing

log = logging.getLogger(__name__)

MAIL_SERVER = "mail-server"
# Refusals about one message, not about the server: the others may go.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


class Skip(Exception):  # noqa: N818
    """Raised by a composer: this row needs no email (it is settled without one)."""


class GiveUp(Exception):  # noqa: N818
    """Raised by a composer: this email can no longer be sent (it is marked failed)."""


Composer = Callable[[Outgoing, datetime.datetime], EmailMessage]


def message_id(kind: str, key: object) -> str:
    """The email's identity: the same for every attempt, so a resend is recognised."""
    return f"<{kind}-{key}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def retry_delay(failures: int) -> datetime.timedelta:
    seconds = settings.EMAIL_RETRY_MIN_DELAY * 2 ** min(max(failures - 1, 0), 20)
    return datetime.timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_DELAY))


def is_server_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and not isinstance(exc, MESSAGE_ERRORS)


def _lease_free(now: datetime.datetime) -> Q:
    return Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lte=now)


def claim(
    model: type[Outgoing],
    now: datetime.datetime,
    *,
    pk: int | None = None,
    exclude: Sequence[int] = (),
    related: Sequence[str] = (),
) -> Outgoing | None:
    """Take the oldest due email (or the one `pk` names) for EMAIL_LEASE_SECONDS, counting the
    attempt; None when there is none free. Parallel senders skip the rows another one has locked."""
    lease = now + datetime.timedelta(seconds=settings.EMAIL_LEASE_SECONDS)
    due = model.objects.filter(_lease_free(now), next_attempt_at__lte=now)
    if pk is not None:
        due = due.filter(pk=pk)
    if exclude:
        due = due.exclude(pk__in=exclude)
    with transaction.atomic():
        row = (
            due.select_related(*related)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at", "id")
            .first()
        )
        if row is None or not due.filter(pk=row.pk).update(
            email_claimed_until=lease, email_attempts=F("email_attempts") + 1
        ):
            return None
    row.email_claimed_until = lease
    row.email_attempts += 1
    return row


def claim_batch(
    model: type[Outgoing],
    now: datetime.datetime,
    *,
    size: int,
    exclude: Sequence[int] = (),
    related: Sequence[str] = (),
) -> list[Outgoing]:
    """Take up to `size` of the oldest due emails at once, as `claim` takes one: one locked read
    and one UPDATE for the lot."""
    lease = now + datetime.timedelta(seconds=settings.EMAIL_LEASE_SECONDS)
    due = model.objects.filter(_lease_free(now), next_attempt_at__lte=now)
    if exclude:
        due = due.exclude(pk__in=exclude)
    with transaction.atomic():
        rows = list(
            due.select_related(*related)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("next_attempt_at", "id")[:size]
        )
        if not rows:
            return []
        ids = [row.pk for row in rows]
        taken = due.filter(pk__in=ids).update(
            email_claimed_until=lease, email_attempts=F("email_attempts") + 1
        )
        if taken != len(rows):  # another sender got some first (no row locks on SQLite)
            ours = set(
                model.objects.filter(pk__in=ids, email_claimed_until=lease).values_list(
                    "pk", flat=True
                )
            )
            rows = [row for row in rows if row.pk in ours]
    for row in rows:
        row.email_claimed_until = lease
        row.email_attempts += 1
    return rows


def _unclaim(rows: Sequence[Outgoing]) -> None:
    """Give back rows claimed but not tried: their place, and the attempt they did not make."""
    if rows:  # claimed together: one lease
        type(rows[0]).objects.filter(
            pk__in=[row.pk for row in rows], email_claimed_until=rows[0].email_claimed_until
        ).update(email_claimed_until=None, email_attempts=F("email_attempts") - 1)


def _ours(row: Outgoing):
    """The row while we still hold its lease (a slow sender must not undo a newer claim)."""
    return type(row).objects.filter(pk=row.pk, email_claimed_until=row.email_claimed_until)


@contextlib.contextmanager
def unsynced_commits():
    """While sending, commits do not wait for the disk (PostgreSQL's `synchronous_commit` off for
    the session, put back after): a worker that dies loses nothing it committed, and only a crash
    of the database server itself within a fraction of a second may lose a mark (the email then
    goes again, once, with the same Message-ID, as after a death before the mark) or a lease or a
    back-off (the email is then simply tried again)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('synchronous_commit'), set_config('synchronous_commit', 'off', false)"
        )
        (before, _off) = cursor.fetchone()
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('synchronous_commit', %s, false)", [before])
        except DatabaseError:  # the connection or its transaction is gone, and the setting with it
            pass


def mark_sent(row: Outgoing) -> None:
    """One statement, committed at once (outside a transaction, it is its own): call it within
    `unsynced_commits()`, so that it does not wait for the disk."""
    with connection.cursor() as cursor:
        cursor.execute(
            _mark_sent_sql(type(row), connection.vendor),
            [connection.ops.adapt_datetimefield_value(timezone.now()), row.pk],
        )


@functools.cache
def _mark_sent_sql(model: type[Outgoing], vendor: str) -> str:
    """The mark's UPDATE, written once per model: built and compiled by the ORM for each email,
    it cost three times the statement's own round trip (at 100,000 clients on PostgreSQL)."""
    name = connection.ops.quote_name
    column = {
        f: name(model._meta.get_field(f).column)
        for f in ("emailed_at", "next_attempt_at", "email_claimed_until", "email_error")
    }
    return (
        f"UPDATE {name(model._meta.db_table)} SET {column['emailed_at']} = %s, "
        f"{column['next_attempt_at']} = NULL, {column['email_claimed_until']} = NULL, "
        f"{column['email_error']} = '' WHERE {name(model._meta.pk.column)} = %s"
    )


def _settle_unsent(row: Outgoing) -> None:
    _ours(row).update(next_attempt_at=None, email_claimed_until=None)


def _release(row: Outgoing, exc: BaseException) -> None:
    """Free the row with its place kept: the server failed, not this email."""
    _ours(row).update(email_claimed_until=None, email_error=_words(exc))


def _message_failed(row: Outgoing, exc: BaseException, now: datetime.datetime) -> None:
    retry_at = now + retry_delay(row.email_attempts)
    _ours(row).update(email_claimed_until=None, next_attempt_at=retry_at, email_error=_words(exc))
    log.warning(
        "email for %s %s failed (attempt %s), next try at %s: %s",
        row._meta.model_name,
        row.pk,
        row.email_attempts,
        retry_at.isoformat(),
        _words(exc),
        exc_info=not isinstance(exc, OSError),
    )


def _give_up(row: Outgoing, reason: str, now: datetime.datetime) -> None:
    _ours(row).update(
        email_claimed_until=None, next_attempt_at=None, email_failed_at=now, email_error=reason
    )
    log.error("email for %s %s given up: %s", row._meta.model_name, row.pk, reason)


def _words(exc: BaseException) -> str:
    return (f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)[:200]


# The mail server
def server_waiting(now: datetime.datetime) -> bool:
    """True while the mail server is known down and not yet due for another try."""
    return Outage.objects.filter(name=MAIL_SERVER, retry_at__gt=now).exists()


def _server_failed(exc: BaseException, now: datetime.datetime) -> None:
    Outage.objects.get_or_create(name=MAIL_SERVER)  # a parallel creation is read back
    with transaction.atomic():
        outage = Outage.objects.select_for_update().get(name=MAIL_SERVER)
        outage.failures += 1
        outage.since = outage.since or now
        outage.retry_at = now + retry_delay(outage.failures)
        outage.last_error = _words(exc)
        outage.save()
    log.error(
        "mail server failing since %s (%s tries): %s; next try at %s",
        outage.since.isoformat(),
        outage.failures,
        outage.last_error,
        outage.retry_at.isoformat(),
    )


def _server_answered() -> None:
    if (
        Outage.objects.filter(name=MAIL_SERVER)
        .exclude(failures=0)
        .update(failures=0, since=None, retry_at=None)
    ):
        log.warning("mail server answering again")


def mail_outage() -> Outage | None:
    """The mail server's outage, if it is failing now."""
    return Outage.objects.filter(name=MAIL_SERVER, failures__gt=0).first()


# Giving up
def give_up_expired(model: type[Outgoing], since_field: str, now: datetime.datetime) -> int:
    """Mark failed what is still unsent EMAIL_RETRY_FOR after `since_field`."""
    cutoff = now - datetime.timedelta(seconds=settings.EMAIL_RETRY_FOR)
    expired = model.objects.filter(
        _lease_free(now), next_attempt_at__isnull=False, **{f"{since_field}__lt": cutoff}
    )
    ids = list(expired.values_list("pk", flat=True)[:1000])
    if not ids:
        return 0
    hours = settings.EMAIL_RETRY_FOR // 3600
    count = model.objects.filter(pk__in=ids, next_attempt_at__isnull=False).update(
        next_attempt_at=None,
        email_claimed_until=None,
        email_failed_at=now,
        email_error=Case(
            When(email_error="", then=Value(f"not sent within {hours} hours")),
            default=F("email_error"),
            output_field=models.CharField(),
        ),
    )
    log.error(
        "%s emails (%s) given up after %s hours unsent: %s",
        count,
        model._meta.model_name,
        hours,
        ids[:20],
    )
    return count


# Sending
def _compose(row, compose: Composer, now) -> EmailMessage | None:
    """The message, or None when the row was settled instead (nothing to send, or given up)."""
    try:
        return compose(row, now)
    except Skip:
        _settle_unsent(row)
    except GiveUp as reason:
        _give_up(row, str(reason), now)
    except Exception as exc:
        _message_failed(row, exc, now)
    return None


CLAIM_BATCH = 50  # emails claimed together


@unsynced_commits()
def send_due(
    model: type[Outgoing],
    compose: Composer,
    *,
    since_field: str,
    related: Sequence[str] = (),
    now: datetime.datetime | None = None,
    limit: int | None = None,
    prepare: Callable[[list[Outgoing]], None] | None = None,
) -> int:
    """Send the due emails of `model`, oldest first, at most `limit`; returns how many went.
    `prepare`, if given, reads what a claimed batch is composed from, together.
    Emails are claimed by the batch (one locked read and one UPDATE), and each is marked sent
    right after it went; a batch stops early, giving back what it did not try, before half its lease is
    gone, so that no other sender can take an email this one is still about to send."""
    give_up_expired(model, since_field, now or timezone.now())
    sent = 0
    budget = limit or settings.EMAIL_SEND_BATCH
    suspect: tuple[Outgoing, BaseException] | None = None  # failed as if the server were down
    while budget > 0:
        moment = now or timezone.now()
        if server_waiting(moment):
            return sent
        size = min(budget, CLAIM_BATCH)
        rows = claim_batch(
            model, moment, size=size, related=related, exclude=[suspect[0].pk] if suspect else ()
        )
        if not rows:
            break
        # Fewer than asked: nothing else was free and due (one more claim would only say so).
        last = len(rows) < size
        budget -= len(rows)
        if prepare is not None:
            prepare(rows)
        claimed_at = time.monotonic()
        went: list[Outgoing] = []
        pending = list(rows)
        try:
            while pending:
                row = pending[0]
                if time.monotonic() - claimed_at >= settings.EMAIL_LEASE_SECONDS / 2:
                    break  # what is left is given back and claimed again, with a fresh lease
                pending.pop(0)
                message = _compose(row, compose, moment)
                if message is None:
                    continue
                try:
                    message.send()
                except Exception as exc:
                    if not is_server_error(exc):
                        _message_failed(row, exc, moment)
                        continue
                    _release(row, exc)
                    if suspect is None:  # the server, or this email? the next one tells
                        suspect = (row, exc)
                        continue
                    _server_failed(exc, moment)
                    return sent + len(went)
                # Marked at once, each: a sender killed now resends this one email, no more.
                mark_sent(row)
                went.append(row)
                if suspect is not None:  # the server works: that one email is the problem
                    _message_failed(*suspect, moment)
                    suspect = None
                if sent + len(went) == 1:
                    _server_answered()
        finally:
            _unclaim(pending)
        sent += len(went)
        if last and not pending:
            break
    if suspect is not None:  # nothing else to try it against: count it as the server's
        _server_failed(suspect[1], now or timezone.now())
    return sent


@unsynced_commits()
def send_one(
    row_pk: int,
    model: type[Outgoing],
    compose: Composer,
    *,
    related: Sequence[str] = (),
    now: datetime.datetime | None = None,
) -> bool:
    """Send the email of one row now if it is due and free; True if it went (a failure is recorded
    for a later run)."""
    moment = now or timezone.now()
    if server_waiting(moment):
        return False
    row = claim(model, moment, pk=row_pk, related=related)
    if row is None:
        return False
    message = _compose(row, compose, moment)
    if message is None:
        return False
    try:
        message.send()
    except Exception as exc:
        if is_server_error(exc):
            _release(row, exc)
            _server_failed(exc, moment)
        else:
            _message_failed(row, exc, moment)
        return False  # recorded and logged: a later run tries again
    mark_sent(row)
    _server_answered()
    return True
