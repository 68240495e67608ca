"""The portfolio page /clients/: the concierge's clients, search as you type, filters, pages."""

import pytest
from django.urls import reverse

from clients.forms.portfolio import listed_concierges, team_concierges
from clients.models import Client, Tag
from tests.captured import written
from tests.conftest import make_user
from tests.factories import ClientFactory, ContactPointFactory

URL = reverse("clients:list")
HTMX = {"HX-Request": "true"}


def page_names(response) -> list[str]:
    return [c.display_name for c in response.context["page"].object_list]


def tagged(client, *names):
    client.tags.set([Tag.objects.get_or_create(name=n)[0] for n in names])
    client.refresh_from_db()
    return client


def test_the_list_shows_only_the_clients_the_concierge_looks_after(
    concierge_client, concierge, colleague, outsider
):
    ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    ClientFactory(first_name="Amélie", last_name="Bérard", backup_concierge=concierge)
    ClientFactory(first_name="Karim", last_name="Rossi", primary_concierge=colleague)
    ClientFactory(first_name="Yuki", last_name="Tanaka", primary_concierge=outsider)
    response = concierge_client.get(URL)
    assert response.status_code == 200
    assert page_names(response) == ["Amélie Bérard", "Éloïse d'Harcourt"]
    html = response.content.decode()
    assert "Rossi" not in html and "Tanaka" not in html


def test_each_row_links_to_the_profile_and_shows_who_the_client_is(concierge_client, concierge):
    client = ClientFactory(
        first_name="Hélène",
        preferred_name="Lily",
        last_name="de La Rochefoucauld",
        form_of_address="Madame la Présidente",
        tier=Client.Tier.PRIVATE,
        primary_concierge=concierge,
    )
    tagged(client, "Art collector")
    html = concierge_client.get(URL).content.decode()
    assert f'href="{reverse("clients:detail", args=[client.pk])}"' in html
    assert ">LL<" in html  # initials: Lily, La Rochefoucauld
    assert "Lily de La Rochefoucauld" in html
    assert "Madame la Présidente" in html
    assert "tier-private" in html and "Private" in html
    assert "Art collector" in html
    assert 'href="/clients/?tag=Art%20collector"' in html


def test_the_primary_concierge_is_shown_for_a_manager(manager_client, concierge):
    ClientFactory(last_name="Périer", primary_concierge=concierge)
    assert "Camille Laurent" in manager_client.get(URL).content.decode()


def test_a_manager_sees_the_teams_clients_and_not_another_teams(
    manager_client, concierge, colleague, outsider
):
    ClientFactory(last_name="Bérard", primary_concierge=concierge)
    ClientFactory(last_name="Rossi", primary_concierge=colleague)
    ClientFactory(last_name="Tanaka", primary_concierge=outsider)
    assert {c.last_name for c in manager_client.get(URL).context["page"].object_list} == {
        "Bérard",
        "Rossi",
    }


def test_an_outsider_sees_none_of_our_clients_even_when_searching_or_filtering(
    client, outsider, concierge
):
    ours = ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    tagged(ours, "VIP")
    ContactPointFactory(client=ours, value="06 12 34 56 78")
    client.force_login(outsider)
    for query in ("", "?q=eloise", "?q=0612345678", "?tag=VIP", f"?concierge={concierge.pk}"):
        response = client.get(URL + query)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Harcourt" not in html
        assert ">VIP<" not in html  # not even the tag's name in the filter
        assert "Camille" not in html


def test_search_as_you_type_returns_only_the_results_fragment(concierge_client, concierge):
    ClientFactory(first_name="Éloïse", last_name="d'Harcourt", primary_concierge=concierge)
    ClientFactory(first_name="Karim", last_name="Rossi", primary_concierge=concierge)
    response = concierge_client.get(URL, {"q": "eloise", "tier": "", "tag": ""}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html and "Harcourt" in html and "Rossi" not in html
    # The address bar gets the clean query, without the empty fields.
    assert response["HX-Push-Url"] == "/clients/?q=eloise"


def test_the_full_page_has_a_search_box_wired_to_htmx_with_a_plain_form_fallback(
    concierge_client,
):
    html = concierge_client.get(URL, {"q": "elo"}).content.decode()
    assert '<form class="portfolio-filters" method="get" action="/clients/"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'hx-target="#results"' in html and 'hx-push-url="true"' in html
    assert 'name="q" value="elo"' in html
    assert 'id="results"' in html
    assert f'href="{reverse("clients:create")}"' in html


def test_a_history_restore_gets_the_whole_page(concierge_client):
    response = concierge_client.get(
        URL, {"q": "x"}, headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def test_no_clients_yet_and_no_match_are_different_empty_states(concierge_client, concierge):
    html = concierge_client.get(URL).content.decode()
    assert "No clients yet" in html and "Add your first client" in html
    ClientFactory(last_name="Rossi", primary_concierge=concierge)
    html = concierge_client.get(URL, {"q": "zzz"}).content.decode()
    assert "No client matches" in html and "zzz" in html and "No clients yet" not in html


def test_filter_by_tier(concierge_client, concierge):
    ClientFactory(last_name="Bérard", tier=Client.Tier.PRIVATE, primary_concierge=concierge)
    ClientFactory(last_name="Rossi", tier=Client.Tier.ESSENTIAL, primary_concierge=concierge)
    response = concierge_client.get(URL, {"tier": "private"})
    assert [c.last_name for c in response.context["page"].object_list] == ["Bérard"]
    assert 'value="private" hx-get="/clients/" checked' in response.content.decode()


def test_filter_by_tag(concierge_client, concierge):
    tagged(ClientFactory(last_name="Bérard", primary_concierge=concierge), "Ski", "VIP")
    tagged(ClientFactory(last_name="Rossi", primary_concierge=concierge), "Opera")
    response = concierge_client.get(URL, {"tag": "Ski"})
    assert [c.last_name for c in response.context["page"].object_list] == ["Bérard"]
    html = response.content.decode()
    assert '<option value="Ski" selected>' in html and '<option value="Opera">' in html


def test_a_concierge_filters_their_clients_as_primary_or_as_backup(
    concierge_client, concierge, colleague
):
    ClientFactory(last_name="Bérard", primary_concierge=concierge, backup_concierge=colleague)
    ClientFactory(last_name="Rossi", primary_concierge=colleague, backup_concierge=concierge)
    last_names = lambda params: [  # noqa: E731
        c.last_name for c in concierge_client.get(URL, params).context["page"].object_list
    ]
    assert last_names({"concierge": "primary"}) == ["Bérard"]
    assert last_names({"concierge": "backup"}) == ["Rossi"]
    assert last_names({"concierge": ""}) == ["Bérard", "Rossi"]
    # Someone else's id means nothing to a concierge: the filter is ignored, not widened.
    assert last_names({"concierge": str(colleague.pk)}) == ["Bérard", "Rossi"]


def test_a_manager_filters_by_concierge_of_their_team(manager_client, concierge, colleague, team):
    ClientFactory(last_name="Bérard", primary_concierge=concierge)
    ClientFactory(last_name="Rossi", primary_concierge=colleague, backup_concierge=concierge)
    ClientFactory(last_name="Tanaka", primary_concierge=colleague)
    response = manager_client.get(URL, {"concierge": str(concierge.pk)})
    assert [c.last_name for c in response.context["page"].object_list] == ["Bérard", "Rossi"]
    html = response.content.decode()
    assert f'<option value="{concierge.pk}" selected>Camille Laurent</option>' in html
    assert f'<option value="{colleague.pk}">' in html


def test_filters_and_search_combine(concierge_client, concierge):
    ClientFactory(
        first_name="Éloïse",
        last_name="Bérard",
        tier=Client.Tier.PRIVATE,
        primary_concierge=concierge,
    )
    ClientFactory(first_name="Éloïse", last_name="Rossi", primary_concierge=concierge)
    ClientFactory(
        first_name="Karim",
        last_name="Moreau",
        tier=Client.Tier.PRIVATE,
        primary_concierge=concierge,
    )
    response = concierge_client.get(URL, {"q": "eloise", "tier": "private"})
    assert [c.last_name for c in response.context["page"].object_list] == ["Bérard"]


def test_unknown_tier_or_concierge_values_are_ignored_and_an_unknown_tag_matches_nobody(
    concierge_client, concierge
):
    ClientFactory(last_name="Bérard", primary_concierge=concierge)
    response = concierge_client.get(URL, {"tier": "platinum", "concierge": "x"})
    assert response.status_code == 200
    assert page_names(response) != []
    response = concierge_client.get(URL, {"tag": "nope"})
    assert page_names(response) == []
    assert "No client matches" in response.content.decode()


def test_the_results_fragment_does_not_list_the_tags_again(concierge_client, concierge):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tagged(ClientFactory(last_name="Bérard", primary_concierge=concierge), "Ski")
    full = concierge_client.get(URL).content.decode()
    assert '<option value="Ski">Ski</option>' in full
    with CaptureQueriesContext(connection) as queries:
        concierge_client.get(URL, {"q": "berard"}, headers=HTMX)
    tag_lists = [
        q["sql"]
        for q in queries
        if 'FROM "clients_tag"' in q["sql"] and "_prefetch_related_val" not in q["sql"]
    ]
    assert tag_lists == []


def test_pages_of_25_whose_links_keep_the_search_and_filters(concierge_client, concierge):
    ClientFactory.create_batch(
        30, first_name="Éloïse", tier=Client.Tier.PRIVATE, primary_concierge=concierge
    )
    ClientFactory.create_batch(5, first_name="Karim", primary_concierge=concierge)
    first = concierge_client.get(URL, {"q": "eloise", "tier": "private"})
    assert len(first.context["page"].object_list) == 25
    html = first.content.decode()
    assert 'href="?q=eloise&amp;tier=private&amp;page=2"' in html
    assert "Page 1 of 2" in html
    second = concierge_client.get(URL, {"q": "eloise", "tier": "private", "page": "2"})
    assert len(second.context["page"].object_list) == 5
    assert 'href="?q=eloise&amp;tier=private&amp;page=1"' in second.content.decode()
    # The same through htmx, with the page in the address bar.
    partial = concierge_client.get(
        URL, {"q": "eloise", "tier": "private", "page": "2"}, headers=HTMX
    )
    assert partial["HX-Push-Url"] == "/clients/?q=eloise&tier=private&page=2"


def test_a_page_out_of_range_shows_the_last_page(concierge_client, concierge):
    ClientFactory.create_batch(3, primary_concierge=concierge)
    for page in ("99", "400000000000000000"):  # the second overflowed SQLite's integers once
        response = concierge_client.get(URL, {"page": page})
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 3


def test_past_the_cap_the_list_says_more_and_every_page_still_works(
    concierge_client, concierge, monkeypatch
):
    # The list counts at most the cap beyond the page asked for; 30 stands for a few thousand.
    monkeypatch.setattr("concierge.common.paging.COUNT_CAP", 30)
    ClientFactory.create_batch(60, primary_concierge=concierge)
    first = concierge_client.get(URL)
    html = first.content.decode()
    assert "More than 30 clients" in html and "Page 1 of 2 or more" in html
    assert 'href="?page=2"' in html
    second = concierge_client.get(URL, {"page": "2"}, headers=HTMX)
    html = second.content.decode()
    assert "Page 2 of 3 or more" in html and 'href="?page=3"' in html
    assert len(second.context["page"].object_list) == 25
    # Past the cap: this page counts from its own start, and finds the end.
    last = concierge_client.get(URL, {"page": "3"})
    html = last.content.decode()
    assert len(last.context["page"].object_list) == 10
    assert "60 clients" in html and "Page 3 of 3" in html and 'rel="next"' not in html
    shown = {c.pk for p in (first, second, last) for c in p.context["page"].object_list}
    assert len(shown) == 60


def test_the_count_is_a_limited_unordered_query(client, concierge, colleague):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_clients(40, concierge, colleague)
    client.force_login(concierge)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 2001" in counts[0] and "ORDER BY" not in counts[0].upper()


def make_clients(count, concierge, colleague, start=0):
    tags = [Tag.objects.get_or_create(name=n)[0] for n in ("VIP", "Ski", "Opera")]
    clients = Client.objects.bulk_create(
        Client(
            first_name=f"Prénom{i}",
            last_name=f"Nom{i:04d}",
            search_text=f" prenom{i} nom{i:04d} ",
            primary_concierge=concierge if i % 2 else colleague,
            backup_concierge=colleague if i % 2 else concierge,
        )
        for i in range(start, start + count)
    )
    Client.tags.through.objects.bulk_create(
        Client.tags.through(client_id=c.pk, tag_id=t.pk)
        for c in clients
        for t in tags[: c.pk % 3 + 1]
    )


# Session, user, the tags for the filter, the count, the page, the page's tags, plus one query
# that the shared layout makes: 7 today; the bound leaves room for the layout, not for rows.
MAX_QUERIES = 8


@pytest.mark.parametrize("count", [5, 500])
def test_the_number_of_queries_does_not_grow_with_the_clients(
    client, concierge, colleague, count, django_assert_max_num_queries
):
    make_clients(count, concierge, colleague)
    client.force_login(concierge)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(URL)
    assert len(response.context["page"].object_list) == min(count, 25)
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(URL, {"q": "nom", "tag": "VIP"}, headers=HTMX)


def test_5_or_500_clients_cost_the_same_queries_but_the_count(client, concierge, colleague):
    """500 clients cost what 5 do, plus the count that a full page needs (5 fit on one page, whose
    rows tell their number)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(concierge)
    sent = []
    for batch, start in ((5, 0), (495, 5)):
        make_clients(batch, concierge, colleague, start=start)
        with CaptureQueriesContext(connection) as queries:
            client.get(URL, {"tag": "VIP"})
        sent.append([q["sql"] for q in queries.captured_queries])
    few, many = sent
    assert len(many) == len(few) + 1
    assert [sql for sql in many if sql.startswith("SELECT COUNT(*)")]
    assert not [sql for sql in few if sql.startswith("SELECT COUNT(*)")]


def test_a_manager_page_has_a_bounded_number_of_queries_too(
    client, team, concierge, django_assert_max_num_queries
):
    manager = make_user("boss", role="manager", team=team)
    ClientFactory.create_batch(30, primary_concierge=concierge)
    client.force_login(manager)
    # More than a concierge's page: the unassigned queue's count and the team's concierges.
    with django_assert_max_num_queries(11):
        response = client.get(URL)
    assert "Camille Laurent" in response.content.decode()


def test_the_query_is_shown_escaped(concierge_client, concierge):
    ClientFactory(last_name="Rossi", primary_concierge=concierge)
    html = concierge_client.get(URL, {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_very_long_query_is_still_a_search(concierge_client, concierge):
    ClientFactory(first_name="Éloïse", last_name="Bérard", primary_concierge=concierge)
    response = concierge_client.get(URL, {"q": "eloise " + "x" * 500})
    assert response.status_code == 200
    assert page_names(response) == []


def test_a_managers_list_reads_the_teams_concierges_once(client, team, concierge, colleague):
    """The filters and the bulk form both list them: one read for both, and each shows them all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    manager = make_user("boss", role="manager", team=team)
    ClientFactory.create_batch(3, primary_concierge=concierge)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL).content.decode()
    listed = [
        q for q in queries.captured_queries if '"concierge_user"."role" =' in written(q["sql"])
    ]
    assert len(listed) == 1
    for someone in (concierge, colleague):  # the filter, the bulk form's concierge and backup
        assert html.count(f">{someone.display_name}</option>") == 3


def test_each_card_has_its_tags_in_the_order_of_the_tags_own(concierge_client, concierge):
    first = tagged(ClientFactory(primary_concierge=concierge), "ski", "Art & vin", "été", "Opéra")
    second = tagged(ClientFactory(primary_concierge=concierge), "opéra")
    ClientFactory(primary_concierge=concierge)
    listed = {c.pk: c.tag_names for c in concierge_client.get(URL).context["page"].object_list}
    assert listed[first.pk] == [tag.name for tag in first.tags.all()]
    assert listed[second.pk] == ["opéra"]
    assert len(listed) == 3 and [] in listed.values()


def test_the_compiled_read_of_the_teams_concierges_is_the_querysets(team, concierge, colleague):
    other_team = type(team).objects.create(name="Other")
    make_user("zed", team=team, first_name="Aaron", last_name="Zed")
    make_user("gone", team=team, is_active=False)
    make_user("boss", role="manager", team=team)
    make_user("theirs", team=other_team)
    for user in (make_user("head", role="manager", team=team), make_user("loner")):
        assert listed_concierges(user) == list(team_concierges(user))
    assert [u.username for u in listed_concierges(concierge)][0] == "zed"
    assert len(listed_concierges(concierge)) == 3
