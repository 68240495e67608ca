from django.core.management import call_command

from clients.models import Client, ContactPoint, ImportantDate, Interaction, Preference, Relation
from clients.phones import to_e164
from clients.search import client_search_text, search_clients
from concierge.models import User


def test_seed_demo_creates_a_manager_two_concierges_and_clients_and_prints_logins(db, capsys):
    call_command("seed_demo", clients=12, seed=3)
    out = capsys.readouterr().out

    assert User.objects.filter(role=User.Role.MANAGER).count() == 1
    assert User.objects.filter(role=User.Role.CONCIERGE).count() == 2
    assert Client.objects.count() == 12
    for username in User.objects.values_list("username", flat=True):
        assert username in out
    assert "password" in out


def test_seed_demo_twice_duplicates_nothing(db):
    call_command("seed_demo", clients=12, seed=3)
    call_command("seed_demo", clients=12, seed=3)
    assert User.objects.count() == 3
    assert Client.objects.count() == 12


def test_demo_logins_work(client, db):
    call_command("seed_demo", clients=2)
    response = client.post(
        "/accounts/login/", {"username": "camille", "password": "concierge-demo"}
    )
    assert response.status_code == 302
    assert client.get("/agenda/").status_code == 200


def test_no_demo_user_opens_the_admin(db):
    User.objects.create(username="helene", is_staff=True, role=User.Role.MANAGER)
    call_command("seed_demo", clients=2)
    assert not User.objects.filter(is_staff=True).exists()
    assert not User.objects.filter(is_superuser=True).exists()


def test_demo_clients_have_rich_records(db):
    call_command("seed_demo", clients=40, seed=3)
    demo = Client.objects.all()

    assert all(c.search_text.strip() for c in demo)
    assert all(c.contact_points.exists() for c in demo)
    assert all(c.preferences.exists() for c in demo)
    assert all(c.interactions.exists() for c in demo)
    assert Preference.objects.filter(kind=Preference.Kind.ALLERGY).exists()
    assert Preference.objects.filter(kind=Preference.Kind.NEVER).exists()
    assert {c for c, _ in Preference.Category.choices} <= set(
        Preference.objects.values_list("category", flat=True)
    )
    assert Relation.objects.filter(kind=Relation.Kind.CHILD).exists()
    assert ImportantDate.objects.filter(kind=ImportantDate.Kind.ANNIVERSARY).exists()
    assert ImportantDate.objects.filter(date__month=2, date__day=29).exists()
    assert any(p.is_stale for p in Preference.objects.all())
    # Every kind of contact; notes are written from the phone (issue 13), not seeded.
    assert {i.channel for i in Interaction.objects.all()} == set(Interaction.CONTACT_CHANNELS)


def test_eloise_and_charles_henri_come_first_for_camille(db):
    call_command("seed_demo", clients=12, seed=3)
    camille = User.objects.get(username="camille")
    eloise, charles_henri = Client.objects.order_by("id")[:2]

    assert (eloise.first_name, eloise.last_name) == ("Éloïse", "d'Harcourt")
    assert (charles_henri.first_name, charles_henri.last_name) == (
        "Charles-Henri",
        "de La Rochefoucauld",
    )
    assert eloise.primary_concierge == charles_henri.primary_concierge == camille
    assert eloise.contact_points.filter(normalized="+33612345678").exists()
    assert eloise.preferences.filter(kind=Preference.Kind.ALLERGY, detail__icontains="shellfish")
    assert eloise.relations.filter(kind=Relation.Kind.SPOUSE).exists()
    soon = [d.days_left() for d in eloise.important_dates.all()]
    assert any(days is not None and days <= 30 for days in soon)
    assert list(search_clients(Client.objects.visible_to(camille), "harcourt")) == [eloise]
    assert list(search_clients(Client.objects.visible_to(camille), "06 12 34 56 78")) == [eloise]


def test_search_text_and_phone_numbers_are_what_the_services_would_write(db):
    call_command("seed_demo", clients=60, seed=5)
    for client in Client.objects.all():
        assert client.search_text == client_search_text(client)
    for point in ContactPoint.objects.filter(kind__in=["phone", "messaging"]):
        assert point.normalized == to_e164(point.value)
    for point in ContactPoint.objects.filter(kind="email"):
        assert point.normalized == point.value.lower()


def test_topping_up_keeps_the_first_clients_and_the_same_seed_gives_the_same_clients(db):
    call_command("seed_demo", clients=10, seed=4)
    call_command("seed_demo", clients=25, seed=4)
    names = list(Client.objects.order_by("id").values_list("first_name", "last_name", "tier"))
    assert len(names) == 25
    assert Client.objects.filter(last_name="d'Harcourt").count() == 1

    Client.objects.all().delete()
    call_command("seed_demo", clients=25, seed=4)
    again = list(Client.objects.order_by("id").values_list("first_name", "last_name", "tier"))
    assert again == names


def test_each_demo_client_has_a_created_history_row(db):
    call_command("seed_demo", clients=8, seed=3)
    eloise = Client.objects.get(last_name="d'Harcourt")
    assert eloise.history.get().history_type == "+"


def test_seed_demo_creates_requests_in_every_state_with_history_and_feedback(db):
    from requests.models import Feedback, RequestEvent, ServiceRequest, Status

    call_command("seed_demo", clients=40, seed=3)
    statuses = set(ServiceRequest.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    closed = ServiceRequest.objects.filter(status=Status.CLOSED)
    assert Feedback.objects.filter(service_request__in=closed).count() == closed.count()
    for service_request in ServiceRequest.objects.exclude(status=Status.NEW)[:20]:
        assert RequestEvent.objects.filter(
            service_request=service_request, kind="transition"
        ).exists()
    before = ServiceRequest.objects.count()
    call_command("seed_demo", clients=40, seed=3)
    assert ServiceRequest.objects.count() == before


def test_the_demo_has_voice_notes_to_play_and_a_client_found_by_a_word_said(
    client, db, private_root
):
    from clients.models import VoiceNote

    call_command("seed_demo", clients=6, seed=3)
    eloise = Client.objects.order_by("pk").first()
    about_dinner = VoiceNote.objects.get(client=eloise, service_requests__isnull=False)
    assert about_dinner.service_requests.get().title == "Table for four at Le Cinq"
    assert VoiceNote.objects.filter(client=eloise, interaction__isnull=False).exists()
    # Real recordings, in the private storage, that a player can open.
    for note in VoiceNote.objects.all():
        assert (private_root / note.audio.name).read_bytes()[:4] == b"RIFF"
    client.force_login(User.objects.get(username="camille"))
    audio = client.get(f"/clients/{eloise.pk}/voice/{about_dinner.pk}/audio/")
    assert audio.status_code == 200 and audio["Content-Type"] == "audio/wav"
    # Found by a word that was said, and by nothing else of her record.
    found = list(search_clients(Client.objects.all(), "pistachio"))
    assert found == [eloise]
    call_command("seed_demo", clients=6, seed=3)
    assert VoiceNote.objects.count() == 2  # a second run adds none
