"""What request_list.html read of each request before its rows and cards were composed in Python
(`requests.display`): the view's `for_display`, from the model's own properties, kept here as the
reference that the composed markup is tested against."""

from django.utils.html import format_html
from django.utils.translation import gettext as _

from clients.models import Category
from concierge.common.links import link
from concierge.templatetags.when import moment
from requests.choices import Priority, Status
from requests.display import labels


def for_display(service_requests, *, user):
    """Sets, on each request, what its row or card showed (the template read them)."""
    statuses, priorities, categories = labels(Status), labels(Priority), labels(Category)
    urgencies = {
        "late": (_("Overdue"), " is-overdue"),
        "soon": (_("Due soon"), " is-due-soon"),
        "": ("", ""),
    }
    unassigned, you = _("Unassigned"), _("You")
    no_due_date = format_html('<span class="rq-due muted">{}</span>', _("No due date"))
    for service_request in service_requests:
        service_request.url = link("requests:detail", service_request.pk)
        service_request.status_label = statuses.get(service_request.status, service_request.status)
        service_request.priority_label = priorities.get(
            service_request.priority, service_request.priority
        )
        service_request.category_label = categories.get(
            service_request.category, service_request.category
        )
        # The clock-dependent flags, read once per request.
        service_request.urgency = (
            "late" if service_request.is_overdue else "soon" if service_request.is_due_soon else ""
        )
        service_request.late_ack = service_request.is_unacknowledged_late
        service_request.pressing = service_request.priority in (Priority.URGENT, Priority.HIGH)
        service_request.urgency_label, service_request.due_class = urgencies[
            service_request.urgency
        ]
        service_request.due_label = moment(service_request.due_at)
        # The due chip of an open request (a row's and a card's), whole: it is most of their markup.
        if service_request.due_at is None:
            service_request.due_html = no_due_date
        elif service_request.urgency_label:
            service_request.due_html = format_html(
                '<span class="rq-due{}"><b>{}</b> · {}</span>',
                service_request.due_class,
                service_request.urgency_label,
                service_request.due_label,
            )
        else:
            service_request.due_html = format_html(
                '<span class="rq-due">{}</span>', service_request.due_label
            )
        if service_request.assignee_id is None:
            service_request.assignee_label = unassigned
        elif service_request.assignee_id == user.pk:
            service_request.assignee_label = you
        else:
            service_request.assignee_label = service_request.assignee.display_name
    return service_requests
