"""The vendor directory: find, add and correct a vendor's contacts and notes."""

from requests.models import Vendor
from tests.factories import VendorFactory


def test_vendors_are_listed_and_searched(concierge_client):
    VendorFactory(name="Le Cinq", contact_name="Marc, maître d'")
    VendorFactory(name="Debeaulieu", kind="florist")
    page = concierge_client.get("/requests/vendors/", {"q": "cinq"}).content.decode()
    assert "Le Cinq" in page and "Debeaulieu" not in page
    assert (
        "Debeaulieu"
        in concierge_client.get("/requests/vendors/", {"kind": "florist"}).content.decode()
    )


def test_a_vendor_is_added_and_edited(concierge_client):
    response = concierge_client.post(
        "/requests/vendors/new/",
        {
            "name": "Septime",
            "kind": "restaurant",
            "contact_name": "Bertrand",
            "phone": "01 43 67 38 29",
            "email": "resa@septime.fr",
            "notes": "Ask for the counter.",
        },
    )
    assert response.status_code == 302
    vendor = Vendor.objects.get(name="Septime")
    concierge_client.post(
        f"/requests/vendors/{vendor.pk}/",
        {"name": "Septime", "kind": "restaurant", "notes": "Closed on weekends.", "version": 1},
    )
    vendor.refresh_from_db()
    assert vendor.notes == "Closed on weekends." and vendor.contact_name == ""


def test_bad_vendor_input_is_refused_and_changes_nothing(concierge_client):
    VendorFactory(name="Le Cinq")
    response = concierge_client.post(
        "/requests/vendors/new/",
        {"name": "le cinq", "kind": "restaurant", "phone": "12", "email": "nope"},
    )
    html = response.content.decode()
    assert "exists already" in html and "is not a phone number" in html and "valid email" in html
    assert Vendor.objects.count() == 1


def test_an_unknown_vendor_is_a_404(concierge_client):
    assert concierge_client.get("/requests/vendors/999/").status_code == 404


def test_the_vendor_list_costs_the_same_queries_for_3_or_60_vendors(
    concierge_client, django_assert_max_num_queries
):
    for count in (3, 60):
        VendorFactory.create_batch(count)
        with django_assert_max_num_queries(6):
            assert concierge_client.get("/requests/vendors/").status_code == 200


def test_a_vendor_without_recorded_history_opens(concierge_client):
    """A vendor imported in bulk (no history recorded, as the demo's) opens with no changes listed."""
    (vendor,) = Vendor.objects.bulk_create([Vendor(name="Le Cinq", kind="restaurant")])
    response = concierge_client.get(f"/requests/vendors/{vendor.pk}/")
    assert response.status_code == 200 and "Le Cinq" in response.content.decode()
