"""The private calendar feed: a secret URL that a phone's calendar subscribes to, and its settings page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ..accounts.models import User
from ..reminders import ical
from ..reminders.feed import calendar_token_issue, calendar_token_revoke, feed_event, feed_reminders
from ..reminders.wording import reading_as

TEMPLATE = "concierge/calendar_settings.html"


class FeedAction(models.TextChoices):
    CREATE = "create"
    REGENERATE = "regenerate"
    REVOKE = "revoke"


@require_GET
@never_cache
@login_not_required
def calendar_feed(request, token: str):
    owner = get_object_or_404(User.objects.filter(is_active=True), calendar_token=token)
    now = timezone.now()
    # A phone's calendar has no session: the feed speaks its owner's language, in their time zone.
    with reading_as(owner):
        events = [
            feed_event(reminder, request.build_absolute_uri(reminder.get_absolute_url()))
            for reminder in feed_reminders(owner, now)
        ]
        body = ical.calendar(
            events, name=_("Concierge · %(name)s") % {"name": owner.display_name}, now=now
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="concierge.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


def feed_urls(request, token: str) -> dict:
    url = request.build_absolute_uri(reverse("calendar-feed", args=[token]))
    return {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action in (FeedAction.CREATE, FeedAction.REGENERATE):
            calendar_token_issue(user=user)
            messages.success(
                request,
                _("Your calendar feed is ready.")
                if action == FeedAction.CREATE
                else _("New link created: the old one no longer works."),
            )
        elif action == FeedAction.REVOKE:
            calendar_token_revoke(user=user)
            messages.success(request, _("Calendar feed turned off: the link no longer works."))
        return redirect("calendar-settings")
    context = feed_urls(request, user.calendar_token) if user.calendar_token else {}
    return render(request, TEMPLATE, context)
