"""The bell and the notifications page: what was delivered to me, newest first."""

from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ..accounts.middleware import background_poll
from ..common.links import link
from ..common.paging import CappedPaginator
from ..reminders.inbox import NotificationPage, unread_count
from ..reminders.models import Notification
from ..reminders.notifications import notification_open, notifications_mark_all_read

PER_PAGE = 50
# Past this many rows beyond a page's start, its pager says "Page 1 of 5 or more": each row
# counted is a reminder looked up for the reader's rule.
COUNTED_AHEAD = 4 * PER_PAGE
STOP_POLLING = 286  # htmx stops an `every` trigger on this status


def _notification_for_user(user, pk: int) -> Notification:
    """Notifications are personal: only the user they were sent to opens one; anyone else, a 404."""
    return get_object_or_404(Notification.objects.visible_to(user), pk=pk)


class Moment(NamedTuple):
    """When a notification came, as its row writes it: the `date` and `naturaltime` filters'."""

    iso: str
    full: str
    ago: str


class Row(NamedTuple):
    """What a notification's row shows, worked out once per row (as the agenda's rows are: per-row
    template tags were most of the page's rendering)."""

    url: str
    title: str
    body: str
    moment: Moment
    unread: bool
    email: str  # "failed", "retried" or ""


def _rows(notifications) -> list[Row]:
    """Each notification's row; its moment made once per distinct moment (a sweep delivers its
    notifications at one moment)."""
    moments, rows = {}, []
    for notification in notifications:
        at = notification.created_at
        if at not in moments:
            local = template_localtime(at)
            moments[at] = Moment(date(local, "c"), date(local, "D j M Y, H:i"), naturaltime(at))
        if notification.email_failed:
            email = "failed"
        elif notification.next_attempt_at and notification.email_attempts:
            email = "retried"
        else:
            email = ""
        rows.append(
            Row(
                link("notification-go", notification.pk),
                notification.title,
                notification.body,
                moments[at],
                not notification.read_at,
                email,
            )
        )
    return rows


@require_GET
def notification_list(request):
    """Newest first, a page at a time: read in order from an index and counted up to a cap."""
    now = timezone.now()
    rows = NotificationPage(request.user, now, reach=COUNTED_AHEAD)
    paginator = CappedPaginator(rows, PER_PAGE, cap=COUNTED_AHEAD, read_first=True)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "concierge/notification_list.html",
        {"page": page, "rows": _rows(page.object_list), "unread": unread_count(request.user, now)},
    )


@require_GET
def notification_go(request, pk: int):
    """Opening a notification marks it read and leads to what it is about."""
    notification = _notification_for_user(request.user, pk)
    notification_open(notification=notification)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("notifications")


@require_POST
def notifications_read_all(request):
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked read."))
    return redirect("notifications")


@require_GET
@never_cache
@login_not_required
@background_poll
def bell(request):
    """The unread count for the bells in the navigation, polled every minute."""
    if not request.user.is_authenticated:
        # Signed out in another tab: no count, and no login page swapped into the badge.
        return HttpResponse(status=STOP_POLLING)
    return render(request, "_bell.html#count", {"unread": unread_count(request.user)})
