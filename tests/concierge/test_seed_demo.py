from django.core.management import call_command

from clients.models import Client
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
    assert client.login(username="camille", password="concierge-demo")
