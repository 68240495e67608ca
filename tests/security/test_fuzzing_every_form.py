"""Property-based, on every form and query parameter that test_fuzzing.py does not cover: arbitrary
text, unicode, control characters, calendar edges and oversized values never give a 500, and a
refusal writes nothing, in any table of ours or its history (issue 16).

Each test mixes well-formed values (so the form gets past its first field) with hostile ones."""

import datetime
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from clients.models import AnticipatedNeed
from clients.voice import voice_note_create
from concierge.accounts.models import Absence
from concierge.reminders.models import Reminder
from tests.audio import tone
from tests.factories import (
    ClientFactory,
    ContactPointFactory,
    ImportantDateFactory,
    PreferenceFactory,
    RelationFactory,
    ServiceRequestFactory,
    VendorFactory,
)

from .hostile import EDGES, FUZZ_FEW, FUZZ_FORM, changed, fingerprint, hostile

# Some values a field would take, mixed with hostile ones: the form then fails on one field only.
maybe = st.one_of(hostile, st.sampled_from(["", "1", "yes", "premium", "phone", "in", "note"]))


def _http(user):
    http = HttpClient(raise_request_exception=False)
    http.force_login(user)
    return http


@pytest.fixture
def http(concierge):
    return _http(concierge)


@pytest.fixture
def manager_http(manager):
    return _http(manager)


@pytest.fixture
def record(concierge, colleague):
    return ClientFactory(
        primary_concierge=concierge, backup_concierge=colleague, last_name="Harcourt"
    )


@pytest.fixture
def other_record(concierge):
    return ClientFactory(primary_concierge=concierge, last_name="Harcourt")


@pytest.fixture
def service_request(record, concierge):
    return ServiceRequestFactory(client=record, assignee=concierge)


def post(http, url, data, *, files=None):
    """Posts, and checks the two promises: no 500, and a refusal left every table as it was."""
    before = fingerprint()
    response = http.post(url, {**data, **(files or {})})
    shown = {k: str(v)[:60] for k, v in data.items()}
    assert response.status_code < 500, (url, shown)
    # A 200 is the form shown again with what is wrong; a success redirects.
    refused = response.status_code >= 200 and response.status_code not in (301, 302, 303)
    if refused:
        assert not changed(before, fingerprint()), (url, response.status_code, shown)
    return response


def get(http, url, params):
    response = http.get(url, params)
    assert response.status_code < 500, (url, {k: str(v)[:60] for k, v in params.items()})
    return response


# --- the client's record ---------------------------------------------------------------------


@FUZZ_FORM
@given(summary=hostile, channel=maybe, direction=maybe, when=hostile)
def test_logging_an_interaction(http, record, summary, channel, direction, when):
    post(
        http,
        f"/clients/{record.pk}/interactions/new/",
        {"summary": summary, "channel": channel, "direction": direction, "occurred_at": when},
    )


@FUZZ_FORM
@given(summary=hostile, key=maybe, taken_at=hostile)
def test_a_quick_note(http, record, summary, key, taken_at):
    post(
        http,
        f"/clients/{record.pk}/notes/new/",
        {"summary": summary, "capture_key": key, "taken_at": taken_at},
    )


@FUZZ_FEW
@given(first=hostile, last=hostile, tags=hostile, languages=maybe, tier=maybe, version=maybe)
def test_the_identity_form(http, record, first, last, tags, languages, tier, version):
    post(
        http,
        f"/clients/{record.pk}/identity/",
        {
            "first_name": first,
            "last_name": last,
            "preferred_name": first,
            "form_of_address": last,
            "pronunciation": tags,
            "languages": languages,
            "tier": tier,
            "status": tier,
            "notes": last,
            "tags_text": tags,
            "version": version,
        },
    )


SECTION_FIELDS = {
    "contacts": ["kind", "value", "label", "best_times", "preferred"],
    "household": ["kind", "name", "birthday", "phone", "notes"],
    "dates": ["kind", "label", "date", "yearly", "relation"],
    "preferences": ["kind", "category", "detail", "severity", "source", "relation"],
}


@FUZZ_FORM
@given(
    section=st.sampled_from(sorted(SECTION_FIELDS)),
    values=st.lists(maybe, min_size=7, max_size=7),
    edit=st.booleans(),
)
def test_the_contact_household_date_and_preference_forms(http, record, section, values, edit):
    data = dict(zip([*SECTION_FIELDS[section], "version"], values, strict=False))
    if edit:
        part = {
            "contacts": ContactPointFactory,
            "household": RelationFactory,
            "dates": ImportantDateFactory,
            "preferences": PreferenceFactory,
        }[section](client=record)
        url = f"/clients/{record.pk}/{section}/{part.pk}/"
    else:
        url = f"/clients/{record.pk}/{section}/new/"
    post(http, url, data)


@FUZZ_FORM
@given(title=hostile, next_on=hostile, lead=maybe, recurrence=maybe, version=maybe)
def test_editing_an_anticipated_need(http, record, title, next_on, lead, recurrence, version):
    need = AnticipatedNeed.objects.create(
        client=record, title="Ski", recurrence="yearly", next_on=datetime.date(2031, 2, 10)
    )
    post(
        http,
        f"/clients/{record.pk}/needs/{need.pk}/",
        {
            "title": title,
            "recurrence": recurrence,
            "next_on": next_on,
            "lead_days": lead,
            "interval_days": lead,
            "category": title[:5],
            "version": version,
        },
    )


@pytest.fixture
def voice_note(record, concierge):
    return voice_note_create(
        client=record,
        by=concierge,
        upload=SimpleUploadedFile("n.ogg", tone("ogg", seconds=2)),
        language="en",
    )


@FUZZ_FORM
@given(transcript=hostile, version=maybe)
def test_correcting_a_transcript(http, record, voice_note, transcript, version):
    post(
        http,
        f"/clients/{record.pk}/voice/{voice_note.pk}/transcript/edit/",
        {"transcript": transcript, "version": version},
    )


@FUZZ_FEW
@given(
    content=st.binary(max_size=300),
    name=hostile,
    purpose=maybe,
    language=maybe,
    interaction=maybe,
)
def test_a_voice_upload_and_a_photo_of_anything(
    http, record, content, name, purpose, language, interaction
):
    audio = SimpleUploadedFile((name or "x")[:80] + ".webm", content)
    post(
        http,
        f"/clients/{record.pk}/voice/",
        {"purpose": purpose, "language": language, "interaction": interaction, "answer": name},
        files={"audio": audio},
    )
    photo = SimpleUploadedFile((name or "x")[:80] + ".jpg", content)
    post(http, f"/clients/{record.pk}/photo/", {"version": interaction}, files={"photo": photo})


@FUZZ_FORM
@given(other=maybe, survivor_version=maybe, absorbed_version=maybe)
def test_confirming_a_merge(http, record, other_record, other, survivor_version, absorbed_version):
    post(
        http,
        f"/clients/{record.pk}/merge/",
        {
            "other": other,
            "survivor_version": survivor_version,
            "absorbed_version": absorbed_version,
        },
    )
    # The real other record, with hostile versions: a conflict or a merge, never half of one.
    post(
        http,
        f"/clients/{record.pk}/merge/",
        {
            "other": str(other_record.pk),
            "survivor_version": survivor_version,
            "absorbed_version": absorbed_version,
        },
    )


@FUZZ_FORM
@given(confirmation=hostile, reason=hostile)
def test_the_erasure_form(http, record, confirmation, reason):
    post(
        http,
        f"/clients/{record.pk}/erase/",
        {"confirmation": confirmation, "reason": reason},
    )


def _csv(values):
    def cell(v):
        return '"' + v.replace('"', '""') + '"'

    header = "first_name,last_name,email,phone,tier,birthday,tags,notes"
    return (header + "\n" + ",".join(cell(v) for v in values) + "\n").encode(
        "utf-8", "surrogatepass"
    )


@FUZZ_FEW
@given(values=st.lists(hostile, min_size=8, max_size=8), decision=maybe, token=maybe)
def test_importing_a_file_then_confirming(http, values, decision, token):
    """The preview writes nothing; a confirmation with a wrong token or a choice that was never
    offered writes nothing either; a right one imports every row or none."""
    preview = post(
        http,
        "/clients/import/",
        {"action": "preview"},
        files={"file": SimpleUploadedFile("clients.csv", _csv(values))},
    )
    post(http, "/clients/import/", {"action": "confirm", "token": token, "decision-1": decision})
    page = preview.content.decode()
    if 'name="token"' in page:
        real = page.split('name="token" value="', 1)[1].split('"', 1)[0]
        post(http, "/clients/import/", {"action": "confirm", "token": real, "decision-2": decision})
    vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:{};{}\r\nNOTE;CHARSET={}:{}\r\nEND:VCARD\r\n".format(
        *values[:4]
    )
    post(
        http,
        "/clients/import/",
        {"action": "preview"},
        files={"file": SimpleUploadedFile("c.vcf", vcard.encode("utf-8", "surrogatepass"))},
    )


# --- requests and vendors -------------------------------------------------------------------


@FUZZ_FEW
@given(title=hostile, budget=maybe, due=hostile, category=maybe, version=maybe, past_ok=maybe)
def test_editing_a_request(http, service_request, title, budget, due, category, version, past_ok):
    post(
        http,
        f"/requests/{service_request.pk}/edit/",
        {
            "title": title,
            "category": category,
            "priority": category,
            "budget": budget,
            "currency": title[:3],
            "due_at": due,
            "event_at": due,
            "details": title,
            "version": version,
            "past_ok": past_ok,
        },
    )


@FUZZ_FORM
@given(
    to=st.one_of(maybe, st.sampled_from(["acknowledged", "cancelled", "closed"])),
    expected=maybe,
    note=hostile,
    confirmed=maybe,
)
def test_moving_a_request_along(http, service_request, to, expected, note, confirmed):
    post(
        http,
        f"/requests/{service_request.pk}/transition/",
        {"to": to, "expected": expected, "note": note, "confirmed": confirmed},
    )


@FUZZ_FORM
@given(text=hostile, score=maybe, words=hostile, stage=maybe)
def test_comments_checklists_feedback_and_stages(http, service_request, text, score, words, stage):
    pk = service_request.pk
    post(http, f"/requests/{pk}/comment/", {"text": text})
    post(http, f"/requests/{pk}/checklist/", {"text": text})
    post(http, f"/requests/{pk}/feedback/", {"score": score, "words": words})
    item = service_request.checklist.first()
    if item is not None:
        post(http, f"/requests/{pk}/checklist/{item.pk}/toggle/", {"done": stage})
    use = service_request.vendor_uses.first()
    if use is None:
        use = service_request.vendor_uses.create(vendor=VendorFactory(), what="Table")
    post(http, f"/requests/{pk}/vendors/{use.pk}/stage/", {"stage": stage})


@FUZZ_FORM
@given(
    vendor=maybe,
    what=hostile,
    stage=maybe,
    cost=maybe,
    currency=maybe,
    expires=hostile,
    new_vendor=hostile,
    kind=maybe,
)
def test_adding_a_vendor_to_a_request(
    http, service_request, vendor, what, stage, cost, currency, expires, new_vendor, kind
):
    post(
        http,
        f"/requests/{service_request.pk}/vendors/",
        {
            "vendor": vendor,
            "what": what,
            "stage": stage,
            "cost": cost,
            "currency": currency,
            "expires_at": expires,
            "new_vendor": new_vendor,
            "new_vendor_kind": kind,
        },
    )


@FUZZ_FORM
@given(name=hostile, kind=maybe, contact=hostile, phone=maybe, email=hostile, version=maybe)
def test_editing_a_vendor(http, name, kind, contact, phone, email, version):
    vendor = VendorFactory()
    post(
        http,
        f"/requests/vendors/{vendor.pk}/",
        {
            "name": name,
            "kind": kind,
            "contact_name": contact,
            "phone": phone,
            "email": email,
            "notes": contact,
            "version": version,
        },
    )


# --- reminders, the team, the account ---------------------------------------------------------


@FUZZ_FORM
@given(
    title=hostile,
    when=st.one_of(maybe, st.just("custom")),
    due=hostile,
    client_q=hostile,
    chosen=maybe,
    where=maybe,
    find=st.booleans(),
)
def test_setting_a_reminder(http, record, title, when, due, client_q, chosen, where, find):
    data = {
        "title": title,
        "when": when,
        "due_at": due,
        "client_q": client_q,
        "client": chosen,
        "where": where,
        "next": client_q,
    }
    if find:
        data["find"] = "1"
    post(http, "/agenda/reminders/new/", data)
    post(http, "/agenda/reminders/new/", {**data, "client": str(record.pk)})
    get(http, "/agenda/reminders/new/", data)
    get(http, "/agenda/reminders/clients/", {"client_q": client_q, "client": chosen})
    menu = http.get(
        "/agenda/reminders/clients/",
        {"client_q": client_q, "client": chosen},
        headers={"HX-Request": "true"},
    )
    assert menu.status_code < 500, (client_q[:60], chosen[:60])


@FUZZ_FORM
@given(option=st.one_of(maybe, st.sampled_from(["hour", "tomorrow", "next_week"])), nxt=hostile)
def test_snoozing_closing_and_dismissing_a_reminder(http, concierge, record, option, nxt):
    reminder = Reminder.objects.create(
        owner=concierge,
        client=record,
        kind=Reminder.Kind.MANUAL,
        due_at=timezone.now() + datetime.timedelta(hours=2),
        dedupe_key=f"fuzz-{timezone.now().timestamp()}",
    )
    post(http, f"/agenda/reminders/{reminder.pk}/snooze/", {"option": option, "next": nxt})
    post(http, f"/agenda/reminders/{reminder.pk}/done/", {"next": nxt})
    post(http, f"/agenda/reminders/{reminder.pk}/dismiss/", {"next": nxt})


POLICY_FIELDS = [
    "birthday_lead_days",
    "date_lead_days",
    "contact_cadence_days",
    "follow_up_hours",
    "acknowledge_minutes",
    "deliver_hours",
    "version",
]


@FUZZ_FEW
@given(values=st.lists(maybe, min_size=7, max_size=7), tier=st.sampled_from(["private", "premium"]))
def test_the_tier_policies(manager_http, values, tier):
    data = {}
    for t in ("private", "premium", "essential"):
        for name, good in zip(
            POLICY_FIELDS, ["10", "5", "30", "24", "120", "48", "0"], strict=True
        ):
            data[f"{t}-{name}"] = good
    data.update({f"{tier}-{name}": v for name, v in zip(POLICY_FIELDS, values, strict=True)})
    post(manager_http, "/team/policies/", data)


@FUZZ_FORM
@given(who=maybe, starts=hostile, ends=hostile, stand_in=maybe, which=st.booleans())
def test_declaring_an_absence(
    manager_http, concierge, colleague, who, starts, ends, stand_in, which
):
    data = {"user": who, "starts_at": starts, "ends_at": ends, "stand_in": stand_in}
    if which:
        data["user"] = str(concierge.pk)
        data["starts_at"] = "2031-01-01T08:00"
    post(manager_http, "/team/absences/", data)
    absence = Absence.objects.first()
    if absence is not None:
        post(manager_http, f"/team/absences/{absence.pk}/end/", {"next": starts})


@FUZZ_FORM
@given(concierge_id=maybe, backup=maybe, action=maybe, move=maybe, ids=st.lists(maybe, max_size=3))
def test_assigning_clients(
    manager_http, manager, concierge, record, concierge_id, backup, action, move, ids
):
    data = {"concierge": concierge_id, "backup": backup, "action": action, "move_requests": move}
    post(manager_http, f"/clients/{record.pk}/assign/", data)
    post(manager_http, "/clients/assign/", {**data, "clients": ids, "next": backup})
    post(manager_http, "/clients/assign/", {**data, "clients": [str(record.pk), *ids]})
    get(manager_http, "/clients/assign/", {"clients": ids})


@FUZZ_FORM
@given(language=maybe, nxt=hostile, action=maybe, code=hostile)
def test_language_calendar_and_two_step_forms(http, language, nxt, action, code):
    post(http, "/me/language/", {"language": language, "next": nxt})
    post(http, "/me/calendar/", {"action": action})
    # The setup page keeps a pending device (its secret is in the QR code), and a wrong code
    # counts towards its throttle: those writes are the point. None may turn it on.
    for url in ("/me/two-step/", "/accounts/code/"):
        response = http.post(url, {"code": code, "action": action, "next": nxt})
        assert response.status_code < 500, (url, code[:60])
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


@FUZZ_FORM
@given(old=hostile, new1=hostile, new2=hostile)
def test_changing_ones_password(http, old, new1, new2):
    post(
        http,
        "/accounts/password_change/",
        {"old_password": old, "new_password1": new1, "new_password2": new2},
    )


@FUZZ_FORM
@given(value=hostile)
def test_the_password_reset_link_and_a_manager_unlocking(client, manager_http, concierge, value):
    token = quote(value[:40], safe="") or "x"
    assert client.get(f"/accounts/reset/{token}/set-password/").status_code < 500
    post(manager_http, f"/team/sign-in/{concierge.pk}/unlock/", {"next": value})


# --- query parameters not in test_fuzzing.py --------------------------------------------------


@FUZZ_FORM
@given(value=st.one_of(hostile, st.sampled_from(EDGES)))
def test_every_other_query_parameter(http, manager_http, record, service_request, value, concierge):
    for url, names in (
        ("/agenda/", ["show"]),
        (f"/requests/{service_request.pk}/", ["from"]),
        (f"/clients/{record.pk}/needs/new/", ["cancel"]),
        (f"/clients/{record.pk}/contacts/new/", ["cancel"]),
        ("/clients/import/", ["template"]),
        ("/record/", ["q"]),
        (f"/clients/{record.pk}/history/", ["page"]),
        (f"/clients/{record.pk}/handover/", ["lang"]),
        ("/accounts/login/", ["next"]),
        ("/accounts/code/", ["next"]),
    ):
        for name in names:
            get(http, url, {name: value})
    for url, names in (
        (f"/team/members/{concierge.pk}/access/", ["page"]),
        (f"/team/members/{concierge.pk}/reminders/", ["page", "show"]),
        (f"/clients/{record.pk}/access/", ["page"]),
        ("/team/", ["page"]),
        ("/team/sign-in/", ["q"]),
        ("/clients/assign/", ["clients"]),
    ):
        for name in names:
            get(manager_http, url, {name: value})
