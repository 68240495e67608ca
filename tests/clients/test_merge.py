import pytest
from django.urls import reverse
from django.utils import timezone

from clients.merging import MergeRefused, client_merge
from clients.models import (
    AnticipatedNeed,
    Client,
    ClientMerge,
    ContactPoint,
    ImportantDate,
    Interaction,
    Preference,
    Relation,
    Tag,
)
from clients.search import search_clients
from concierge.common.conflicts import EditConflict
from concierge.models import Reminder
from tests.factories import (
    ClientFactory,
    ContactPointFactory,
    ImportantDateFactory,
    InteractionFactory,
    PreferenceFactory,
    RelationFactory,
    ServiceRequestFactory,
)


@pytest.fixture
def survivor(concierge):
    return ClientFactory(
        primary_concierge=concierge,
        first_name="Éloïse",
        last_name="d'Harcourt",
        form_of_address="Madame",
        languages="French",
        notes="Calls from the Paris office.",
    )


@pytest.fixture
def absorbed(concierge):
    return ClientFactory(
        primary_concierge=concierge,
        first_name="Eloise",
        last_name="Harcourt",
        preferred_name="Lolo",
        form_of_address="Madame la Présidente",
        pronunciation="ay-lo-EEZ dar-KOOR",
        languages="English, french",
        notes="Met at the Biennale.",
    )


def full_record(absorbed):
    ContactPointFactory(client=absorbed, value="06 12 34 56 78")
    ContactPointFactory(client=absorbed, kind=ContactPoint.Kind.EMAIL, value="Eloise@Harcourt.fr")
    ContactPointFactory(client=absorbed, kind=ContactPoint.Kind.PHONE, value="+41 79 123 45 67")
    spouse = RelationFactory(client=absorbed, name="Henri d'Harcourt")
    RelationFactory(client=absorbed, kind=Relation.Kind.CHAUFFEUR, name="Marcel")
    ImportantDateFactory(client=absorbed)
    ImportantDateFactory(client=absorbed, relation=spouse, kind=ImportantDate.Kind.ANNIVERSARY)
    PreferenceFactory(client=absorbed, detail="Ruinart Blanc de Blancs")
    PreferenceFactory(client=absorbed, kind=Preference.Kind.ALLERGY, detail="Shellfish")
    PreferenceFactory(client=absorbed, relation=spouse, detail="Cohiba")
    for _ in range(4):
        InteractionFactory(client=absorbed)
    absorbed.tags.add(Tag.objects.create(name="VIP"), Tag.objects.create(name="Art collector"))


def test_everything_moves_to_the_survivor(survivor, absorbed, concierge):
    ContactPointFactory(client=survivor, value="+33 6 12 34 56 78")
    survivor.tags.add(Tag.objects.create(name="Yacht"))
    full_record(absorbed)

    merge = client_merge(survivor=survivor, absorbed=absorbed, by=concierge)

    assert survivor.contact_points.count() == 3  # the shared mobile is not doubled
    assert survivor.relations.count() == 2
    assert survivor.important_dates.count() == 2
    assert survivor.preferences.count() == 3
    assert survivor.interactions.count() == 4
    assert {t.name for t in survivor.tags.all()} == {"VIP", "Art collector", "Yacht"}
    assert merge.moved == {
        "contact_points": 2,
        "tags": 2,
        "relations": 2,
        "important_dates": 2,
        "preferences": 3,
        "interactions": 4,
    }
    # Parts of a household member stay attached to that member.
    assert survivor.preferences.get(detail="Cohiba").relation.client == survivor


def test_duplicate_contact_points_are_not_doubled(survivor, absorbed, concierge):
    ContactPointFactory(client=survivor, value="+33 6 12 34 56 78", preferred=True)
    ContactPointFactory(client=survivor, kind=ContactPoint.Kind.EMAIL, value="eloise@harcourt.fr")
    ContactPointFactory(client=absorbed, value="06.12.34.56.78", best_times="after 6pm")
    ContactPointFactory(client=absorbed, kind=ContactPoint.Kind.EMAIL, value="ELOISE@harcourt.fr")
    ContactPointFactory(client=absorbed, value="+33 1 42 60 34 12", preferred=True)

    merge = client_merge(survivor=survivor, absorbed=absorbed, by=concierge)

    points = list(survivor.contact_points.all())
    assert sorted(p.normalized for p in points) == [
        "+33142603412",
        "+33612345678",
        "eloise@harcourt.fr",
    ]
    mobile = survivor.contact_points.get(normalized="+33612345678")
    assert mobile.preferred and mobile.best_times == "after 6pm"
    assert not survivor.contact_points.get(normalized="+33142603412").preferred
    assert merge.moved["contact_points"] == 1


def test_survivor_keeps_its_own_values_and_fills_gaps(survivor, absorbed, concierge):
    version = survivor.version
    client_merge(survivor=survivor, absorbed=absorbed, by=concierge)

    survivor.refresh_from_db()
    assert survivor.first_name == "Éloïse"
    assert survivor.last_name == "d'Harcourt"
    assert survivor.form_of_address == "Madame"
    assert survivor.preferred_name == "Lolo"
    assert survivor.pronunciation == "ay-lo-EEZ dar-KOOR"
    assert survivor.languages == "French, English"
    assert survivor.notes.startswith("Calls from the Paris office.")
    assert "Met at the Biennale." in survivor.notes
    assert survivor.version == version + 1


def test_absorbed_is_gone_and_the_merge_is_recorded_with_a_snapshot(survivor, absorbed, concierge):
    ContactPointFactory(client=absorbed, value="06 12 34 56 78")
    absorbed.tags.add(Tag.objects.create(name="VIP"))
    absorbed_pk = absorbed.pk

    client_merge(survivor=survivor, absorbed=absorbed, by=concierge)

    assert not Client.objects.filter(pk=absorbed_pk).exists()
    merge = survivor.merges.get()
    assert merge.absorbed_id == absorbed_pk
    assert merge.merged_by == concierge
    assert merge.merged_at is not None
    snapshot = merge.absorbed_snapshot
    assert snapshot["first_name"] == "Eloise"
    assert snapshot["form_of_address"] == "Madame la Présidente"
    assert snapshot["primary_concierge_id"] == concierge.pk
    assert snapshot["tags"] == ["VIP"]
    assert snapshot["contact_points"][0]["value"] == "06 12 34 56 78"


def test_moved_parts_and_both_records_have_history_rows(survivor, absorbed, concierge):
    full_record(absorbed)
    absorbed_pk = absorbed.pk

    client_merge(survivor=survivor, absorbed=absorbed, by=concierge)

    reason = f"merge of client #{absorbed_pk} into #{survivor.pk}"
    for model in (ContactPoint, Relation, ImportantDate, Preference, Interaction):
        moves = model.history.filter(history_change_reason=reason, history_type="~")
        assert moves.count() == model.objects.filter(client=survivor).count() > 0
        assert all(row.client_id == survivor.pk for row in moves)
        assert all(row.history_user == concierge for row in moves)
    assert Client.history.filter(id=absorbed_pk, history_type="-").get().history_user == concierge
    assert Client.history.filter(id=survivor.pk, history_change_reason=reason).exists()


def test_survivor_is_found_by_what_came_from_the_absorbed_record(survivor, absorbed, concierge):
    ContactPointFactory(client=absorbed, value="06 98 76 54 32")
    PreferenceFactory(client=absorbed, detail="Château d'Yquem")

    client_merge(survivor=survivor, absorbed=absorbed, by=concierge)

    visible = Client.objects.visible_to(concierge)
    assert list(search_clients(visible, "0698765432")) == [survivor]
    assert list(search_clients(visible, "yquem")) == [survivor]
    assert list(search_clients(visible, "lolo")) == [survivor]


def test_earlier_merges_follow_the_survivor(survivor, absorbed, concierge):
    older = ClientFactory(primary_concierge=concierge)
    client_merge(survivor=absorbed, absorbed=older, by=concierge)

    client_merge(survivor=survivor, absorbed=absorbed, by=concierge)

    assert sorted(m.absorbed_id for m in survivor.merges.all()) == sorted([older.pk, absorbed.pk])


def test_records_other_apps_keep_about_the_client_move_too(survivor, absorbed, concierge):
    service_request = ServiceRequestFactory(client=absorbed)
    reminder = Reminder.objects.create(
        owner=concierge,
        client=absorbed,
        note="Call back about the chalet",
        due_at=timezone.now(),
        dedupe_key="manual:merge-test",
    )

    merge = client_merge(survivor=survivor, absorbed=absorbed, by=concierge)

    service_request.refresh_from_db()
    reminder.refresh_from_db()
    assert service_request.client == survivor
    assert reminder.client == survivor
    assert merge.moved["service_requests"] == 1
    assert merge.moved["reminders"] == 1


def test_a_row_the_survivor_already_has_a_twin_of_stays_behind(survivor, absorbed, concierge):
    def learned(client, title):
        return AnticipatedNeed.objects.create(
            client=client,
            title=title,
            next_on=timezone.localdate(),
            source=AnticipatedNeed.Source.LEARNED,
            learned_key="ski-trip",
        )

    learned(survivor, "Ski trip")
    learned(absorbed, "Ski trip again")
    AnticipatedNeed.objects.create(client=absorbed, title="Flowers", next_on=timezone.localdate())

    merge = client_merge(survivor=survivor, absorbed=absorbed, by=concierge)

    assert sorted(n.title for n in survivor.anticipated_needs.all()) == ["Flowers", "Ski trip"]
    assert merge.moved["anticipated_needs"] == 1


def test_a_client_cannot_be_merged_with_itself(survivor, concierge):
    with pytest.raises(MergeRefused):
        client_merge(survivor=survivor, absorbed=survivor, by=concierge)
    assert Client.objects.filter(pk=survivor.pk).exists()


def test_clients_the_user_cannot_see_are_refused(survivor, outsider, colleague):
    theirs = ClientFactory(primary_concierge=colleague)
    with pytest.raises(MergeRefused):
        client_merge(survivor=survivor, absorbed=theirs, by=colleague)
    with pytest.raises(MergeRefused):
        client_merge(survivor=theirs, absorbed=survivor, by=colleague)
    assert Client.objects.filter(pk__in=[survivor.pk, theirs.pk]).count() == 2
    assert not ClientMerge.objects.exists()


def test_a_stale_version_is_a_conflict(survivor, absorbed, concierge):
    with pytest.raises(EditConflict):
        client_merge(
            survivor=survivor,
            absorbed=absorbed,
            by=concierge,
            absorbed_version=absorbed.version - 1,
        )
    assert Client.objects.filter(pk=absorbed.pk).exists()


# The page


def merge_url(client):
    return reverse("clients:merge", args=[client.pk])


def test_search_lists_other_visible_clients_but_not_this_one(concierge_client, survivor, absorbed):
    hidden = ClientFactory(first_name="Éloïse", last_name="Harcourt-Hidden")

    response = concierge_client.get(merge_url(survivor), {"q": "harcourt"})

    assert response.status_code == 200
    assert list(response.context["candidates"]["clients"]) == [absorbed]
    assert f"?other={absorbed.pk}" in response.text
    assert hidden.last_name not in response.text


def test_search_answers_htmx_with_the_candidates_fragment(concierge_client, survivor, absorbed):
    response = concierge_client.get(
        merge_url(survivor),
        {"q": "lolo"},
        headers={"HX-Request": "true", "HX-Target": "merge-candidates"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="merge-candidates"')
    assert "Lolo Harcourt" in response.text


def test_likely_duplicates_are_suggested_before_searching(concierge_client, survivor, absorbed):
    ContactPointFactory(client=survivor, value="+33 6 12 34 56 78")
    ContactPointFactory(client=absorbed, value="06 12 34 56 78")
    response = concierge_client.get(merge_url(survivor))
    assert list(response.context["candidates"]["clients"]) == [absorbed]


def test_choosing_a_candidate_shows_both_records_side_by_side(concierge_client, survivor, absorbed):
    ContactPointFactory(client=absorbed, kind=ContactPoint.Kind.EMAIL, value="lolo@harcourt.fr")
    PreferenceFactory(client=absorbed)

    response = concierge_client.get(merge_url(survivor), {"other": absorbed.pk})

    assert response.status_code == 200
    text = response.text
    assert "Éloïse d&#x27;Harcourt" in text
    assert "Lolo Harcourt" in text
    assert "lolo@harcourt.fr" in text
    assert "Merge Lolo Harcourt into Éloïse d&#x27;Harcourt" in text
    counts = dict(response.context["sides"][1]["counts"])
    assert counts["Preferences"] == 1
    assert counts["Interactions"] == 0


def test_post_merges_and_redirects_to_the_survivor_with_a_message(
    concierge_client, survivor, absorbed
):
    PreferenceFactory(client=absorbed)

    response = concierge_client.post(
        merge_url(survivor),
        {
            "other": absorbed.pk,
            "survivor_version": survivor.version,
            "absorbed_version": absorbed.version,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("clients:detail", args=[survivor.pk])
    assert not Client.objects.filter(pk=absorbed.pk).exists()
    assert survivor.preferences.count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Lolo Harcourt was merged into Éloïse d'Harcourt."]


def test_posting_a_stale_comparison_merges_nothing(concierge_client, survivor, absorbed):
    response = concierge_client.post(
        merge_url(survivor),
        {"other": absorbed.pk, "survivor_version": survivor.version + 5},
    )
    assert response.status_code == 409
    assert Client.objects.filter(pk=absorbed.pk).exists()


def test_merging_a_client_with_itself_is_refused_by_the_page(concierge_client, survivor):
    assert concierge_client.get(merge_url(survivor), {"other": survivor.pk}).status_code == 404
    response = concierge_client.post(merge_url(survivor), {"other": survivor.pk})
    assert response.status_code == 400
    assert Client.objects.filter(pk=survivor.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("whose", ["pk", "other"])
def test_another_concierge_gets_404(client, colleague, outsider, survivor, absorbed, method, whose):
    for stranger in (colleague, outsider):
        own = ClientFactory(primary_concierge=stranger)
        client.force_login(stranger)
        this, other = (survivor, own) if whose == "pk" else (own, survivor)
        response = getattr(client, method)(merge_url(this), {"other": other.pk})
        assert response.status_code == 404
    assert Client.objects.filter(pk=survivor.pk).exists()
    assert not ClientMerge.objects.exists()


def test_a_manager_of_the_team_can_merge(manager_client, manager, survivor, absorbed):
    response = manager_client.post(merge_url(survivor), {"other": absorbed.pk})
    assert response.status_code == 302
    assert survivor.merges.get().merged_by == manager
    assert not Client.objects.filter(pk=absorbed.pk).exists()


def test_an_htmx_post_redirects_the_browser(concierge_client, survivor, absorbed):
    response = concierge_client.post(
        merge_url(survivor), {"other": absorbed.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("clients:detail", args=[survivor.pk])
