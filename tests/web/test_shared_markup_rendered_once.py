"""The navigation every page carries is rendered once per language, section and role, then copied
({% memo %}): what each reader sees must still be theirs, whoever came before them."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client as HttpClient
from django.utils import translation

pytestmark = pytest.mark.django_db


def nav_of(html: str) -> str:
    return html.split('<nav class="bottomnav"', 1)[1].split("</nav>", 1)[0]


def test_a_concierge_after_a_manager_has_no_team_link_and_the_manager_keeps_it(manager, concierge):
    as_manager, as_concierge = HttpClient(), HttpClient()
    as_manager.force_login(manager)
    as_concierge.force_login(concierge)

    manager_first = as_manager.get("/agenda/").content.decode()
    concierge_next = as_concierge.get("/agenda/").content.decode()
    manager_again = as_manager.get("/agenda/").content.decode()

    assert 'href="/team/"' in nav_of(manager_first)
    assert 'href="/team/"' not in nav_of(concierge_next)
    assert nav_of(manager_again) == nav_of(manager_first)


def test_the_current_section_follows_the_page(concierge_client):
    agenda = nav_of(concierge_client.get("/agenda/").content.decode())
    clients = nav_of(concierge_client.get("/clients/").content.decode())

    assert 'href="/agenda/" class="nav-link is-current"' in agenda
    assert 'href="/clients/" class="nav-link is-current"' in clients
    assert 'href="/agenda/" class="nav-link is-current"' not in clients


def test_each_language_has_its_own_navigation(concierge, client):
    client.force_login(concierge)
    english = nav_of(client.get("/agenda/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    concierge.language = "fr"
    concierge.save(update_fields=["language"])
    french = nav_of(client.get("/agenda/").content.decode())

    assert "<span>Clients</span>" in english and "<span>Requests</span>" in english
    assert "<span>Demandes</span>" in french
    assert "<span>Requests</span>" not in french


def test_the_block_is_rendered_once_per_key():
    renders = []

    class Counted:
        def __str__(self):
            renders.append(1)
            return "x"

    template = Template("{% load memo %}{% memo section %}{{ counted }}{% endmemo %}")
    with translation.override("en"):
        for section in ("agenda", "agenda", "clients", "agenda"):
            template.render(Context({"section": section, "counted": Counted()}))
    with translation.override("fr"):
        template.render(Context({"section": "agenda", "counted": Counted()}))

    assert len(renders) == 3  # agenda and clients in English, agenda in French


def test_a_form_token_cannot_be_kept_for_everyone():
    with pytest.raises(TemplateSyntaxError, match="csrf_token"):
        Template("{% load memo %}{% memo %}<form>{% csrf_token %}</form>{% endmemo %}")


def test_the_users_team_is_read_with_the_user_not_on_its_own(concierge_client, concierge):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert concierge.team_id
    with CaptureQueriesContext(connection) as queries:
        html = concierge_client.get("/agenda/").content.decode()
    assert str(concierge.team) in html
    alone = [q["sql"] for q in queries.captured_queries if 'FROM "concierge_team"' in q["sql"]]
    assert alone == []


SPLICED = (
    "{% load links memo %}{% memo role with pk=client.pk %}"
    "<a href=\"{% link 'clients:detail' pk %}\">{{ counted }} #{{ pk }}</a>{% endmemo %}"
)


def test_a_records_id_is_spliced_into_the_block_rendered_once():
    ids = (7, 42, 7, 1234)
    renders = []

    class Counted:
        def __str__(self):
            renders.append(1)
            return "x"

    template = Template(SPLICED)
    with translation.override("en"):
        shown = [
            template.render(
                Context({"role": "concierge", "client": {"pk": pk}, "counted": Counted()})
            )
            for pk in ids
        ]

    assert shown == [f'<a href="/clients/{pk}/">x #{pk}</a>' for pk in ids]
    assert len(renders) == 2  # once with the marker, once to check it against a plain render


def test_a_block_that_computes_with_the_id_is_rendered_as_it_is():
    template = Template(
        "{% load memo %}{% memo with pk=client.pk %}{{ pk|add:1 }} {% if pk > 5 %}big{% endif %}"
        "{% endmemo %}"
    )
    shown = [template.render(Context({"client": {"pk": pk}})) for pk in (3, 9, 3)]

    assert shown == ["4 ", "10 big", "4 "]


def test_an_id_that_is_not_a_number_is_rendered_as_it_is():
    template = Template("{% load memo %}{% memo with pk=client.pk %}#{{ pk }}{% endmemo %}")
    shown = [template.render(Context({"client": {"pk": pk}})) for pk in (5, "<new>", None, -1, 6)]

    assert shown == ["#5", "#&lt;new&gt;", "#None", "#-1", "#6"]


def test_a_spliced_id_is_named():
    with pytest.raises(TemplateSyntaxError, match="name=value"):
        Template("{% load memo %}{% memo with client.pk %}{% endmemo %}")
