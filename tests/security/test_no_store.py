"""No browser or proxy keeps a page, fragment, file or feed that holds client data (issue 16)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from clients.voice import voice_note_create
from tests.audio import tone
from tests.factories import ClientFactory, InteractionFactory, ServiceRequestFactory

HX = {"HX-Request": "true"}


def _kept_by_nobody(response, url):
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control, (url, cache_control)


def test_pages_fragments_files_and_exports_with_client_data_are_no_store(
    concierge_client, concierge
):
    record = ClientFactory(primary_concierge=concierge, last_name="Harcourt")
    InteractionFactory(client=record)
    service_request = ServiceRequestFactory(client=record)
    note = voice_note_create(
        client=record,
        by=concierge,
        upload=SimpleUploadedFile("n.ogg", tone("ogg", seconds=1)),
        language="en",
    )
    for url, headers in [
        (f"/clients/{record.pk}/", {}),
        (f"/clients/{record.pk}/timeline/", HX),
        (f"/clients/{record.pk}/history/", {}),
        (f"/clients/{record.pk}/handover/", {}),
        (f"/clients/{record.pk}/export/", {}),
        (f"/clients/{record.pk}/voice/{note.pk}/audio/", {}),
        (f"/clients/{record.pk}/voice/{note.pk}/transcript/", HX),
        ("/clients/?q=harcourt", HX),
        ("/record/?q=harcourt", {}),
        (f"/requests/{service_request.pk}/", {}),
        ("/requests/?view=board", HX),
        ("/agenda/", {}),
        ("/notifications/count/", HX),
    ]:
        response = concierge_client.get(url, headers=headers)
        assert response.status_code == 200, url
        _kept_by_nobody(response, url)


def test_the_calendar_feed_names_clients_and_is_no_store_without_a_session(client, concierge):
    concierge.calendar_token = "t" * 40
    concierge.save()
    response = client.get(f"/calendar/{'t' * 40}.ics")
    assert response.status_code == 200
    _kept_by_nobody(response, "feed")
