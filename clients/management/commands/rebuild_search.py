from django.core.management.base import BaseCommand

from clients.models import Client
from clients.search import flush_search_index, refresh_search_texts

BATCH = 2000


class Command(BaseCommand):
    help = "Recompose every client's search text from what is stored (a repair: signals keep it)."

    def handle(self, *args, **options):
        ids = list(Client.objects.order_by("pk").values_list("pk", flat=True))
        changed = 0
        for start in range(0, len(ids), BATCH):
            changed += len(refresh_search_texts(ids[start : start + BATCH]))
        flush_search_index()
        self.stdout.write(f"{changed} of {len(ids)} clients had a stale search text; rebuilt.")
