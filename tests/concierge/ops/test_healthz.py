import pytest


def test_healthz_answers_200_with_json_when_database_and_broker_are_reachable(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["checks"] == {"database": True, "broker": True}


@pytest.mark.parametrize(
    "broker_url",
    ["redis://127.0.0.1:1/0", "filesystem://"],
    ids=["redis-port-closed", "broker-folder-missing"],
)
def test_healthz_answers_503_naming_the_broker_when_it_is_down(
    client, db, settings, broker_url, tmp_path
):
    settings.CELERY_BROKER_URL = broker_url
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "missing" / "out"),
        "data_folder_out": str(tmp_path / "missing" / "out"),
        "control_folder": str(tmp_path / "missing" / "control"),
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["database"] is True
