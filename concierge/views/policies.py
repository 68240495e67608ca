"""Tier policies and service levels of the manager's own team: how early dates prompt, how often to
call, when to follow up, how fast to acknowledge and deliver. Another team's policies are never
reachable from here."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.models import Client
from concierge.common.conflicts import EditConflict

from ..reminders.forms import TierPolicyForm
from ..reminders.models import TierPolicy
from ..reminders.policies import team_policies_for_editing, tier_policies_save

TEMPLATE = "concierge/policies.html"
# Most attentive service first.
TIERS = [Client.Tier.PRIVATE, Client.Tier.PREMIUM, Client.Tier.ESSENTIAL]


def _policies(team_id: int) -> list[TierPolicy]:
    policies = team_policies_for_editing(team_id)
    return [policies[tier] for tier in TIERS]


@require_http_methods(["GET", "POST"])
def policies(request):
    if not request.user.is_manager or request.user.team_id is None:
        raise Http404
    team_id = request.user.team_id
    data = request.POST if request.method == "POST" else None
    forms = [
        TierPolicyForm(data, instance=policy, prefix=policy.tier) for policy in _policies(team_id)
    ]
    valid = data is not None and all([form.is_valid() for form in forms])
    conflict = None
    if valid:
        versions = {form.instance.tier: form.cleaned_data["version"] for form in forms}
        try:
            tier_policies_save(
                team_id=team_id,
                policies=[form.save(commit=False) for form in forms],
                versions=versions,
            )
        except EditConflict as exc:
            conflict, valid = exc, False
        else:
            messages.success(request, _("Policies saved. The next sweep uses them."))
            if not request.htmx:
                return redirect("policies")
        forms = [
            TierPolicyForm(instance=policy, prefix=policy.tier) for policy in _policies(team_id)
        ]
    labels = dict(Client.Tier.choices)
    rows = [(labels[form.instance.tier], form) for form in forms]
    template = f"{TEMPLATE}#policy-form" if request.htmx else TEMPLATE
    context = {
        "team": request.user.team,
        "nav_section": "team",
        "rows": rows,
        "has_errors": data is not None and not valid and conflict is None,
        "conflict": conflict,
        "oob_toasts": valid,
    }
    # htmx swaps only a 2xx: the conflict is shown in place; a plain form post gets a 409.
    status = 409 if conflict and not request.htmx else 200
    return render(request, template, context, status=status)
