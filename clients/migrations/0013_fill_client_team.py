from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    """A client belongs to its concierge's team (else its backup's), so that one with nobody
    assigned waits in that team's queue."""
    Client = apps.get_model("clients", "Client")
    User = apps.get_model("concierge", "User")
    team_of = lambda column: Subquery(User.objects.filter(pk=OuterRef(column)).values("team_id")[:1])  # noqa: E731
    Client.objects.filter(team__isnull=True, primary_concierge__isnull=False).update(
        team_id=team_of("primary_concierge_id")
    )
    Client.objects.filter(team__isnull=True, backup_concierge__isnull=False).update(
        team_id=team_of("backup_concierge_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0012_client_team_access_log"),
        ("concierge", "0008_absence_policies_per_team"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
