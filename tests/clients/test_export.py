"""Exporting one client's whole record as a zip: client.json and the media files."""

import io
import json
import zipfile

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import ClientMerge, Preference, Tag
from clients.services import client_part_save, client_update
from tests.factories import (
    ClientFactory,
    ContactPointFactory,
    ImportantDateFactory,
    InteractionFactory,
    PreferenceFactory,
    RelationFactory,
)


def full_client(concierge, *, parts=1):
    client = ClientFactory(
        first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge, notes="VIP"
    )
    client.tags.set([Tag.objects.get_or_create(name="Art")[0]])
    client.photo.save("eloise.jpg", ContentFile(b"\xff\xd8\xff\xe0 a tiny jpeg"), save=True)
    for n in range(parts):
        ContactPointFactory(client=client, value=f"+33 6 12 34 56 7{n}")
        spouse = RelationFactory(client=client, name=f"Charles {n}")
        ImportantDateFactory(client=client, relation=spouse)
        PreferenceFactory(
            client=client,
            detail=f"Shellfish {n}",
            kind=Preference.Kind.ALLERGY,
            source=Preference.Source.OBSERVED,
            captured_by=concierge,
        )
        InteractionFactory(client=client, by=concierge, summary=f"Called about Meursault {n}")
    return client


def read_zip(response):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive, json.loads(archive.read("client.json"))


def test_the_export_is_a_zip_with_the_whole_record_and_its_photo(concierge_client, concierge):
    client = full_client(concierge)
    client_update(client=client, by=concierge, version=client.version, preferred_name="Élo")
    ClientMerge.objects.create(
        survivor=client,
        absorbed_id=999,
        absorbed_snapshot={"first_name": "Eloise"},
        merged_by=concierge,
    )

    response = concierge_client.get(reverse("clients:export", args=[client.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="client-{client.pk}-eloise-dharcourt.zip"' in response["Content-Disposition"]

    archive, data = read_zip(response)
    assert data["format"] == "concierge-client-export"
    assert data["client"]["first_name"] == "Éloïse"
    assert data["client"]["preferred_name"] == "Élo"
    assert data["client"]["primary_concierge"]["name"] == "Camille Laurent"
    assert "search_text" not in data["client"]
    assert data["tags"] == ["Art"]
    assert data["contact_points"][0]["normalized"] == "+33612345670"
    assert data["household"][0]["name"] == "Charles 0"
    assert data["important_dates"][0]["whose"] == "Charles 0"
    preference = data["preferences"][0]
    assert preference["detail"] == "Shellfish 0"
    assert preference["source"] == "observed"
    assert preference["captured_by"]["name"] == "Camille Laurent"
    assert preference["captured_at"] and preference["last_confirmed_at"]
    assert data["interactions"][0]["summary"] == "Called about Meursault 0"
    assert data["interactions"][0]["by"]["name"] == "Camille Laurent"
    assert data["merges"][0]["absorbed_snapshot"] == {"first_name": "Eloise"}

    changes = {(e["record"], e["change"]) for e in data["history"]}
    assert ("client", "created") in changes and ("client", "changed") in changes
    assert ("contactpoint", "created") in changes and ("preference", "created") in changes
    assert ("interaction", "created") in changes and ("relation", "created") in changes

    photo = data["client"]["photo"]
    assert photo.startswith("clients/photos/")
    assert data["media"] == [{"name": photo, "path": f"media/{photo}", "missing": False}]
    assert archive.read(f"media/{photo}") == b"\xff\xd8\xff\xe0 a tiny jpeg"


def test_a_missing_media_file_is_reported_not_fatal(concierge_client, concierge):
    client = full_client(concierge)
    client.photo.storage.delete(client.photo.name)
    archive, data = read_zip(concierge_client.get(reverse("clients:export", args=[client.pk])))
    assert data["media"][0]["missing"] is True
    assert archive.namelist() == ["client.json", "client.html"]


def test_the_query_count_does_not_grow_with_the_record(concierge_client, concierge):
    def queries_for(client):
        with CaptureQueriesContext(connection) as captured:
            response = concierge_client.get(reverse("clients:export", args=[client.pk]))
            b"".join(response.streaming_content)
        return len(captured)

    small = queries_for(full_client(concierge, parts=1))
    large = queries_for(full_client(concierge, parts=6))
    assert small == large
    assert large < 45  # the JSON and the readable document, a fixed number of queries each


def test_the_client_s_manager_may_export_but_not_another_concierge(
    client, concierge, colleague, outsider, manager, outside_manager
):
    record = full_client(concierge)
    url = reverse("clients:export", args=[record.pk])
    for user, status in (
        (concierge, 200),
        (manager, 200),
        (colleague, 404),
        (outsider, 404),
        (outside_manager, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username


def test_the_backup_concierge_may_export(client, concierge, colleague):
    record = ClientFactory(primary_concierge=concierge, backup_concierge=colleague)
    client.force_login(colleague)
    assert client.get(reverse("clients:export", args=[record.pk])).status_code == 200


def test_the_export_includes_a_deleted_part_in_the_history(concierge_client, concierge):
    record = full_client(concierge)
    point = record.contact_points.get()
    from clients.services import client_part_delete

    client_part_delete(client=record, part=point, version=point.version)
    client_part_save(
        client=record,
        part=Preference(detail="Krug", kind=Preference.Kind.LIKE),
        version=None,
        by=concierge,
    )
    _, data = read_zip(concierge_client.get(reverse("clients:export", args=[record.pk])))
    assert data["contact_points"] == []
    deleted = [e for e in data["history"] if e["change"] == "deleted"]
    assert deleted[0]["record"] == "contactpoint"
    assert deleted[0]["values"]["value"] == "+33 6 12 34 56 70"
