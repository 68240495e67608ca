"""Creating a request from a client, working it from its page, and closing the loop with feedback."""

import datetime

import pytest
from django.utils import timezone

from clients.models import Preference, VoiceNote
from requests.models import Feedback, RequestEvent, ServiceRequest, Status, VendorUse
from tests.captured import written
from tests.factories import (
    ClientFactory,
    PreferenceFactory,
    RelationFactory,
    ServiceRequestFactory,
    VendorFactory,
)
from tests.typed import at_noon

HTMX = {"HX-Request": "true"}


@pytest.fixture
def eloise(concierge, colleague):
    return ClientFactory(
        first_name="Éloïse",
        last_name="d'Harcourt",
        form_of_address="Madame la Présidente",
        tier="private",
        primary_concierge=concierge,
        backup_concierge=colleague,
    )


@pytest.fixture
def dinner(eloise):
    return ServiceRequestFactory(
        client=eloise, title="Table for four at Le Cinq", status=Status.IN_PROGRESS
    )


def test_new_request_form_from_the_profile_defaults_to_the_clients_concierge(
    concierge_client, eloise, concierge
):
    page = concierge_client.get(f"/requests/new/?client={eloise.pk}")
    assert page.status_code == 200
    assert "Party size" in page.content.decode()  # dining is the default category
    event_at = at_noon(timezone.localtime() + datetime.timedelta(days=3))
    response = concierge_client.post(
        "/requests/new/",
        {
            "client": eloise.pk,
            "title": "Table for four at Le Cinq",
            "category": "dining",
            "priority": "normal",
            "currency": "EUR",
            "event_at": event_at,
            "details-party_size": "4",
            "details-venue": "Le Cinq",
        },
    )
    service_request = ServiceRequest.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/requests/{service_request.pk}/"
    )
    assert service_request.assignee == concierge
    assert service_request.details == {"party_size": 4, "venue": "Le Cinq"}
    assert service_request.acknowledge_by and service_request.due_at <= service_request.event_at
    assert RequestEvent.objects.get(service_request=service_request).kind == "created"


def test_service_levels_follow_tier_and_priority(concierge, eloise):
    from requests.services import service_request_create

    urgent = service_request_create(
        client=eloise, by=concierge, title="Car now", category="transport", priority="urgent"
    )
    normal = service_request_create(
        client=eloise, by=concierge, title="Gift", category="gifts", priority="normal"
    )
    assert urgent.acknowledge_by - urgent.created_at == datetime.timedelta(minutes=7, seconds=30)
    assert normal.due_at - normal.created_at == datetime.timedelta(hours=24)


def test_category_fields_change_with_the_category(concierge_client):
    html = concierge_client.get(
        "/requests/new/details/", {"category": "travel"}, headers=HTMX
    ).content.decode()
    assert "Travellers" in html and "Documents needed" in html and "Party size" not in html
    gifts = concierge_client.get("/requests/new/details/", {"category": "gifts"}, headers=HTMX)
    assert "Recipient" in gifts.content.decode()


def test_the_category_fields_url_opened_plainly_leads_to_the_new_request_page(concierge_client):
    response = concierge_client.get("/requests/new/details/", {"category": "gifts"})
    assert response.status_code == 302
    assert response["Location"] == "/requests/new/?category=gifts"


def test_a_request_on_behalf_of_a_household_member(concierge_client, eloise):
    assistant = RelationFactory(client=eloise, kind="assistant", name="Margaux Petit")
    concierge_client.post(
        "/requests/new/",
        {
            "client": eloise.pk,
            "title": "Flowers",
            "category": "gifts",
            "priority": "normal",
            "currency": "EUR",
            "on_behalf_of": assistant.pk,
        },
    )
    assert ServiceRequest.objects.get().on_behalf_of == assistant


def test_bad_input_is_shown_and_nothing_is_created(concierge_client, eloise):
    response = concierge_client.post(
        "/requests/new/",
        {
            "client": eloise.pk,
            "title": "",
            "category": "travel",
            "priority": "normal",
            "currency": "E1R",
            "budget": "-5",
            "details-depart_on": "2027-02-10",
            "details-return_on": "2027-02-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in html
    assert "three letters" in html
    assert "cannot be negative" in html
    assert "end date is before the start date" in html
    assert not ServiceRequest.objects.exists()


def test_without_a_client_the_form_asks_which_client(concierge_client, eloise):
    page = concierge_client.get("/requests/new/", {"q": "harcourt"}, headers=HTMX).content.decode()
    assert f"/requests/new/?client={eloise.pk}" in page


def test_detail_shows_constraints_steps_and_history(concierge_client, dinner, eloise):
    PreferenceFactory(
        client=eloise, kind=Preference.Kind.ALLERGY, detail="Shellfish", severity="critical"
    )
    html = concierge_client.get(f"/requests/{dinner.pk}/").content.decode()
    assert "Shellfish" in html[html.index('id="banner"') :]
    for step in ("waiting_on_client", "waiting_on_vendor", "fulfilled", "cancelled"):
        assert f'data-step="{step}"' in html
    assert 'data-step="closed"' not in html


def test_transition_from_the_page(concierge_client, dinner):
    response = concierge_client.post(
        f"/requests/{dinner.pk}/transition/",
        {"to": "fulfilled", "expected": "in_progress"},
        headers=HTMX,
    )
    assert response.status_code == 200
    dinner.refresh_from_db()
    assert dinner.status == "fulfilled" and dinner.fulfilled_at
    assert "Record feedback" in response.content.decode()


def test_an_illegal_transition_is_explained_and_changes_nothing(concierge_client, dinner):
    response = concierge_client.post(
        f"/requests/{dinner.pk}/transition/",
        {"to": "closed", "expected": "in_progress"},
        headers=HTMX,
    )
    assert "cannot become" in response.content.decode()
    dinner.refresh_from_db()
    assert dinner.status == "in_progress" and dinner.version == 1


def test_a_stale_button_is_refused(concierge_client, dinner, colleague):
    from requests.workflow import service_request_transition

    service_request_transition(
        service_request_id=dinner.pk, to_status="waiting_on_vendor", by=colleague
    )
    response = concierge_client.post(
        f"/requests/{dinner.pk}/transition/",
        {"to": "fulfilled", "expected": "in_progress"},
        headers=HTMX,
    )
    assert "Someone else moved this request" in response.content.decode()
    dinner.refresh_from_db()
    assert dinner.status == "waiting_on_vendor"


def test_feedback_then_close(concierge_client, dinner, concierge):
    concierge_client.post(
        f"/requests/{dinner.pk}/transition/",
        {"to": "fulfilled", "expected": "in_progress"},
        headers=HTMX,
    )
    concierge_client.post(
        f"/requests/{dinner.pk}/feedback/", {"score": "9", "words": "Parfait, merci"}, headers=HTMX
    )
    feedback = Feedback.objects.get(service_request=dinner)
    assert (feedback.score, feedback.words, feedback.recorded_by) == (
        9,
        "Parfait, merci",
        concierge,
    )
    concierge_client.post(
        f"/requests/{dinner.pk}/transition/",
        {"to": "closed", "expected": "fulfilled"},
        headers=HTMX,
    )
    dinner.refresh_from_db()
    assert dinner.status == "closed" and dinner.closed_at


@pytest.mark.parametrize("score", ["11", "-1", "ten", ""])
def test_a_bad_score_is_refused(concierge_client, dinner, score):
    dinner.status = Status.FULFILLED
    dinner.save()
    concierge_client.post(f"/requests/{dinner.pk}/feedback/", {"score": score}, headers=HTMX)
    assert not Feedback.objects.exists()


def test_feedback_before_fulfilment_is_refused(concierge_client, dinner):
    response = concierge_client.post(
        f"/requests/{dinner.pk}/feedback/", {"score": "8"}, headers=HTMX
    )
    assert "once the request is fulfilled" in response.content.decode()
    assert not Feedback.objects.exists()


def test_comments_checklist_and_vendors_are_kept_in_history(concierge_client, dinner):
    concierge_client.post(
        f"/requests/{dinner.pk}/comment/", {"text": "Chef confirmed"}, headers=HTMX
    )
    concierge_client.post(
        f"/requests/{dinner.pk}/checklist/", {"text": "Confirm the car"}, headers=HTMX
    )
    item = dinner.checklist.get()
    concierge_client.post(f"/requests/{dinner.pk}/checklist/{item.pk}/toggle/", headers=HTMX)
    holds_until = (timezone.localtime() + datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    concierge_client.post(
        f"/requests/{dinner.pk}/vendors/",
        {
            "new_vendor": "Le Cinq",
            "new_vendor_kind": "restaurant",
            "what": "Table",
            "stage": "held",
            "cost": "480",
            "currency": "EUR",
            "expires_at": holds_until,
        },
        headers=HTMX,
    )
    use = VendorUse.objects.get()
    assert use.vendor.name == "Le Cinq" and use.is_pending_expiry
    item.refresh_from_db()
    assert item.done
    kinds = list(RequestEvent.objects.filter(service_request=dinner).values_list("kind", flat=True))
    assert sorted(kinds) == ["checklist", "checklist", "comment", "vendor"]
    html = concierge_client.get(f"/requests/{dinner.pk}/").content.decode()
    assert "Chef confirmed" in html and "480" in html


def test_a_negative_cost_is_refused(concierge_client, dinner):
    vendor = VendorFactory()
    concierge_client.post(
        f"/requests/{dinner.pk}/vendors/",
        {"vendor": vendor.pk, "stage": "quoted", "cost": "-10", "currency": "EUR"},
        headers=HTMX,
    )
    assert not VendorUse.objects.exists()


def test_vendor_brief_has_allergies_and_dining_tastes_but_nothing_private(concierge_client, eloise):
    from clients.models import ContactPoint
    from tests.factories import ContactPointFactory

    ContactPointFactory(client=eloise, value="+33 6 12 34 56 78")
    ContactPointFactory(client=eloise, kind=ContactPoint.Kind.EMAIL, value="eloise@harcourt.fr")
    PreferenceFactory(client=eloise, kind="allergy", detail="Shellfish", severity="critical")
    PreferenceFactory(client=eloise, kind="like", detail="Corner table, away from the door")
    PreferenceFactory(
        client=eloise, kind="never", category="hotels", detail="Never the Hôtel Lutetia"
    )
    PreferenceFactory(client=eloise, kind="like", category="fashion", detail="Hermès scarves")
    dinner = ServiceRequestFactory(
        client=eloise,
        title="Dinner",
        budget=900,
        notes="Pays late; discreet",
        details={"party_size": 4},
    )
    html = concierge_client.get(f"/requests/{dinner.pk}/").content.decode()
    brief = html[html.index('id="brief-') : html.index("</textarea>")]
    assert "Madame la Présidente d&#x27;Harcourt" in brief
    assert "Shellfish" in brief and "Corner table" in brief and "Party size: 4" in brief
    for secret in ("+33", "eloise@", "900", "Pays late", "Lutetia", "Hermès"):
        assert secret not in brief


def test_requests_and_their_events_appear_on_the_clients_timeline(concierge_client, dinner, eloise):
    concierge_client.post(
        f"/requests/{dinner.pk}/transition/",
        {"to": "fulfilled", "expected": "in_progress"},
        headers=HTMX,
    )
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    timeline = html[html.index('id="timeline"') :]
    assert "Table for four at Le Cinq · Fulfilled" in timeline
    assert f'href="/requests/{dinner.pk}/"' in timeline


def test_edit_with_a_stale_version_is_a_conflict(concierge_client, dinner):
    base = {
        "title": "Table for six",
        "category": "dining",
        "priority": "high",
        "currency": "EUR",
        "version": 1,
    }
    assert concierge_client.post(f"/requests/{dinner.pk}/edit/", base).status_code == 302
    response = concierge_client.post(
        f"/requests/{dinner.pk}/edit/", {**base, "title": "Table for two"}
    )
    assert "Someone else changed this while you were editing" in response.content.decode()
    dinner.refresh_from_db()
    assert dinner.title == "Table for six" and dinner.priority == "high"


# Access: another concierge gets 404 everywhere
def detail_urls(sr, item_pk=0, use_pk=0):
    return [
        ("get", f"/requests/{sr.pk}/"),
        ("get", f"/requests/{sr.pk}/edit/"),
        ("post", f"/requests/{sr.pk}/edit/"),
        ("post", f"/requests/{sr.pk}/transition/"),
        ("post", f"/requests/{sr.pk}/comment/"),
        ("post", f"/requests/{sr.pk}/checklist/"),
        ("post", f"/requests/{sr.pk}/checklist/{item_pk}/toggle/"),
        ("post", f"/requests/{sr.pk}/vendors/"),
        ("post", f"/requests/{sr.pk}/vendors/{use_pk}/delete/"),
        ("post", f"/requests/{sr.pk}/feedback/"),
    ]


def test_another_concierge_gets_404_on_the_request_its_fragments_and_transitions(
    client, outsider, colleague, concierge, dinner
):
    item = dinner.checklist.create(text="Call")
    use = VendorUse.objects.create(service_request=dinner, vendor=VendorFactory())
    dinner.client.backup_concierge = None
    dinner.client.save()
    stranger_in_team = colleague
    for user in (outsider, stranger_in_team):
        client.force_login(user)
        for method, url in detail_urls(dinner, item.pk, use.pk):
            response = getattr(client, method)(
                url, {"to": "cancelled", "text": "x", "score": "1"}, headers=HTMX
            )
            assert response.status_code == 404, (user, url)
    assert client.get(f"/requests/new/?client={dinner.client.pk}").status_code == 404
    dinner.refresh_from_db()
    assert dinner.status == "in_progress" and not dinner.events.exists()


def test_the_teams_manager_sees_every_fragment(client, manager, dinner):
    item = dinner.checklist.create(text="Call")
    use = VendorUse.objects.create(service_request=dinner, vendor=VendorFactory())
    client.force_login(manager)
    for method, url in detail_urls(dinner, item.pk, use.pk):
        if method == "get":
            assert client.get(url).status_code == 200, url
    assert (
        client.post(f"/requests/{dinner.pk}/comment/", {"text": "Seen"}, headers=HTMX).status_code
        == 200
    )


@pytest.mark.parametrize("size", [5, 500])
def test_detail_query_count_does_not_grow(
    concierge_client, dinner, eloise, django_assert_max_num_queries, size
):
    for n in range(size // 5):
        RequestEvent.objects.create(service_request=dinner, kind="comment", note=f"note {n}")
        dinner.checklist.create(text=f"task {n}")
        PreferenceFactory(client=eloise, kind="allergy" if n % 4 == 0 else "like")
    vendor = VendorFactory()
    for _ in range(size // 50 + 1):
        VendorUse.objects.create(service_request=dinner, vendor=vendor, cost=10)
    ServiceRequestFactory.create_batch(size // 10, client=eloise)
    for n in range(size // 50 + 1):
        dinner.voice_notes.add(
            VoiceNote.objects.create(
                client=eloise, audio=f"voice/{n}.ogg", mime_type="audio/ogg", duration=3, size=3
            )
        )
    # The request's voice notes are one query (with who recorded them), however many.
    with django_assert_max_num_queries(16):
        page = concierge_client.get(f"/requests/{dinner.pk}/")
    assert page.status_code == 200 and page.content.count(b'class="voice-note"') == size // 50 + 1


def test_the_vendor_form_shows_the_directory_as_it_is_now(concierge_client, dinner):
    """The empty vendor form is kept per process, keyed by the directory it lists: a vendor added
    or renamed is in the next page's form, in the reader's language."""
    vendor = VendorFactory(name="Maison Alpha")
    page = concierge_client.get(f"/requests/{dinner.pk}/").content.decode()
    assert f'<option value="{vendor.pk}">Maison Alpha</option>' in page
    VendorFactory(name="Bistrot Beta")
    vendor.name = "Maison Gamma"
    vendor.save()
    page = concierge_client.get(f"/requests/{dinner.pk}/").content.decode()
    assert "Bistrot Beta" in page and f'<option value="{vendor.pk}">Maison Gamma</option>' in page
    assert "Maison Alpha" not in page
    dinner.currency = "CHF"
    dinner.save()
    page = concierge_client.get(f"/requests/{dinner.pk}/").content.decode()
    assert 'name="currency" value="CHF"' in page


def test_a_refused_vendor_keeps_what_was_typed(concierge_client, dinner):
    page = concierge_client.post(
        f"/requests/{dinner.pk}/vendors/", {"what": "Dinner for four"}, headers=HTMX
    ).content.decode()
    assert "Choose a vendor or name a new one." in page and 'value="Dinner for four"' in page


def test_the_cost_and_the_feedback_come_with_the_pages_other_reads(
    concierge_client, dinner, concierge, django_assert_max_num_queries
):
    """The committed total is summed from the vendors the page lists, and the feedback (with who
    recorded it) comes with the request: no query of their own."""
    vendor = VendorFactory()
    VendorUse.objects.create(service_request=dinner, vendor=vendor, cost=120, stage="booked")
    VendorUse.objects.create(service_request=dinner, vendor=vendor, cost=80, stage="quoted")
    dinner.status = Status.FULFILLED
    dinner.save()
    Feedback.objects.create(service_request=dinner, score=9, words="Parfait", recorded_by=concierge)
    concierge_client.get(f"/requests/{dinner.pk}/")
    with django_assert_max_num_queries(11) as captured:
        page = concierge_client.get(f"/requests/{dinner.pk}/").content.decode()
    sqls = [written(q["sql"]) for q in captured.captured_queries]
    assert not [sql for sql in sqls if 'FROM "requests_feedback"' in sql.split("WHERE")[0][:200]]
    assert sum('FROM "requests_vendoruse"' in sql for sql in sqls) == 1
    assert "<strong>120 EUR</strong>" in page and "Parfait" in page
