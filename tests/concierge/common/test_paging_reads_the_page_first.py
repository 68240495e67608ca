"""A paginator that reads the page first (`read_first`) answers as the one that counts first, and
counts nothing when the page it read is not full."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Client
from concierge.common.paging import CappedPaginator
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def answer(paginator, number):
    page = paginator.get_page(number)
    return (
        [client.pk for client in page.object_list],
        page.number,
        paginator.count,
        paginator.capped,
        paginator.num_pages,
        page.has_next(),
        page.has_previous(),
    )


@pytest.mark.parametrize("size", [0, 1, 10, 11, 23, 40])
@pytest.mark.parametrize("number", [None, 1, 2, 3, 5, 99, "x"])
def test_the_same_answer_as_counting_first(size, number):
    ClientFactory.create_batch(size)
    clients = Client.objects.order_by("pk")
    counted_first = answer(CappedPaginator(clients, 10, cap=15), number)
    read_first = answer(CappedPaginator(clients, 10, cap=15, read_first=True), number)
    assert read_first == counted_first


@pytest.mark.parametrize("size", [0, 3, 10])
def test_a_page_that_is_not_full_counts_nothing(size):
    ClientFactory.create_batch(size)
    paginator = CappedPaginator(Client.objects.order_by("pk"), 10, read_first=True)
    with CaptureQueriesContext(connection) as queries:
        assert len(answer(paginator, 1)[0]) == size
    assert len(queries.captured_queries) == 1
    assert "COUNT" not in queries.captured_queries[0]["sql"].upper()


def test_a_full_page_is_read_once_and_counted():
    ClientFactory.create_batch(12)
    paginator = CappedPaginator(Client.objects.order_by("pk"), 10, read_first=True)
    with CaptureQueriesContext(connection) as queries:
        assert answer(paginator, 1)[2:4] == (12, False)
    assert len(queries.captured_queries) == 2
