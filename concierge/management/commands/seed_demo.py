from django.core.management.base import BaseCommand
from django.db import connection, transaction

from clients.demo import seed_clients
from clients.models import Client
from clients.search import flush_search_index
from concierge.accounts.models import Team, User
from concierge.anticipation.learning import learn_anticipated_needs
from concierge.reminders.demo import seed_calls_owed, seed_reminders
from concierge.reminders.sweep import sweep_cadence
from requests.demo import seed_requests

DEMO_PASSWORD = "concierge-demo"
DEMO_USERS = [
    # username, first name, last name, role, time zone
    ("helene", "Hélène", "Marchand", User.Role.MANAGER, "Europe/Paris"),
    ("camille", "Camille", "Laurent", User.Role.CONCIERGE, "Europe/Paris"),
    ("julien", "Julien", "Morel", User.Role.CONCIERGE, "Europe/London"),
]


class Command(BaseCommand):
    help = "Create demo users, clients, requests and reminders. Safe to run twice: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=60, help="how many clients to create")
        parser.add_argument(
            "--seed", type=int, default=7, help="random seed (same seed, same data)"
        )

    def handle(self, *args, clients: int, seed: int, **options):
        with transaction.atomic():
            team, _ = Team.objects.get_or_create(name="Paris — Rive Gauche")
            users = [self._user(team, *spec) for spec in DEMO_USERS]
            concierges = [u for u in users if u.role == User.Role.CONCIERGE]
            # Top up to the number asked for, so that a second run adds nothing.
            existing = Client.objects.filter(primary_concierge__in=concierges).count()
            created = seed_clients(
                count=max(0, clients - existing), concierges=concierges, seed=seed, start=existing
            )
            requests = seed_requests(count=max(30, clients // 5), concierges=concierges, seed=seed)
            reminders = seed_reminders(concierges=concierges)
            # What the nightly learner would find in the demo history (the February ski week).
            suggestions = learn_anticipated_needs() if requests else 0
            # Calls owed this morning (the agenda shows them), then what the hourly cadence sweep
            # finds: silences already long when first seen go to the concierge's catch-up.
            seed_calls_owed(concierges=concierges)
            sweep_cadence()
        if connection.vendor == "postgresql" and created:
            flush_search_index()
            # Fresh statistics after a bulk load, or the planner guesses (seconds instead of ms).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"{created} clients created ({existing} were there)."))
        self.stdout.write(
            f"{requests} requests, {reminders} reminders and {suggestions} suggested needs created."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<10} {user.get_role_display()}")

    def _user(self, team, username, first_name, last_name, role, time_zone):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@concierge.example",
                "role": role,
                "team": team,
                "time_zone": time_zone,
            },
        )
        if user.is_staff or user.is_superuser:
            # No demo login opens the admin (earlier demo data made the manager staff).
            user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user
