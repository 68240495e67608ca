from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_requests_resolves_to_our_app():
    import requests

    assert Path(requests.__file__).resolve() == ROOT / "requests" / "__init__.py"


def test_no_installed_distribution_provides_the_pypi_requests_package():
    names = {dist.metadata["Name"].lower() for dist in metadata.distributions()}
    assert "requests" not in names
