"""The clients of a tag in client order: the list's tag filter reads each tag's first visible client
from it instead of every use of every tag (see clients.views.portfolio._tags_in)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("clients", "0017_search_index_small_pending_list")]
    operations = [
        migrations.RunSQL(
            "CREATE INDEX clients_client_tags_tag_client ON clients_client_tags (tag_id, client_id)",
            "DROP INDEX clients_client_tags_tag_client",
        )
    ]
