"""Who opened which record, audio or export, and when; a merged record's address leads to the
record that absorbed it, for those who may see it."""

from django.test import Client as HttpClient

from clients.merging import client_merge
from clients.models import AccessLog
from tests.factories import ClientFactory


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_opening_a_profile_or_an_export_is_logged_and_shown_to_managers(
    concierge, manager, outside_manager
):
    eloise = ClientFactory(first_name="Éloïse", last_name="Dumas", primary_concierge=concierge)
    camille = browser(concierge)
    camille.get(f"/clients/{eloise.pk}/")
    camille.get(f"/clients/{eloise.pk}/export/")
    assert list(AccessLog.objects.values_list("user", "what")) == [
        (concierge.pk, "export"),
        (concierge.pk, "profile"),
    ]
    boss = browser(manager)
    html = boss.get(f"/clients/{eloise.pk}/access/").content.decode()
    assert "Camille" in html and "Export" in html
    html = boss.get(f"/team/members/{concierge.pk}/access/").content.decode()
    assert "Éloïse Dumas" in html
    assert camille.get(f"/clients/{eloise.pk}/access/").status_code == 404
    assert browser(outside_manager).get(f"/clients/{eloise.pk}/access/").status_code == 404


def test_a_merged_records_address_leads_to_the_survivor_for_those_who_may_see_it(
    concierge, colleague, manager, outsider
):
    survivor = ClientFactory(first_name="Éloïse", last_name="Dumas", primary_concierge=concierge)
    absorbed = ClientFactory(first_name="Eloise", last_name="Dumas", primary_concierge=concierge)
    gone = absorbed.pk
    client_merge(survivor=survivor, absorbed=absorbed, by=manager)
    for user in (concierge, manager):
        response = browser(user).get(f"/clients/{gone}/")
        assert response.status_code == 302 and response["Location"] == f"/clients/{survivor.pk}/"
    for user in (colleague, outsider):
        assert browser(user).get(f"/clients/{gone}/").status_code == 404
