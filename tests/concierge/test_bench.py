import json

from django.core.management import call_command


def test_bench_prints_one_json_object_with_latency_and_queries_per_page(db, capsys):
    call_command("bench", repeat=2, clients=20)
    report = json.loads(capsys.readouterr().out)
    assert report["clients"] == 20
    profile = report["pages"]["client_profile"]
    assert profile["status"] == 200 and profile["queries"] > 0 and profile["median_ms"] > 0
    assert report["pages"]["healthz"]["status"] == 200
    assert {"agenda", "client_list", "client_search", "request_list"} <= set(report["pages"])
