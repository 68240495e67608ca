"""The trigram index keeps at most 256 kB of entries pending (4 MB by default): every search scans
that list, and a long one made the planner read the whole table instead (see flush_search_index)."""

from django.db import migrations


def limit(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER INDEX IF EXISTS clients_client_search_trgm SET (gin_pending_list_limit = 256)"
    )


def unlimit(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER INDEX IF EXISTS clients_client_search_trgm RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("clients", "0016_manager_list_index_queue_first")]
    operations = [migrations.RunPython(limit, unlimit)]
