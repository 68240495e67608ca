"""The layers hold: the record at the bottom, requests above it, the staff side on top."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=where, capture_output=True, text=True, timeout=120
    )


def test_the_import_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_lower_layer_importing_an_upper_one_breaks_the_contract(tmp_path):
    for package in ("concierge", "clients", "requests"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    search = tmp_path / "clients" / "search.py"
    search.write_text(search.read_text() + "\nfrom concierge.reminders import sweep  # noqa\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert "clients.search -> concierge.reminders.sweep" in result.stdout
