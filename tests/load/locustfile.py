"""Mixed traffic for the load run (bin/load): concierges sign in, read their day and clients,
search, and log interactions. Each logged interaction carries a unique marker, written to
LOAD_WRITES_LOG when the server confirmed it, so that bin/load can check none was lost."""

import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

USERS = ["camille", "julien"]
PASSWORD = os.environ.get("LOAD_PASSWORD", "concierge-demo")
WRITES = os.environ.get("LOAD_WRITES_LOG", "var/load-writes.log")
SEARCHES = ["harcourt", "eloise", "dupont", "ski", "06 12", "vip", "zz", "martin"]


@events.test_start.add_listener
def _reset(environment, **kwargs):
    open(WRITES, "w").close()  # noqa: SIM115


class Concierge(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.client.get("/accounts/login/")
        token = self.client.cookies.get("csrftoken")
        self.client.post(
            "/accounts/login/",
            {"username": random.choice(USERS), "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
        )
        page = self.client.get("/clients/").text
        self.client_ids = sorted({int(pk) for pk in re.findall(r'href="/clients/(\d+)/"', page)})

    def _csrf(self):
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": self.host}

    @task(5)
    def agenda(self):
        self.client.get("/agenda/")

    @task(4)
    def client_list(self):
        self.client.get("/clients/")

    @task(4)
    def search(self):
        self.client.get("/clients/", params={"q": random.choice(SEARCHES)}, name="/clients/?q=")

    @task(6)
    def client_detail(self):
        if self.client_ids:
            pk = random.choice(self.client_ids)
            self.client.get(f"/clients/{pk}/", name="/clients/[id]/")

    @task(3)
    def requests(self):
        self.client.get("/requests/")

    @task(1)
    def bell(self):
        self.client.get("/notifications/count/", headers={"HX-Request": "true"})

    @task(3)
    def log_interaction(self):
        if not self.client_ids:
            return
        pk = random.choice(self.client_ids)
        marker = f"load-{uuid.uuid4().hex}"
        with self.client.post(
            f"/clients/{pk}/interactions/new/",
            {"channel": "call", "direction": "outbound", "summary": marker},
            headers={**self._csrf(), "HX-Request": "true"},
            name="/clients/[id]/interactions/new/",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and marker in response.text:
                with open(WRITES, "a") as log:
                    log.write(marker + "\n")
                response.success()
            else:
                response.failure(f"not confirmed: {response.status_code}")
