"""Forms bring the right keyboard on a phone: digits for phones, @ for emails, a date picker for dates,
a numeric pad for amounts; names are capitalised and never filled with the concierge's own."""

from clients.forms import ClientCreateForm, QuickNoteForm, RelationForm
from requests.forms import VendorForm, VendorUseForm


def attrs(form, name) -> dict:
    widget = form.fields[name].widget
    return {"type": getattr(widget, "input_type", None), **widget.attrs}


def test_the_new_client_form(concierge):
    form = ClientCreateForm(user=concierge)
    assert attrs(form, "phone")["type"] == "tel"
    assert attrs(form, "email")["type"] == "email"
    assert attrs(form, "first_name")["autocapitalize"] == "words"
    assert attrs(form, "last_name")["autocomplete"] == "off"


def test_household_dates_vendors_and_costs(concierge):
    from tests.factories import ClientFactory

    relation = RelationForm(client=ClientFactory(primary_concierge=concierge))
    assert (
        attrs(relation, "phone")["type"] == "tel" and attrs(relation, "birthday")["type"] == "date"
    )
    vendor = VendorForm()
    assert attrs(vendor, "phone")["type"] == "tel" and attrs(vendor, "email")["type"] == "email"
    use = VendorUseForm()
    assert attrs(use, "cost")["type"] == "number" and attrs(use, "cost")["inputmode"] == "decimal"
    assert attrs(use, "expires_at")["type"] == "datetime-local"


def test_the_request_form_asks_amounts_with_a_numeric_pad(concierge_client, concierge):
    from tests.factories import ClientFactory

    client = ClientFactory(primary_concierge=concierge)
    html = concierge_client.get(f"/requests/new/?client={client.pk}").content.decode()
    assert 'name="budget"' in html and 'inputmode="decimal"' in html
    assert 'type="datetime-local"' in html


def test_the_quick_note_is_a_sentence_keyboard():
    field = attrs(QuickNoteForm(), "summary")
    assert field["autocapitalize"] == "sentences" and field["enterkeyhint"] == "done"


def test_inputs_are_at_least_16px_on_phones_so_ios_does_not_zoom():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "concierge/static/concierge/app.css").read_text()
    assert "input, select, textarea { font-size: max(16px, 1rem); }" in css
