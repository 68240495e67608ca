"""Pages stay light on a phone's connection: each key page's transfer (its HTML as Django sends it,
plus every stylesheet and script it loads, gzipped as whitenoise serves them) stays under the budget
the README states. Run with -s to print the table."""

import gzip
import re

from django.contrib.staticfiles import finders
from django.test import override_settings

from tests.e2e.conftest import field_world, key_pages  # noqa: F401 (a fixture)

BUDGET_KB = 75  # per page: HTML + CSS + JS (README, "Pages stay light")
HTML_BUDGET_KB = 32  # of which the HTML, sent uncompressed (no GZip middleware: BREACH)
ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+rel="stylesheet"[^>]+href)="/static/([^"?]+)"')


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))  # as whitenoise compresses


@override_settings(DEBUG=False)
def test_each_key_page_stays_under_its_weight_budget(concierge_client, field_world, capsys):  # noqa: F811
    rows = []
    for name, path in {**key_pages(field_world), "offline": "/offline/"}.items():
        response = concierge_client.get(path)
        assert response.status_code == 200, path
        html = response.content
        assets = sorted(set(ASSET.findall(html.decode())))
        assert assets, f"{name}: no stylesheet or script found"
        sizes = {}
        for asset in assets:
            found = finders.find(asset)
            assert found, asset
            with open(found, "rb") as handle:
                sizes[asset] = gzipped(handle.read())
        total = len(html) + sum(sizes.values())
        rows.append((name, len(html), gzipped(html), sum(sizes.values()), total))
    with capsys.disabled():
        print(f"\n{'page':16} {'HTML':>8} {'HTML gz':>8} {'CSS+JS gz':>10} {'total':>8}")
        for name, raw, packed, assets, total in rows:
            print(
                f"{name:16} {raw / 1024:7.1f}K {packed / 1024:7.1f}K {assets / 1024:9.1f}K {total / 1024:7.1f}K"
            )
    heavy = {
        name: round(total / 1024, 1) for name, _, _, _, total in rows if total > BUDGET_KB * 1024
    }
    assert not heavy, f"over the {BUDGET_KB} KB budget: {heavy}"
    long = {
        name: round(raw / 1024, 1) for name, raw, _, _, _ in rows if raw > HTML_BUDGET_KB * 1024
    }
    assert not long, f"HTML over {HTML_BUDGET_KB} KB: {long}"


def test_pages_load_only_htmx_and_our_own_small_scripts(concierge_client, field_world):  # noqa: F811
    for path in key_pages(field_world).values():
        html = concierge_client.get(path).content.decode()
        scripts = set(re.findall(r'<script[^>]+src="([^"]+)"', html))
        for src in scripts:
            assert src.startswith("/static/django_htmx/") or src.startswith("/static/concierge/"), (
                src
            )
