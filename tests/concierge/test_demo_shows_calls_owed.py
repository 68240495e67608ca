"""The README's tour promises "calls owed" on the agenda: the demo data has some at once."""

import io

from django.core.management import call_command

from concierge.accounts.models import User


def test_the_demo_agenda_lists_calls_owed(client, db):
    call_command("seed_demo", "--clients", "30", stdout=io.StringIO())
    client.force_login(User.objects.get(username="camille"))
    page = client.get("/agenda/")
    assert page.context["agenda"].calls_count > 0
    assert page.context["agenda"].calls
