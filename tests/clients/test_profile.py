"""The profile: how to greet, what to be careful about, and every section kept up to date in place."""

import datetime

import pytest
from django.utils import timezone

from clients.models import (
    ContactPoint,
    ImportantDate,
    Interaction,
    Preference,
    Relation,
    VoiceNote,
)
from tests.factories import (
    ClientFactory,
    ContactPointFactory,
    ImportantDateFactory,
    InteractionFactory,
    PreferenceFactory,
    RelationFactory,
    ServiceRequestFactory,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def eloise(concierge, colleague):
    return ClientFactory(
        first_name="Éloïse",
        last_name="d'Harcourt",
        preferred_name="Lou",
        form_of_address="Madame la Présidente",
        pronunciation="ay-lo-EEZ dar-KOOR",
        primary_concierge=concierge,
        backup_concierge=colleague,
    )


def test_header_says_how_to_greet_and_pronounce(concierge_client, eloise):
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert "Madame la Présidente" in html
    assert "Lou d&#x27;Harcourt" in html
    assert "ay-lo-EEZ dar-KOOR" in html
    assert "Camille Laurent" in html  # the concierge
    assert "Julien" in html  # the backup


def test_banner_lists_allergies_and_nevers_but_not_likes(concierge_client, eloise):
    PreferenceFactory(
        client=eloise, kind=Preference.Kind.ALLERGY, detail="Shellfish", severity="critical"
    )
    PreferenceFactory(
        client=eloise, kind=Preference.Kind.NEVER, category="hotels", detail="Hotel Lutetia"
    )
    PreferenceFactory(client=eloise, kind=Preference.Kind.LIKE, detail="Krug 2008")
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    banner = html[html.index('id="banner"') : html.index("profile-grid")]
    assert "Shellfish" in banner and "Hotel Lutetia" in banner
    assert "Krug" not in banner


def test_no_banner_without_hard_constraints(concierge_client, eloise):
    PreferenceFactory(client=eloise, kind=Preference.Kind.LIKE, detail="Krug 2008")
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert "Krug 2008" in html  # the preference is shown, only not as a warning
    assert "Be careful" not in html


def test_contact_points_are_tap_to_call_and_write(concierge_client, eloise):
    ContactPointFactory(client=eloise, value="06 12 34 56 78")
    ContactPointFactory(client=eloise, kind=ContactPoint.Kind.EMAIL, value="eloise@harcourt.fr")
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert 'href="tel:+33612345678"' in html
    assert 'href="mailto:eloise@harcourt.fr"' in html


def test_upcoming_dates_show_next_occurrence_and_days_left(concierge_client, eloise):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=9)
    ImportantDateFactory(
        client=eloise, kind="anniversary", label="Wedding", date=soon.replace(year=2001)
    )
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert "Wedding" in html
    assert "in 9 days" in html


def test_timeline_shows_interactions_newest_first(concierge_client, eloise, concierge):
    now = timezone.now()
    InteractionFactory(
        client=eloise, summary="Older call", occurred_at=now - datetime.timedelta(days=3)
    )
    InteractionFactory(client=eloise, summary="Newest visit", channel="visit", occurred_at=now)
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert html.index("Newest visit") < html.index("Older call")


def test_timeline_pages_with_show_earlier(concierge_client, eloise):
    now = timezone.now()
    for n in range(25):
        InteractionFactory(
            client=eloise, summary=f"Call #{n:02d}", occurred_at=now - datetime.timedelta(hours=n)
        )
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert "Call #00" in html and "Call #19" in html and "Call #20" not in html
    oldest_shown = Interaction.objects.get(summary="Call #19").occurred_at.isoformat()
    more = concierge_client.get(
        f"/clients/{eloise.pk}/timeline/", {"before": oldest_shown}, headers=HTMX
    )
    assert "Call #20" in more.content.decode() and "Call #24" in more.content.decode()
    assert "Call #19" not in more.content.decode()


# Logging an interaction
def test_logging_a_call_puts_it_on_the_timeline(concierge_client, eloise, concierge):
    response = concierge_client.post(
        f"/clients/{eloise.pk}/interactions/new/",
        {"channel": "call", "direction": "outbound", "summary": "Confirmed Saturday dinner"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Confirmed Saturday dinner" in response.content.decode()
    interaction = Interaction.objects.get(client=eloise)
    assert (interaction.channel, interaction.by) == ("call", concierge)


def test_logging_needs_no_summary(concierge_client, eloise):
    concierge_client.post(
        f"/clients/{eloise.pk}/interactions/new/",
        {"channel": "message", "direction": "inbound"},
        headers=HTMX,
    )
    assert Interaction.objects.get(client=eloise).channel == "message"


def test_an_unknown_channel_is_refused_and_nothing_is_logged(concierge_client, eloise):
    response = concierge_client.post(
        f"/clients/{eloise.pk}/interactions/new/",
        {"channel": "pigeon", "direction": "inbound"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "pigeon" in response.content.decode()
    assert not Interaction.objects.exists()


# Sections edited in place
def test_adding_a_phone_stores_it_in_e164_and_returns_the_section(concierge_client, eloise):
    response = concierge_client.post(
        f"/clients/{eloise.pk}/contacts/new/",
        {"kind": "phone", "value": "06 12 34 56 78", "label": "mobile", "preferred": "on"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert 'id="section-contacts"' in html and "06 12 34 56 78" in html
    assert ContactPoint.objects.get(client=eloise).normalized == "+33612345678"


def test_a_bad_phone_is_shown_inline_and_changes_nothing(concierge_client, eloise):
    response = concierge_client.post(
        f"/clients/{eloise.pk}/contacts/new/", {"kind": "phone", "value": "12"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "is not a phone number" in response.content.decode()
    assert not ContactPoint.objects.exists()


def test_only_one_preferred_contact_per_kind(concierge_client, eloise):
    first = ContactPointFactory(client=eloise, value="+33 6 11 11 11 11", preferred=True)
    concierge_client.post(
        f"/clients/{eloise.pk}/contacts/new/",
        {"kind": "phone", "value": "+33 6 22 22 22 22", "preferred": "on"},
        headers=HTMX,
    )
    first.refresh_from_db()
    assert not first.preferred
    assert ContactPoint.objects.filter(client=eloise, preferred=True).count() == 1


def test_adding_an_allergy_makes_the_banner_appear_out_of_band(concierge_client, eloise, concierge):
    response = concierge_client.post(
        f"/clients/{eloise.pk}/preferences/new/",
        {
            "kind": "allergy",
            "category": "dining",
            "detail": "Peanuts",
            "severity": "critical",
            "source": "said",
        },
        headers=HTMX,
    )
    html = response.content.decode()
    assert 'id="banner" hx-swap-oob="true"' in html
    assert "Peanuts" in html[html.index('id="banner"') :]
    pref = Preference.objects.get(client=eloise)
    assert pref.captured_by == concierge and pref.source == "said"


def test_an_allergy_is_never_a_mere_note(concierge_client, eloise):
    concierge_client.post(
        f"/clients/{eloise.pk}/preferences/new/",
        {
            "kind": "allergy",
            "category": "dining",
            "detail": "Gluten",
            "severity": "note",
            "source": "said",
        },
        headers=HTMX,
    )
    assert Preference.objects.get(client=eloise).severity == "important"


def test_a_preference_unconfirmed_for_a_year_is_stale_and_can_be_confirmed(
    concierge_client, eloise
):
    old = timezone.now() - datetime.timedelta(days=400)
    pref = PreferenceFactory(client=eloise, detail="Window seat", last_confirmed_at=old)
    assert "stale" in concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    concierge_client.post(f"/clients/{eloise.pk}/preferences/{pref.pk}/confirm/", headers=HTMX)
    pref.refresh_from_db()
    assert not pref.is_stale


def test_household_member_with_their_own_preference_and_birthday(concierge_client, eloise):
    concierge_client.post(
        f"/clients/{eloise.pk}/household/new/",
        {"kind": "child", "name": "Victoire", "birthday": "2015-06-02"},
        headers=HTMX,
    )
    victoire = Relation.objects.get(client=eloise)
    concierge_client.post(
        f"/clients/{eloise.pk}/preferences/new/",
        {
            "kind": "allergy",
            "category": "dining",
            "detail": "Kiwi",
            "severity": "important",
            "source": "said",
            "relation": victoire.pk,
        },
        headers=HTMX,
    )
    concierge_client.post(
        f"/clients/{eloise.pk}/dates/new/",
        {
            "kind": "custom",
            "label": "First day at school",
            "date": "2021-09-01",
            "yearly": "on",
            "relation": victoire.pk,
        },
        headers=HTMX,
    )
    assert Preference.objects.get(client=eloise).relation == victoire
    assert {d.kind for d in ImportantDate.objects.filter(client=eloise, relation=victoire)} == {
        "birthday",
        "custom",
    }
    html = concierge_client.get(f"/clients/{eloise.pk}/").content.decode()
    assert "Kiwi" in html and "(Victoire)" in html


def test_a_household_member_of_another_client_cannot_be_attached(
    concierge_client, eloise, concierge
):
    stranger = RelationFactory(client=ClientFactory(primary_concierge=concierge))
    response = concierge_client.post(
        f"/clients/{eloise.pk}/dates/new/",
        {"kind": "birthday", "date": "2015-06-02", "yearly": "on", "relation": stranger.pk},
        headers=HTMX,
    )
    assert "Select a valid choice" in response.content.decode()
    assert not ImportantDate.objects.exists()


def test_editing_an_item_in_place(concierge_client, eloise):
    point = ContactPointFactory(client=eloise, value="+33 6 12 34 56 78")
    form = concierge_client.get(
        f"/clients/{eloise.pk}/contacts/{point.pk}/", headers=HTMX
    ).content.decode()
    assert 'name="version" value="1"' in form
    concierge_client.post(
        f"/clients/{eloise.pk}/contacts/{point.pk}/",
        {"kind": "phone", "value": "+41 79 123 45 67", "label": "Geneva", "version": 1},
        headers=HTMX,
    )
    point.refresh_from_db()
    assert (point.normalized, point.label, point.version) == ("+41791234567", "Geneva", 2)


def test_deleting_an_item(concierge_client, eloise):
    pref = PreferenceFactory(client=eloise)
    concierge_client.post(
        f"/clients/{eloise.pk}/preferences/{pref.pk}/delete/", {"version": 1}, headers=HTMX
    )
    assert not Preference.objects.exists()


def test_unknown_section_is_a_404(concierge_client, eloise):
    assert (
        concierge_client.get(f"/clients/{eloise.pk}/secrets/new/", headers=HTMX).status_code == 404
    )


# Concurrent edits never silently overwrite each other
def test_second_editor_of_the_same_item_gets_a_conflict_with_current_values(
    concierge_client, eloise
):
    point = ContactPointFactory(client=eloise, value="+33 6 12 34 56 78", label="mobile")
    concierge_client.post(
        f"/clients/{eloise.pk}/contacts/{point.pk}/",
        {"kind": "phone", "value": "+33 6 12 34 56 78", "label": "first editor", "version": 1},
        headers=HTMX,
    )
    response = concierge_client.post(
        f"/clients/{eloise.pk}/contacts/{point.pk}/",
        {"kind": "phone", "value": "+33 6 99 99 99 99", "label": "second editor", "version": 1},
        headers=HTMX,
    )
    html = response.content.decode()
    assert "Someone else changed this" in html
    assert "first editor" in html  # what was saved meanwhile is shown beside…
    assert 'value="second editor"' in html  # …what was typed, kept in the form
    point.refresh_from_db()
    assert point.label == "first editor" and point.normalized == "+33612345678"


def test_deleting_a_stale_item_is_a_conflict(concierge_client, eloise):
    pref = PreferenceFactory(client=eloise, detail="Still here")
    response = concierge_client.post(
        f"/clients/{eloise.pk}/preferences/{pref.pk}/delete/", {"version": 0}, headers=HTMX
    )
    assert "Someone else changed this" in response.content.decode()
    assert Preference.objects.filter(pk=pref.pk).exists()


def identity(client, **changes):
    data = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "preferred_name": client.preferred_name,
        "form_of_address": client.form_of_address,
        "pronunciation": client.pronunciation,
        "languages": client.languages,
        "tier": client.tier,
        "status": client.status,
        "notes": client.notes,
        "tags_text": "",
        "version": client.version,
    }
    return {**data, **changes}


def test_identity_edit_saves_and_records_history(concierge_client, eloise, concierge):
    response = concierge_client.post(
        f"/clients/{eloise.pk}/identity/",
        identity(eloise, form_of_address="Madame la Ministre", tags_text="VIP, art collector"),
        headers=HTMX,
    )
    assert "Madame la Ministre" in response.content.decode()
    eloise.refresh_from_db()
    assert eloise.version == 2
    assert sorted(eloise.tags.values_list("name", flat=True)) == ["VIP", "art collector"]
    history = concierge_client.get(f"/clients/{eloise.pk}/history/", headers=HTMX).content.decode()
    assert "Madame la Présidente" in history and "Madame la Ministre" in history
    assert "Camille Laurent" in history


def test_identity_conflict_keeps_the_first_save(concierge_client, eloise):
    concierge_client.post(
        f"/clients/{eloise.pk}/identity/", identity(eloise, preferred_name="Loulou"), headers=HTMX
    )
    response = concierge_client.post(
        f"/clients/{eloise.pk}/identity/", identity(eloise, preferred_name="Zaza"), headers=HTMX
    )
    assert "Someone else changed this" in response.content.decode()
    eloise.refresh_from_db()
    assert eloise.preferred_name == "Loulou"


def test_a_concierge_cannot_reassign_clients_but_a_manager_can(
    client, eloise, concierge, colleague, manager
):
    client.force_login(concierge)
    # Editing the profile does not touch who looks after the client; the assignment page is a 404.
    client.post(
        f"/clients/{eloise.pk}/identity/",
        identity(eloise, primary_concierge=colleague.pk),
        headers=HTMX,
    )
    response = client.post(f"/clients/{eloise.pk}/assign/", {"concierge": colleague.pk})
    assert response.status_code == 404
    eloise.refresh_from_db()
    assert eloise.primary_concierge == concierge
    client.force_login(manager)
    client.post(
        f"/clients/{eloise.pk}/assign/",
        {"concierge": colleague.pk, "backup": concierge.pk, "action": "assign"},
    )
    eloise.refresh_from_db()
    assert (eloise.primary_concierge, eloise.backup_concierge) == (colleague, concierge)


def test_a_photo_that_is_not_an_image_is_refused(concierge_client, eloise):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("me.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = concierge_client.post(
        f"/clients/{eloise.pk}/identity/", {**identity(eloise), "photo": fake}, headers=HTMX
    )
    assert "must be a JPEG, PNG" in response.content.decode()
    eloise.refresh_from_db()
    assert not eloise.photo and eloise.version == 1


def test_history_shows_changes_to_sections_with_who_and_when(concierge_client, eloise):
    concierge_client.post(
        f"/clients/{eloise.pk}/preferences/new/",
        {
            "kind": "like",
            "category": "dining",
            "detail": "Dom Pérignon",
            "severity": "note",
            "source": "observed",
        },
        headers=HTMX,
    )
    pref = Preference.objects.get()
    concierge_client.post(
        f"/clients/{eloise.pk}/preferences/{pref.pk}/",
        {
            "kind": "like",
            "category": "dining",
            "detail": "Krug",
            "severity": "note",
            "source": "observed",
            "version": 1,
        },
        headers=HTMX,
    )
    html = concierge_client.get(f"/clients/{eloise.pk}/history/", headers=HTMX).content.decode()
    assert "Dom Pérignon" in html and "Krug" in html and "changed" in html and "created" in html


# Query counts do not grow with the size of the record
@pytest.mark.parametrize("size", [1, 50])
def test_profile_query_count_is_bounded(
    concierge_client, eloise, concierge, django_assert_max_num_queries, size
):
    relation = RelationFactory(client=eloise)
    for n in range(size):
        PreferenceFactory(
            client=eloise,
            relation=relation if n % 2 else None,
            kind="allergy" if n % 3 == 0 else "like",
        )
        InteractionFactory(client=eloise)
        ContactPointFactory(client=eloise, value=f"+33 6 12 34 {n // 10 % 10}{n % 10} 78")
        ImportantDateFactory(client=eloise, relation=relation if n % 2 else None)
        # Voice notes on their own, about a call, and about a request (the link is loaded with
        # the notes: no query per note).
        call = InteractionFactory(client=eloise)
        service_request = ServiceRequestFactory(client=eloise)
        for about in ({}, {"interaction": call}, {"request": service_request}):
            note = VoiceNote.objects.create(
                client=eloise,
                interaction=about.get("interaction"),
                audio=f"voice/{n}.ogg",
                mime_type="audio/ogg",
                duration=3,
                size=3,
                recorded_by=concierge,
            )
            if "request" in about:
                service_request.voice_notes.add(note)
    # 17: one query more than before voice notes could be about a call (the notes under the
    # page's calls, prefetched in one query however many).
    with django_assert_max_num_queries(17):
        page = concierge_client.get(f"/clients/{eloise.pk}/")
    assert page.status_code == 200 and b"voice-about" in page.content


@pytest.mark.parametrize("size", [1, 30])
def test_history_query_count_is_bounded(
    concierge_client, eloise, django_assert_max_num_queries, size
):
    for n in range(size):
        concierge_client.post(
            f"/clients/{eloise.pk}/preferences/new/",
            {
                "kind": "like",
                "category": "dining",
                "detail": f"Wine {n}",
                "severity": "note",
                "source": "said",
            },
            headers=HTMX,
        )
    # 15: the team named in the history rows is one more label to load (one query, not per row).
    with django_assert_max_num_queries(15):
        assert (
            concierge_client.get(f"/clients/{eloise.pk}/history/", headers=HTMX).status_code == 200
        )


def test_an_edit_without_its_version_is_a_conflict_not_an_overwrite(concierge_client, eloise):
    point = ContactPointFactory(client=eloise, value="+33 6 12 34 56 78", label="mobile")
    response = concierge_client.post(
        f"/clients/{eloise.pk}/contacts/{point.pk}/",
        {"kind": "phone", "value": "+33 6 99 99 99 99", "label": "?"},
        headers=HTMX,
    )
    assert "Someone else changed this" in response.content.decode()
    point.refresh_from_db()
    assert point.label == "mobile"


def test_a_photo_is_stored_under_a_name_of_our_making(concierge_client, eloise):
    from django.core.files.uploadedfile import SimpleUploadedFile

    gif = SimpleUploadedFile(
        "evil.html",
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
        content_type="text/html",
    )
    concierge_client.post(
        f"/clients/{eloise.pk}/identity/", {**identity(eloise), "photo": gif}, headers=HTMX
    )
    eloise.refresh_from_db()
    # Re-encoded from its pixels (a transparent GIF becomes a PNG), never under the uploaded name.
    assert eloise.photo.name.endswith(".png") and "evil" not in eloise.photo.name


def test_a_household_members_birthday_becomes_an_important_date(concierge_client, eloise):
    concierge_client.post(
        f"/clients/{eloise.pk}/household/new/",
        {"kind": "child", "name": "Louis", "birthday": "2012-06-05"},
        headers=HTMX,
    )
    louis = Relation.objects.get(name="Louis")
    birthday = ImportantDate.objects.get(relation=louis)
    assert (birthday.kind, birthday.date) == ("birthday", datetime.date(2012, 6, 5))
    concierge_client.post(
        f"/clients/{eloise.pk}/household/{louis.pk}/",
        {"kind": "child", "name": "Louis", "birthday": "2012-06-06", "version": 1},
        headers=HTMX,
    )
    assert ImportantDate.objects.get(relation=louis).date == datetime.date(2012, 6, 6)
    louis.refresh_from_db()
    concierge_client.post(
        f"/clients/{eloise.pk}/household/{louis.pk}/",
        {"kind": "child", "name": "Louis", "birthday": "", "version": louis.version},
        headers=HTMX,
    )
    assert not ImportantDate.objects.filter(relation=louis).exists()


def test_a_manager_promoting_the_backup_makes_the_former_concierge_the_backup(
    client, eloise, concierge, colleague, manager
):
    client.force_login(manager)
    client.post(
        f"/clients/{eloise.pk}/assign/",
        {"concierge": colleague.pk, "backup": colleague.pk, "action": "assign"},
    )
    eloise.refresh_from_db()
    assert (eloise.primary_concierge, eloise.backup_concierge) == (colleague, concierge)
