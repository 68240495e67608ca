"""Tier policies: how early dates prompt, how often to call, when to follow up. Managers only."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.models import Client

from ..reminders.forms import TierPolicyForm
from ..reminders.models import TierPolicy
from ..reminders.policies import tier_policies, tier_policies_save

TEMPLATE = "concierge/policies.html"
# Most attentive service first.
TIERS = [Client.Tier.PRIVATE, Client.Tier.PREMIUM, Client.Tier.ESSENTIAL]


def _policies() -> list[TierPolicy]:
    policies = tier_policies()
    return [policies[tier] for tier in TIERS]


@require_http_methods(["GET", "POST"])
def policies(request):
    if not request.user.is_manager:
        raise Http404
    data = request.POST if request.method == "POST" else None
    forms = [TierPolicyForm(data, instance=policy, prefix=policy.tier) for policy in _policies()]
    valid = data is not None and all([form.is_valid() for form in forms])
    if valid:
        tier_policies_save(policies=[form.save(commit=False) for form in forms])
        messages.success(request, _("Policies saved. The next sweep uses them."))
        if not request.htmx:
            return redirect("policies")
        forms = [TierPolicyForm(instance=policy, prefix=policy.tier) for policy in _policies()]
    labels = dict(Client.Tier.choices)
    rows = [(labels[form.instance.tier], form) for form in forms]
    template = f"{TEMPLATE}#policy-form" if request.htmx else TEMPLATE
    context = {"rows": rows, "has_errors": data is not None and not valid, "oob_toasts": valid}
    return render(request, template, context)
