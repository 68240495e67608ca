"""`python manage.py restore DIR`: a backup made by `backup`, into an empty, migrated database."""

import json
import shutil
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from concierge.backups import file_roots


class Command(BaseCommand):
    help = "Loads a backup folder (data.json.gz and files/) into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, directory, **options):
        source = Path(directory)
        manifest_path = source / "manifest.json"
        if not manifest_path.exists() or not (source / "data.json.gz").exists():
            raise CommandError(f"{source} is not a backup: manifest.json or data.json.gz missing.")
        manifest = json.loads(manifest_path.read_text())
        user_model = apps.get_model("concierge", "User")
        client_model = apps.get_model("clients", "Client")
        if user_model.objects.exists() or client_model.objects.exists():
            raise CommandError(
                "The database is not empty: restore into a new database "
                "(createdb, then `python manage.py migrate`)."
            )
        with transaction.atomic():
            # Rows that migrations create (default tier policies…) are replaced by the backup's.
            call_command("loaddata", str(source / "data.json.gz"), verbosity=0)
            wrong = {
                label: (expected, apps.get_model(label)._default_manager.count())
                for label, expected in manifest["counts"].items()
                if apps.get_model(label)._default_manager.count() != expected
            }
            if wrong:
                raise CommandError(f"Restored counts differ from the backup's: {wrong}")
        roots = file_roots()
        for alias_dir in sorted((source / "files").glob("*")):
            root = roots.get(alias_dir.name)
            if root is None:
                raise CommandError(f"No file storage named {alias_dir.name} in the settings.")
            root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(alias_dir, root, dirs_exist_ok=True)
        self.stdout.write(
            f"Restored {sum(manifest['counts'].values())} rows and "
            f"{len(manifest['files'])} files from {source}."
        )
