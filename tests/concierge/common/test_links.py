"""`link()` answers what `reverse()` answers, from a pattern reversed once per process."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from concierge.common import links

CASES = [
    ("clients:list", ()),
    ("clients:detail", (7,)),
    ("clients:part-edit", (7, "contacts", 12)),
    ("clients:part-delete", (123456, "preferences", 0)),
    ("clients:voice-audio", (3, 99)),
    ("agenda", ()),
]


@pytest.mark.parametrize(("name", "args"), CASES)
def test_link_is_reverse(name, args):
    assert links.link(name, *args) == reverse(name, args=args)


def test_link_reverses_each_pattern_once():
    links._pattern.cache_clear()
    for pk in range(50):
        assert links.link("clients:detail", pk) == reverse("clients:detail", args=[pk])
    assert links._pattern.cache_info().misses == 1


def test_what_it_cannot_splice_goes_to_reverse():
    # Text where the route wants a number, a slash in a slug, a negative id: reverse()'s error.
    for args in [(1, "contacts", "x"), (1, "a/b", 2), (-1, "contacts", 2)]:
        with pytest.raises(NoReverseMatch):
            links.link("clients:part-edit", *args)
    # Text that reverse() accepts in a slug but no id: still reverse()'s answer.
    assert links.link("clients:part-edit", "4", "dates", 5) == "/clients/4/dates/5/"


def test_link_follows_the_script_prefix():
    set_script_prefix("/app/")
    try:
        assert (
            links.link("clients:detail", 3)
            == "/app/clients/3/"
            == reverse("clients:detail", args=[3])
        )
    finally:
        set_script_prefix("/")
    assert links.link("clients:detail", 3) == "/clients/3/"


def test_the_tag_escapes_like_url():
    html = Template("{% load links %}<a href=\"{% link 'clients:detail' pk %}\">").render(
        Context({"pk": 5})
    )
    assert html == '<a href="/clients/5/">'


def test_another_urlconf_is_followed(settings):
    assert links.link("clients:detail", 3) == "/clients/3/"
    settings.ROOT_URLCONF = "tests.concierge.common.urls_elsewhere"
    assert links.link("clients:detail", 3) == "/elsewhere/3/" == reverse("clients:detail", args=[3])


@pytest.mark.parametrize(("name", "args"), [case for case in CASES if case[1]])
def test_row_links_are_link(name, args):
    *head, _pk = args
    row_link = links.row_links(name, *head)
    for pk in [0, 7, 731, 731999957, 12345678901]:
        assert row_link(pk) == links.link(name, *head, pk) == reverse(name, args=[*head, pk])


def test_row_links_leave_what_they_cannot_splice_to_link():
    row_link = links.row_links("clients:part-edit", 4, "dates")
    assert row_link("5") == "/clients/4/dates/5/"
    with pytest.raises(NoReverseMatch):
        row_link(-1)


def test_around_is_link_split_at_its_id():
    before, after = links.around("requests:detail")
    for pk in (0, 7, 123456789):
        assert (
            f"{before}{pk}{after}"
            == links.link("requests:detail", pk)
            == reverse("requests:detail", args=[pk])
        )
    set_script_prefix("/app/")
    try:
        assert links.around("clients:detail") == ("/app/clients/", "/")
    finally:
        set_script_prefix("/")
