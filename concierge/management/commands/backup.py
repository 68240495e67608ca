"""`python manage.py backup DIR`: the whole database and every file, in a folder to restore from."""

import hashlib
import json
import shutil
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from concierge.backups import EXCLUDED, file_roots


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Writes the database (data.json.gz) and the media and private files into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, directory, **options):
        target = Path(directory)
        if target.exists() and any(target.iterdir()):
            raise CommandError(f"{target} is not empty: back up into a new folder.")
        target.mkdir(parents=True, exist_ok=True)
        call_command(
            "dumpdata",
            *[f"--exclude={label}" for label in EXCLUDED],
            natural_foreign=True,
            output=str(target / "data.json.gz"),
            verbosity=0,
        )
        files = {}
        for alias, root in file_roots().items():
            destination = target / "files" / alias
            if root.exists():
                shutil.copytree(root, destination, dirs_exist_ok=True)
            for path in sorted(p for p in destination.rglob("*") if p.is_file()):
                files[f"{alias}/{path.relative_to(destination).as_posix()}"] = sha256(path)
        counts = {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models()
            if model._meta.app_label not in {"contenttypes", "sessions"}
            and model._meta.label not in EXCLUDED
        }
        manifest = {"created_at": timezone.now().isoformat(), "counts": counts, "files": files}
        (target / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        self.stdout.write(
            f"Backed up {sum(counts.values())} rows and {len(files)} files into {target}."
        )
