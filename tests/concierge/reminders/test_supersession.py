"""One open prompt per subject and purpose: a request due soon, then overdue, has one live prompt."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from concierge.models import Notification, Reminder
from concierge.reminders.delivery import deliver_due
from concierge.reminders.sweep import sweep
from tests.factories import ClientFactory, ServiceRequestFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2027, 3, 10, 10, 0, tzinfo=PARIS)


def test_overdue_replaces_due_soon_and_reads_its_notification(concierge, mailoutbox):
    with time_machine.travel(NOW, tick=False) as traveller:
        client = ClientFactory(primary_concierge=concierge, tier="private")
        sr = ServiceRequestFactory(
            client=client, status="in_progress", due_at=NOW + datetime.timedelta(hours=2)
        )
        sweep()
        deliver_due()
        due_soon = Reminder.objects.get(service_request=sr)
        assert due_soon.kind == "due_soon" and due_soon.for_due_at == sr.due_at
        assert Notification.objects.filter(reminder=due_soon, read_at__isnull=True).count() == 1

        traveller.shift(datetime.timedelta(hours=2, minutes=3))
        sweep()
        deliver_due()

        live = Reminder.objects.filter(service_request=sr).live()
        assert [r.kind for r in live] == ["overdue"]
        due_soon.refresh_from_db()
        assert due_soon.state == "superseded" and due_soon.closed_at is not None
        assert Notification.objects.get(reminder=due_soon).read_at is not None
        assert Notification.objects.filter(read_at__isnull=True).get().reminder.kind == "overdue"
        assert len(mailoutbox) == 2
        # And the same request is not prompted again by the next runs.
        traveller.shift(datetime.timedelta(minutes=5))
        assert sweep() == 0 and deliver_due() == 0


def test_a_due_soon_prompt_not_yet_delivered_when_the_due_time_passes_is_not_sent(concierge):
    with time_machine.travel(NOW, tick=False) as traveller:
        client = ClientFactory(primary_concierge=concierge, tier="private")
        sr = ServiceRequestFactory(
            client=client, status="in_progress", due_at=NOW + datetime.timedelta(hours=2)
        )
        sweep()
        traveller.shift(datetime.timedelta(hours=3))  # the delivery did not run in between
        assert deliver_due() == 0  # due soon no longer matters once due: closed, not sent
        sweep()
        assert deliver_due() == 1
    assert Notification.objects.get().reminder.kind == "overdue"
    assert Reminder.objects.filter(service_request=sr).live().count() == 1


def test_the_database_refuses_a_second_live_prompt_for_the_same_request(concierge):
    client = ClientFactory(primary_concierge=concierge)
    sr = ServiceRequestFactory(client=client)
    common = {"owner": concierge, "client": client, "service_request": sr, "due_at": NOW}
    Reminder.objects.create(kind="due_soon", dedupe_key="a", **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(kind="overdue", dedupe_key="b", **common)
    # A closed one does not count.
    Reminder.objects.update(state="superseded")
    Reminder.objects.create(kind="overdue", dedupe_key="b", **common)
