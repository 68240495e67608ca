"""`python manage.py bench`: latencies and query counts of the key pages, the sweep's first and
second runs, and delivery throughput, as one JSON object.

Runs the pages in-process through Django's test client against the configured database (seeding
demo data first if there is none), as the demo concierge and the demo manager. Each page is warmed
up, then timed; the floor is `/me/ping/`, a signed-in page that does nothing, and every page reports
its median as a multiple of the floor's. Django's query log is cleared before each request: it is
capped, and would otherwise under-count the largest pages.
"""

import json
import math
import statistics
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from clients.models import Client
from concierge.accounts.models import User
from concierge.reminders.benchmark import measure_background
from requests.models import ServiceRequest

WARM_UP = 3


class Command(BaseCommand):
    help = "Measure the key pages: median and p95 latency (ms) and query count, printed as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15, help="requests per page")
        parser.add_argument(
            "--clients", type=int, default=2000, help="clients to seed when there is no demo data"
        )
        parser.add_argument(
            "--backlog",
            type=int,
            nargs="*",
            # The 100,000 backlog adds ~25 s (making it, then rolling it back): the pace must not
            # depend on how much is waiting.
            default=[1000, 10000, 100000],
            help="backlogs of due reminders to measure delivery on",
        )
        parser.add_argument(
            "--deliver", type=int, default=500, help="reminders delivered from each backlog"
        )

    def handle(self, *args, repeat: int, clients: int, backlog: list, deliver: int, **options):
        if not User.objects.filter(username="camille").exists():
            call_command("seed_demo", clients=clients, stdout=open("/dev/null", "w"))  # noqa: SIM115
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        concierge = User.objects.get(username="camille")
        manager = User.objects.get(username="helene")
        client = Client.objects.visible_to(concierge).order_by("pk").first()
        service_request = ServiceRequest.objects.visible_to(concierge).order_by("pk").first()
        pages = {
            "floor": (concierge, "/me/ping/"),
            "agenda": (concierge, "/agenda/"),
            "client_list": (concierge, "/clients/"),
            "client_search": (concierge, "/clients/?q=harcourt"),
            "client_search_phone": (concierge, "/clients/?q=06+12+34+56+78"),
            "client_list_manager": (manager, "/clients/"),
            "request_list": (concierge, "/requests/"),
            "request_board": (concierge, "/requests/?view=board"),
            "team_dashboard": (manager, "/team/"),
            "healthz": (None, "/healthz"),
        }
        if client:
            pages["client_profile"] = (concierge, f"/clients/{client.pk}/")
        if service_request:
            pages["request_detail"] = (concierge, f"/requests/{service_request.pk}/")
        measured = {name: self.measure(user, url, repeat) for name, (user, url) in pages.items()}
        floor = measured["floor"]["median_ms"] or 0.001
        for page in measured.values():
            page["x_floor"] = round(page["median_ms"] / floor, 1)
        results = {
            "database": connection.vendor,
            "clients": Client.objects.count(),
            "requests": ServiceRequest.objects.count(),
            "repeat": repeat,
            "pages": measured,
            # After the pages, and rolled back: the pages are timed on the database as it was.
            **measure_background(backlogs=backlog, deliver=deliver),
        }
        self.stdout.write(json.dumps(results, indent=2))

    def measure(self, user, url: str, repeat: int) -> dict:
        http = HttpClient()
        if user is not None:
            http.force_login(user)
        for _ in range(WARM_UP):  # caches, connections, compiled templates
            http.get(url)
        timings = []
        for _ in range(repeat):
            # The log keeps at most 9,000 queries: cleared before each request, it counts them all.
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = http.get(url)
                timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        return {
            "url": url,
            "status": response.status_code,
            "queries": len(queries.captured_queries),
            "bytes": len(response.content),
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(timings[max(0, math.ceil(len(timings) * 0.95) - 1)], 2),
        }
