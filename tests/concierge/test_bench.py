import json

from django.core.management import call_command

from concierge.models import Notification, Reminder


def test_bench_prints_one_json_object_with_latency_and_queries_per_page(db, capsys):
    call_command("bench", repeat=2, clients=20, backlog=[30, 60], deliver=20)
    report = json.loads(capsys.readouterr().out)
    assert report["clients"] == 20
    profile = report["pages"]["client_profile"]
    assert profile["status"] == 200 and profile["queries"] > 0 and profile["median_ms"] > 0
    assert report["pages"]["healthz"]["status"] == 200
    assert set(report["pages"]) == {
        "floor",
        "agenda",
        "client_list",
        "client_search",
        "client_search_phone",
        "client_list_manager",
        "request_list",
        "request_board",
        "team_dashboard",
        "healthz",
        "client_profile",
        "request_detail",
    }
    for name, page in report["pages"].items():
        assert page["status"] == 200, name
        assert page["bytes"] > 0 and page["p95_ms"] >= page["median_ms"] > 0, name
        assert page["x_floor"] > 0, name
    assert report["pages"]["floor"]["x_floor"] == 1
    # Signed in, the floor reads the session and the user, and nothing else.
    assert report["pages"]["floor"]["queries"] <= 2
    assert report["pages"]["team_dashboard"]["queries"] > 0


def test_bench_measures_the_sweep_and_delivery_and_leaves_the_database_as_it_was(db, capsys):
    call_command("seed_demo", clients=20, stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = (
        sorted(Reminder.objects.values_list("pk", "state", "notified_at")),
        Notification.objects.count(),
    )
    call_command("bench", repeat=1, clients=20, backlog=[30, 60], deliver=20)
    report = json.loads(capsys.readouterr().out)
    sweep = report["sweep"]
    assert sweep["first"]["created"] > 0 and sweep["first"]["seconds"] > 0
    # The second run finds what the first made: nothing new.
    assert sweep["second"]["created"] == 0 and sweep["second"]["seconds"] > 0
    assert [d["backlog"] for d in report["delivery"]] == [30, 60]
    for delivery in report["delivery"]:
        assert delivery["delivered"] == 20 and delivery["per_second"] > 0, delivery
    after = (
        sorted(Reminder.objects.values_list("pk", "state", "notified_at")),
        Notification.objects.count(),
    )
    assert after == before
