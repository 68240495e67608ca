"""The request board is the heaviest key page: with every column full (a manager's view of a large
team), it stays under its own transfer budget (README, "Scale"), and the cards past each column's
share are behind "more", not sent."""

import datetime

from django.test import override_settings
from django.utils import timezone

from requests import listing
from requests.models import ServiceRequest, Status
from tests.factories import ClientFactory
from tests.web.test_page_weight import ASSET, gzipped

BOARD_HTML_BUDGET_KB = 72  # HTML as sent, every column full
BOARD_BUDGET_KB = 110  # with its CSS and JS, gzipped as served


@override_settings(DEBUG=False)
def test_a_full_board_stays_under_its_budget(client, manager, concierge):
    from django.contrib.staticfiles import finders

    now = timezone.now()
    customers = [ClientFactory(primary_concierge=concierge) for _ in range(10)]
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            client=customers[i % 10],
            title=f"Table for eight at a three-star restaurant, terrace if the weather holds {i}",
            status=status,
            priority="urgent" if i % 3 == 0 else "normal",
            assignee=concierge,
            due_at=now + datetime.timedelta(hours=i - 20),
            acknowledge_by=now - datetime.timedelta(hours=1),
            closed_at=now if status == Status.CLOSED else None,
            cancelled_at=now if status == Status.CANCELLED else None,
        )
        for status in listing.BOARD_STATUSES
        for i in range(listing.CARDS_PER_COLUMN * 3)
    )
    for user in (manager, concierge):
        client.force_login(user)
        response = client.get("/requests/", {"view": "board"})
        columns = response.context["columns"]
        assert all(column.more > 0 for column in columns), "every column has more than it shows"
        html = response.content
        assets = sum(
            gzipped(open(finders.find(asset), "rb").read())  # noqa: SIM115
            for asset in set(ASSET.findall(html.decode()))
        )
        assert len(html) <= BOARD_HTML_BUDGET_KB * 1024, f"{user}: {len(html) / 1024:.1f} KB"
        assert len(html) + assets <= BOARD_BUDGET_KB * 1024, (
            f"{user}: {(len(html) + assets) / 1024:.1f} KB"
        )
