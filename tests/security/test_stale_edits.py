"""Forms that edit shared or concurrent data refuse a stale edit; vendors and tags keep a history."""

import datetime

import pytest
from django.urls import reverse

from clients.history import client_changes
from clients.models import AnticipatedNeed, Tag
from clients.services import client_update
from concierge.reminders.models import TierPolicy
from requests.models import Vendor
from tests.factories import ClientFactory, VendorFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def record(concierge):
    return ClientFactory(primary_concierge=concierge)


def _need(client):
    return AnticipatedNeed.objects.create(
        client=client, title="Ski trip", recurrence="yearly", next_on=datetime.date(2031, 2, 10)
    )


def _need_data(**overrides):
    return {
        "title": "Ski trip",
        "category": "travel",
        "recurrence": "yearly",
        "interval_days": "",
        "next_on": "2031-02-10",
        "lead_days": "30",
        **overrides,
    }


def test_a_stale_edit_of_an_anticipated_need_is_a_conflict(concierge_client, record):
    need = _need(record)
    url = reverse("clients:need-edit", args=[record.pk, need.pk])
    opened = need.version
    first = concierge_client.post(url, _need_data(title="Verbier", version=opened), headers=HX)
    assert "Edit conflict" not in first.content.decode()
    second = concierge_client.post(url, _need_data(title="Zermatt", version=opened), headers=HX)
    page = second.content.decode()
    assert "Edit conflict" in page and 'value="Verbier"' in page
    need.refresh_from_db()
    assert need.title == "Verbier"


def test_an_edit_without_a_version_is_a_conflict_too(concierge_client, record):
    need = _need(record)
    url = reverse("clients:need-edit", args=[record.pk, need.pk])
    assert (
        "Edit conflict"
        in concierge_client.post(url, _need_data(title="X"), headers=HX).content.decode()
    )


def test_a_need_moved_on_by_the_system_makes_an_open_form_stale(concierge_client, record):
    need = _need(record)
    opened = need.version
    need.lead_days = 3
    need.save(update_fields=["lead_days"])  # as the sweep or the learner would
    url = reverse("clients:need-edit", args=[record.pk, need.pk])
    response = concierge_client.post(url, _need_data(version=opened), headers=HX)
    assert "Edit conflict" in response.content.decode()


def _vendor_data(vendor, **overrides):
    return {
        "name": vendor.name,
        "kind": vendor.kind,
        "contact_name": "",
        "phone": "",
        "email": vendor.email,
        "notes": "",
        **overrides,
    }


def test_a_stale_vendor_edit_is_refused_and_the_history_says_who_changed_the_email(
    client, concierge, colleague
):
    vendor = VendorFactory(email="old@example.com")
    url = reverse("requests:vendor-edit", args=[vendor.pk])
    client.force_login(concierge)
    opened = vendor.version
    response = client.post(url, _vendor_data(vendor, email="new@example.com", version=opened))
    assert response.status_code == 302
    client.force_login(colleague)
    response = client.post(url, _vendor_data(vendor, email="evil@example.com", version=opened))
    assert response.status_code == 409
    assert "Edit conflict" in response.content.decode()
    vendor.refresh_from_db()
    assert vendor.email == "new@example.com"
    latest = vendor.history.latest()
    assert latest.history_user == concierge and latest.email == "new@example.com"
    page = client.get(url).content.decode()
    assert "old@example.com" in page and "new@example.com" in page and "Camille" in page


def test_a_stale_tier_policy_edit_is_refused(client, manager):
    client.force_login(manager)
    page = client.get("/team/policies/").content.decode()
    assert 'name="private-version"' in page

    def data(lead, version=None):
        out = {}
        for tier in ("private", "premium", "essential"):
            # Policies are the team's own (see tests/concierge/reminders/test_policies.py).
            saved = TierPolicy.objects.filter(tier=tier, team=manager.team).first()
            opened = version if version is not None else (saved.version if saved else 0)
            out.update(
                {
                    f"{tier}-birthday_lead_days": lead,
                    f"{tier}-date_lead_days": 5,
                    f"{tier}-contact_cadence_days": 30,
                    f"{tier}-follow_up_hours": 24,
                    f"{tier}-acknowledge_minutes": 120,
                    f"{tier}-deliver_hours": 48,
                    f"{tier}-version": opened,
                }
            )
        return out

    before = data(20)
    assert client.post("/team/policies/", before).status_code == 302
    assert TierPolicy.objects.get(tier="private", team=manager.team).birthday_lead_days == 20
    stale = client.post("/team/policies/", {**before, "private-birthday_lead_days": 30})
    assert stale.status_code == 409
    assert "Edit conflict" in stale.content.decode()
    assert TierPolicy.objects.get(tier="private", team=manager.team).birthday_lead_days == 20
    assert client.post("/team/policies/", data(30)).status_code == 302
    assert TierPolicy.objects.get(tier="private", team=manager.team).birthday_lead_days == 30


def test_a_change_of_tags_is_in_the_clients_history(record, concierge):
    opera, vip = Tag.objects.create(name="Opera"), Tag.objects.create(name="VIP")
    record = client_update(client=record, by=concierge, version=record.version, tags=[opera])
    record = client_update(client=record, by=concierge, version=record.version, tags=[vip])
    changes = client_changes(record)
    tag_changes = [f for c in changes for f in c.fields if f[0] == "Tags"]
    assert ("Tags", "Opera", "VIP") in tag_changes
    assert ("Tags", "", "Opera") in tag_changes


def test_vendor_history_is_kept_on_every_save(db):
    vendor = Vendor.objects.create(name="Le Cinq", email="a@example.com")
    vendor.email = "b@example.com"
    vendor.save()
    assert [h.email for h in vendor.history.order_by("history_date")] == [
        "a@example.com",
        "b@example.com",
    ]
