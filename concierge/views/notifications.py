"""The bell and the notifications page: what was delivered to me, newest first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ..accounts.middleware import background_poll
from ..agenda.queries import unread_count
from ..reminders.models import Notification
from ..reminders.notifications import notification_open, notifications_mark_all_read

PER_PAGE = 50
STOP_POLLING = 286  # htmx stops an `every` trigger on this status


def _notification_for_user(user, pk: int) -> Notification:
    """Notifications are personal: only the user they were sent to opens one; anyone else, a 404."""
    return get_object_or_404(Notification.objects.visible_to(user), pk=pk)


@require_GET
def notification_list(request):
    notifications = (
        Notification.objects.visible_to(request.user)
        .select_related(
            "reminder__client",
            "reminder__service_request__client",
            "reminder__important_date__relation",
            "reminder__anticipated_need",
            "reminder__vendor_use__vendor",
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "concierge/notification_list.html",
        {"page": page, "unread": unread_count(request.user)},
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
