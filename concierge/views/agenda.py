from urllib.parse import urlencode

from django.contrib import messages
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.views.access import client_for_user
from concierge.common.http import HtmxHttpRequest, safe_next
from requests.views.access import request_for_user

from ..agenda.queries import agenda_for, reminders_section
from ..reminders.forms import ReminderForm
from ..reminders.models import Reminder
from ..reminders.services import SNOOZES, reminder_close, reminder_create, reminder_snooze

TEMPLATE = "concierge/agenda.html"
FORM_TEMPLATE = "concierge/_reminder_form.html"


def _reminder_for_user(user, pk: int) -> Reminder:
    """The reminder if `user` may see it (their own, or their team's for a manager); else a 404."""
    return get_object_or_404(Reminder.objects.visible_to(user), pk=pk)


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "D j M, H:i")


@require_GET
def agenda(request: HtmxHttpRequest):
    """The agenda; `?show=<section>` lists that section whole (the fragment alone for htmx)."""
    show = request.GET.get("show", "")
    if request.htmx and not request.htmx.boosted:
        return render(
            request,
            f"{TEMPLATE}#agenda-reminders",
            {"agenda": reminders_section(request.user, timezone.now(), show)},
        )
    return render(
        request,
        TEMPLATE,
        # The reminder form is the empty one, rendered once per language, time zone and day.
        {"agenda": agenda_for(request.user, show=show)},
    )


def _after_action(request: HtmxHttpRequest):
    """Answer a reminder action with the agenda's reminder lists (and the toast), or go back."""
    if not request.htmx:
        return redirect(safe_next(request, request.POST.get("next")) or "agenda")
    return render(
        request,
        f"{TEMPLATE}#agenda-reminders",
        {"agenda": reminders_section(request.user, timezone.now()), "oob_toasts": True},
    )


def _close(request: HtmxHttpRequest, pk: int, state: str, message: str):
    reminder = _reminder_for_user(request.user, pk)
    if reminder.is_live:
        reminder_close(reminder=reminder, state=state)
        messages.success(request, message % {"title": reminder.title})
    else:
        messages.info(request, _("This reminder was already closed."))
    return _after_action(request)


@require_POST
def reminder_done(request: HtmxHttpRequest, pk: int):
    return _close(request, pk, Reminder.State.DONE, _("Done: %(title)s"))


@require_POST
def reminder_dismiss(request: HtmxHttpRequest, pk: int):
    return _close(request, pk, Reminder.State.DISMISSED, _("Dismissed: %(title)s"))


@require_POST
def reminder_snooze_view(request: HtmxHttpRequest, pk: int):
    reminder = _reminder_for_user(request.user, pk)
    option = request.POST.get("option", "")
    if option not in SNOOZES:
        return HttpResponseBadRequest(_("Unknown snooze option."))
    if reminder.is_live:
        reminder = reminder_snooze(reminder=reminder, option=option)
        messages.success(request, _("Snoozed until %(when)s.") % {"when": _when(reminder.due_at)})
    else:
        messages.info(request, _("This reminder was already closed."))
    return _after_action(request)


def _subject(user, data):
    """The client and request a reminder is about, from the form's hidden fields: others are a 404."""
    try:
        request_pk = int(data.get("service_request") or 0)
        client_pk = int(data.get("client") or 0)
    except ValueError:
        raise Http404 from None
    if request_pk:
        service_request = request_for_user(user, request_pk)
        return service_request.client, service_request
    if client_pk:
        return client_for_user(user, client_pk), None
    return None, None


def _default_title(client, service_request) -> str:
    if service_request is not None:
        return _("Follow up on “%(title)s”") % {"title": service_request.title}
    if client is not None:
        return _("Call %(name)s") % {"name": client.display_name}
    return ""


@require_GET
def reminder_client_choices(request: HtmxHttpRequest):
    """The reminder form's client menu: the clients matching what was typed, fetched as one types."""
    if not request.htmx:
        # A plain request (a bookmark, no JavaScript) gets the whole form, with the same matches.
        query = urlencode({"where": "agenda", "client_q": request.GET.get("client_q", "")})
        return redirect(f"{reverse('reminder-create')}?{query}")
    form = ReminderForm(request.GET, user=request.user)
    return render(request, f"{FORM_TEMPLATE}#client-choices", {"form": form})


@require_http_methods(["GET", "POST"])
def reminder_create_view(request: HtmxHttpRequest):
    """Set a reminder by hand: from the agenda (any of my clients), a client's page or a request's."""
    data = request.POST if request.method == "POST" else request.GET
    client, service_request = _subject(request.user, data)
    on_agenda = data.get("where") == "agenda"
    fixed = None if on_agenda else client
    context = {
        "subject_client": fixed,
        "subject_request": service_request,
        "next": safe_next(request, data.get("next")) or "",
        "where": "agenda" if on_agenda else "",
    }
    if request.method == "POST" and "find" in request.POST:
        # Without JavaScript, "Find" sends the form back with the matching clients in the menu.
        form = ReminderForm(request.POST, user=request.user, fixed_client=fixed)
    elif request.method == "POST":
        form = ReminderForm(request.POST, user=request.user, fixed_client=fixed)
        if form.is_valid():
            reminder = reminder_create(
                owner=request.user,
                by=request.user,
                title=form.cleaned_data["title"],
                due_at=form.cleaned_data["due"],
                client=client,
                service_request=service_request,
            )
            if not request.htmx:
                messages.success(
                    request, _("Reminder set for %(when)s.") % {"when": _when(reminder.due_at)}
                )
                return redirect(context["next"] or "agenda")
            fresh = ReminderForm(
                user=request.user,
                fixed_client=fixed,
                initial={"title": _default_title(fixed, service_request)},
            )
            html = render_to_string(
                f"{FORM_TEMPLATE}#reminder-form",
                {**context, "form": fresh, "just_set": reminder},
                request=request,
            )
            if on_agenda:
                html += render_to_string(
                    f"{TEMPLATE}#agenda-reminders",
                    {"agenda": reminders_section(request.user, timezone.now()), "oob": True},
                    request=request,
                )
            return HttpResponse(html)
    else:
        form = ReminderForm(
            user=request.user,
            fixed_client=fixed,
            initial={
                "title": _default_title(client, service_request),
                "client_q": request.GET.get("client_q", ""),
            },
        )
    template = (
        f"{FORM_TEMPLATE}#reminder-form" if request.htmx else "concierge/reminder_create.html"
    )
    return render(request, template, {**context, "form": form})
