"""A profile view's access row is written as its own transaction, committed without waiting for the
disk on PostgreSQL; inside a larger transaction it changes nothing of how that one commits."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from clients.models import AccessLog
from clients.services import access_record
from tests.factories import ClientFactory

ASYNC = "SET LOCAL synchronous_commit TO OFF"


@pytest.mark.django_db(transaction=True)
def test_the_row_is_written_as_its_own_transaction(concierge):
    client = ClientFactory(primary_concierge=concierge)
    with CaptureQueriesContext(connection) as queries:
        access_record(user=concierge, client=client)
    assert list(AccessLog.objects.values_list("user", "client", "what")) == [
        (concierge.pk, client.pk, "profile")
    ]
    sent = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        # The setting and the insert in one message: one round trip, one transaction.
        assert len(sent) == 1
        assert sent[0].startswith(ASYNC + "; INSERT")
    else:
        assert not [sql for sql in sent if ASYNC in sql]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_setting_ends_with_the_rows_transaction(concierge):
    client = ClientFactory(primary_concierge=concierge)
    access_record(user=concierge, client=client)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)


@pytest.mark.django_db(transaction=True)
def test_a_row_that_cannot_be_written_fails_and_leaves_the_connection_usable(concierge):
    client = ClientFactory(primary_concierge=concierge)
    gone = ClientFactory.build(pk=client.pk + 1000)
    with pytest.raises(IntegrityError):
        access_record(user=concierge, client=gone)
    access_record(user=concierge, client=client)
    assert list(AccessLog.objects.values_list("client", flat=True)) == [client.pk]


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_it_leaves_the_commit_alone(concierge):
    client = ClientFactory(primary_concierge=concierge)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        access_record(user=concierge, client=client, what=AccessLog.What.EXPORT)
    assert AccessLog.objects.filter(client=client, what="export").count() == 1
    assert ASYNC not in [q["sql"] for q in queries.captured_queries]
