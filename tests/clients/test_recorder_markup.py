"""The recorder's words are rendered once per language (and standalone or not), then copied
({% memo %}): what each page shows must still be its own, whichever page came before it."""

import itertools
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape

from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

SOURCE = (Path(settings.BASE_DIR) / "templates/clients/_recorder.html").read_text()


def test_a_copied_recorder_is_the_one_rendered_for_this_page(concierge):
    clients = [
        ClientFactory(primary_concierge=concierge, first_name="Éloïse", last_name="d'Harcourt"),
        ClientFactory(primary_concierge=concierge, first_name="Marc", last_name="<Dupont>"),
    ]
    pages = [
        {"standalone": standalone, "client": client, "csrf_token": f"token{client.pk}", **extra}
        for standalone, client, extra in itertools.product(
            [False, True],
            clients,
            [{}, {"upload_url": "/requests/7/voice/", "recording_about": "Dinner & <wine>"}],
        )
    ]
    for page in pages:
        page |= {"voice_max_seconds": 600, "voice_max_minutes": 10, "voice_max_bytes": 25_000_000}
    warm = Template(SOURCE)  # its memos are filled by the pages before
    for language, page in itertools.product(["en", "fr", "en"], pages):
        with translation.override(language):
            fresh = Template(SOURCE).render(Context(page))
            copied = warm.render(Context(page))
        assert copied == fresh
        assert escape(page["client"].display_name) in copied
        assert ("data-recorder-cancel" in copied) != page["standalone"]
