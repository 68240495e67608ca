"""A client's data in and out: import from CSV or vCard, export one whole record, erase on request."""

import hashlib
import logging
import secrets
import time

from django.contrib import messages
from django.db import DatabaseError, IntegrityError, models, transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import erasure, exporting, importing
from ..forms import EraseForm, ImportForm
from ..forms.data import team_concierges
from ..models import AccessLog, Client, ImportConfirmation
from ..services import access_record
from .access import client_for_user


class ImportStep(models.TextChoices):
    PREVIEW = "preview"
    CONFIRM = "confirm"


logger = logging.getLogger(__name__)

# The validated rows wait in the session between the preview and the confirmation.
PENDING_KEY = "clients_import_pending"
DONE_KEY = "clients_import_done"
PENDING_SECONDS = 60 * 60


def _csv_template_response():
    response = HttpResponse(importing.csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="concierge-clients-template.csv"'
    return response


def _duplicates_context(parsed, user):
    duplicates = importing.find_import_duplicates(
        parsed.rows, queryset=Client.objects.visible_to(user)
    )
    existing_ids = {c.pk for found in duplicates.values() for c in found.existing}
    existing = {
        c.pk: c
        for c in Client.objects.filter(pk__in=existing_ids)
        .select_related("primary_concierge")
        .prefetch_related("contact_points")
    }
    for found in duplicates.values():
        found.existing = [existing[c.pk] for c in found.existing if c.pk in existing]
    return duplicates


@require_http_methods(["GET", "POST"])
def client_import(request):
    if request.method == "GET" and request.GET.get("template") == "csv":
        return _csv_template_response()
    if request.method == "POST" and request.POST.get("action") == ImportStep.CONFIRM:
        return _import_confirm(request)

    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    context = {
        "form": form,
        "columns": _columns_doc(),
        "max_rows": importing.MAX_ROWS,
        "done": request.session.pop(DONE_KEY, None) if request.method == "GET" else None,
    }
    if request.method == "POST" and form.is_valid():
        parsed = form.parsed
        context["parsed"] = parsed
        duplicates = _duplicates_context(parsed, request.user)
        context["preview_rows"] = [(row, duplicates.get(row.number)) for row in parsed.rows]
        context["duplicate_count"] = len(duplicates)
        context["concierge"] = form.concierge()
        if parsed.is_valid:
            targets = {
                str(number): [c.pk for c in found.existing] for number, found in duplicates.items()
            }
            context["token"] = _keep_pending(request, parsed, form.concierge(), targets)
        else:
            request.session.pop(PENDING_KEY, None)
    return render(request, "clients/client_import.html", context)


def _keep_pending(request, parsed, concierge, targets) -> str:
    token = secrets.token_urlsafe(24)
    # One pending import per session: a new preview replaces the previous one.
    request.session[PENDING_KEY] = {
        "token": token,
        "user": request.user.pk,
        "concierge": concierge.pk,
        "created": time.time(),
        "file": parsed.name,
        "rows": parsed.payload(),
        "targets": targets,  # row number → the existing clients it may be merged into
    }
    return token


def _decisions(request, pending) -> dict[int, str] | None:
    """Each flagged row's choice on the preview (skip, import anyway, merge into a client that was
    offered for it); None when a choice names a client that was not offered."""
    decisions = {}
    for row in pending["rows"]:
        choice = request.POST.get(f"decision-{row['number']}", importing.IMPORT)
        if choice.startswith(importing.MERGE_PREFIX):
            target = choice.removeprefix(importing.MERGE_PREFIX)
            offered = pending.get("targets", {}).get(str(row["number"]), [])
            if not target.isdigit() or int(target) not in offered:
                return None
        elif choice not in (importing.IMPORT, importing.SKIP):
            return None
        decisions[row["number"]] = choice
    return decisions


def _import_confirm(request):
    token = request.POST.get("token", "")
    pending = request.session.get(PENDING_KEY)
    if (
        not pending
        or not token
        or not constant_time_compare(pending["token"], token)
        or pending["user"] != request.user.pk
        or time.time() - pending["created"] > PENDING_SECONDS
    ):
        return _import_refused(
            request,
            _(
                "This preview has expired or was already imported. "
                "Upload the file again to see a new preview."
            ),
        )
    if request.user.is_manager:
        concierge = team_concierges(request.user).filter(pk=pending["concierge"]).first()
        if concierge is None:
            return _import_refused(
                request, _("The chosen concierge is no longer in your team. Upload the file again.")
            )
    else:
        concierge = request.user
    decisions = _decisions(request, pending)
    if decisions is None:
        return _import_refused(request, _("A row names a client it cannot be merged into."))
    # A double click sends the confirmation twice: only the first one imports (the database
    # decides, in the import's transaction: no cache involved, so Redis being down changes nothing).
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ImportConfirmation.objects.create(
                        token_hash=hashlib.sha256(token.encode()).hexdigest(),
                        confirmed_by=request.user,
                    )
            except IntegrityError:
                return _import_refused(request, _("This import is already being processed."))
            created, merged_into = importing.clients_import_decided(
                rows=pending["rows"],
                decisions=decisions,
                by=request.user,
                primary_concierge=concierge,
                source=pending["file"],
            )
    except DatabaseError:
        logger.exception("client import failed")
        return _import_refused(
            request, _("The import failed and nothing was imported. Please try again.")
        )
    request.session.pop(PENDING_KEY, None)
    request.session[DONE_KEY] = {
        "count": len(created),
        "file": pending["file"],
        "clients": [[c.pk, c.display_name] for c in created[:12]],
        "merged": [[c.pk, c.display_name] for c in merged_into[:12]],
        "skipped": sum(1 for d in decisions.values() if d == importing.SKIP),
    }
    # The import page shows the result once (count, first names, link to the portfolio).
    return redirect("clients:import")


def _import_refused(request, message):
    form = ImportForm(user=request.user)
    context = {
        "form": form,
        "columns": _columns_doc(),
        "max_rows": importing.MAX_ROWS,
        "refused": message,
    }
    return render(request, "clients/client_import.html", context, status=400)


def _columns_doc():
    tiers = ", ".join(Client.Tier.values)
    return [
        ("first_name", True, _("Legal first name."), "Éloïse"),
        ("last_name", True, _("Legal last name."), "d'Harcourt"),
        ("preferred_name", False, _("How they like to be called."), "Élo"),
        ("form_of_address", False, _("How to greet them."), "Madame la Présidente"),
        ("tier", False, _("One of %(tiers)s; premium when empty.") % {"tiers": tiers}, "private"),
        ("phone", False, _("Any format; several separated by ; or |."), "+33 6 12 34 56 78"),
        ("email", False, _("Several separated by ; or |."), "eloise@example.com"),
        ("tags", False, _("Separated by ; or |."), "Art;Gastronomy"),
        ("notes", False, _("Free text."), _("Prefers a call after 6 pm")),
        ("birthday", False, _("DD/MM/YYYY or YYYY-MM-DD."), "23/04/1975"),
    ]


@require_GET
def client_export(request, pk: int):
    client = client_for_user(request.user, pk)
    access_record(user=request.user, client=client, what=AccessLog.What.EXPORT)
    archive = exporting.client_export_archive(client)
    logger.info("client %s exported by user %s", client.pk, request.user.pk)
    return FileResponse(
        archive,
        as_attachment=True,
        filename=exporting.archive_name(client),
        content_type="application/zip",
    )


@require_http_methods(["GET", "POST"])
def client_erase(request, pk: int):
    client = client_for_user(request.user, pk)
    allowed = erasure.can_erase(request.user, client)
    form = EraseForm(request.POST or None, client=client)
    if allowed and request.method == "POST" and form.is_valid():
        record = erasure.client_erase(
            client=client, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("%(reference)s has been erased, with its history and files.")
            % {"reference": record.reference},
        )
        return redirect("clients:list")
    context = {
        "client": client,
        "form": form,
        "allowed": allowed,
        "summary": erasure.erasure_summary(client) if allowed else None,
    }
    return render(request, "clients/client_erase.html", context, status=200 if allowed else 403)
