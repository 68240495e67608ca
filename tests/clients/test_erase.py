"""Erasing a client on request: the record, its parts, its history and its files; an audit row stays."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from clients import erasure
from clients.models import (
    Client,
    ClientErasure,
    ClientMerge,
    ContactPoint,
    ImportantDate,
    Interaction,
    Preference,
    Relation,
)
from clients.services import client_update
from tests.factories import (
    ClientFactory,
    ContactPointFactory,
    ImportantDateFactory,
    InteractionFactory,
    PreferenceFactory,
    RelationFactory,
)

PARTS = (ContactPoint, Relation, ImportantDate, Preference, Interaction)


@pytest.fixture
def record(concierge):
    client = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    client.photo.save("eloise.jpg", ContentFile(b"jpeg bytes"), save=True)
    client_update(client=client, by=concierge, version=client.version, notes="Loves Krug")
    ContactPointFactory(client=client)
    spouse = RelationFactory(client=client, name="Charles-Henri")
    ImportantDateFactory(client=client, relation=spouse)
    PreferenceFactory(client=client, relation=spouse, detail="Shellfish")
    InteractionFactory(client=client, by=concierge)
    return client


@pytest.fixture
def bystander(concierge):
    """Another client of the same concierge: erasing one must leave the other untouched."""
    other = ClientFactory(first_name="Anne", last_name="Moreau", primary_concierge=concierge)
    ContactPointFactory(client=other, value="+33 6 99 88 77 66")
    InteractionFactory(client=other, by=concierge)
    return other


def erase(http, client, **data):
    data = {"confirmation": client.last_name, "reason": "Asked by email on 3 May", **data}
    return http.post(reverse("clients:erase", args=[client.pk]), data)


def test_the_confirmation_page_says_what_will_be_removed(concierge_client, record):
    page = concierge_client.get(reverse("clients:erase", args=[record.pk]))
    assert page.status_code == 200
    summary = page.context["summary"]
    assert summary["contact_points"] == 1 and summary["household"] == 1
    assert summary["interactions"] == 1 and summary["files"] == 1
    assert summary["history"] >= 7
    body = page.content.decode()
    assert "d&#x27;Harcourt" in body
    assert reverse("clients:export", args=[record.pk]) in body


def test_erasing_removes_the_client_its_parts_history_and_files_and_keeps_an_audit_row(
    concierge_client, concierge, record, bystander, private_root, django_capture_on_commit_callbacks
):
    pk = record.pk
    photo = private_root / record.photo.name
    assert photo.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = erase(concierge_client, record)
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:list")

    assert not Client.objects.filter(pk=pk).exists()
    for model in PARTS:
        assert not model.objects.filter(client_id=pk).exists(), model
        assert not model.history.filter(client_id=pk).exists(), model
    assert not Client.history.filter(id=pk).exists()
    assert not photo.exists()

    audit = ClientErasure.objects.get()
    assert audit.client_id_erased == pk
    assert audit.reference == f"Client #{pk}"
    assert audit.erased_by == concierge
    assert audit.reason == "Asked by email on 3 May"
    assert audit.erased_at is not None

    # The other client, its parts and its history are untouched.
    assert Client.objects.filter(pk=bystander.pk).exists()
    assert bystander.contact_points.count() == 1 and bystander.interactions.count() == 1
    assert Client.history.filter(id=bystander.pk).exists()
    assert ContactPoint.history.filter(client_id=bystander.pk).exists()


def test_the_history_of_records_merged_into_the_client_goes_too(concierge, record):
    absorbed = ClientFactory(first_name="Eloise", last_name="Harcourt", primary_concierge=concierge)
    ContactPointFactory(client=absorbed, value="+33 6 00 00 00 01")
    absorbed_pk = absorbed.pk
    ClientMerge.objects.create(survivor=record, absorbed_id=absorbed_pk, absorbed_snapshot={})
    absorbed.delete()
    assert Client.history.filter(id=absorbed_pk).exists()

    erasure.client_erase(client=record, by=concierge, reason="")
    assert not Client.history.filter(id=absorbed_pk).exists()
    assert not ContactPoint.history.filter(client_id=absorbed_pk).exists()
    assert not ClientMerge.objects.exists()


def test_the_reason_kept_never_names_the_client(concierge, record):
    audit = erasure.client_erase(
        client=record, by=concierge, reason="Éloïse D'HARCOURT asked us to forget her"
    )
    assert "harcourt" not in audit.reason.lower() and "éloïse" not in audit.reason.lower()
    assert "asked us to forget her" in audit.reason


def test_a_wrong_confirmation_erases_nothing(concierge_client, record):
    page = erase(concierge_client, record, confirmation="Harcourt")
    assert page.status_code == 200
    assert "nothing was erased" in page.content.decode()
    assert Client.objects.filter(pk=record.pk).exists()
    assert ContactPoint.history.filter(client_id=record.pk).exists()
    assert not ClientErasure.objects.exists()

    missing_reason = erase(concierge_client, record, reason="")
    assert "reason" in missing_reason.context["form"].errors
    assert Client.objects.filter(pk=record.pk).exists()


def test_the_confirmation_ignores_case_accents_and_curly_apostrophes(concierge_client, record):
    assert erase(concierge_client, record, confirmation=" D’HARCOURT ").status_code == 302
    assert not Client.objects.filter(pk=record.pk).exists()


def test_another_concierge_gets_a_404(client, colleague, outsider, outside_manager, record):
    for user in (colleague, outsider, outside_manager):
        client.force_login(user)
        assert client.get(reverse("clients:erase", args=[record.pk])).status_code == 404
        assert erase(client, record).status_code == 404
    assert Client.objects.filter(pk=record.pk).exists()


def test_the_backup_concierge_sees_the_client_but_may_not_erase_it(client, colleague, record):
    record.backup_concierge = colleague
    record.save()
    client.force_login(colleague)
    page = client.get(reverse("clients:erase", args=[record.pk]))
    assert page.status_code == 403
    assert "Only the client's concierge (Camille Laurent)" in page.content.decode()
    assert erase(client, record).status_code == 403
    assert Client.objects.filter(pk=record.pk).exists()


def test_a_manager_of_the_team_may_erase(manager_client, manager, record):
    assert erase(manager_client, record).status_code == 302
    assert ClientErasure.objects.get().erased_by == manager
    assert not Client.objects.filter(pk=record.pk).exists()


def test_files_stay_when_the_erasure_fails(
    concierge, record, private_root, monkeypatch, django_capture_on_commit_callbacks
):
    photo = private_root / record.photo.name

    def broken(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(ClientErasure.objects, "create", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        erasure.client_erase(client=record, by=concierge, reason="")
    assert Client.objects.filter(pk=record.pk).exists()
    assert Client.history.filter(id=record.pk).exists()
    assert photo.exists()


def test_erasure_also_removes_photos_replaced_before(
    client, concierge, private_root, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from clients.services import client_update
    from tests.factories import ClientFactory as Factory

    tmp_path = private_root
    person = Factory(first_name="Old", last_name="Photo", primary_concierge=concierge)
    first = ContentFile(b"GIF89a-first", name="first.gif")
    person = client_update(client=person, by=concierge, version=person.version, photo=first)
    old_name = person.photo.name
    person = client_update(
        client=person,
        by=concierge,
        version=person.version,
        photo=ContentFile(b"GIF89a-second", name="second.gif"),
    )
    assert (tmp_path / old_name).exists()
    client.force_login(concierge)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/clients/{person.pk}/erase/", {"confirmation": "Photo", "reason": "Asked by email"}
        )
    assert response.status_code == 302
    assert not (tmp_path / old_name).exists()
    assert not (tmp_path / person.photo.name).exists()
