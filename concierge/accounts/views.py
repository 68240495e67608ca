"""Sign-in security seen by the staff: one-time codes and unlocking a locked-out team member."""

import segno
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Sum
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .middleware import OTP_STATE_KEY, otp_state
from .models import User


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Type the six digits your app shows.")},
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


def _next(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    # A path only: a bare word (``next=0``) is taken by redirect() for a view name.
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def otp_verify(request: HttpRequest):
    """Second step of sign-in: the code from the user's authenticator."""
    if request.user.is_verified() or otp_state(request.user) != "device":
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Locks the devices; a code already used (or an older one) is refused by django-otp.
            device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            request.session[OTP_STATE_KEY] = "device"
            return redirect(_next(request))
        form.add_error(
            "code",
            _("This code is wrong, expired or already used. Wait for the next one and try again."),
        )
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next(request)})


@login_required
def otp_setup(request: HttpRequest):
    """Turns on sign-in with a one-time code: scan, then confirm with a first code."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    required = user.is_manager and settings.OTP_REQUIRED_FOR_MANAGERS
    if confirmed is not None:
        return _otp_enabled(request, confirmed, required)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            ok = device.verify_token(form.cleaned_data["code"])
            if ok:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
        if ok:
            request.session.cycle_key()
            otp_login(request, device)
            request.session[OTP_STATE_KEY] = "device"
            messages.success(
                request, _("Two-step sign-in is on: from now on Concierge asks for a code.")
            )
            return redirect(_next(request))
        form.add_error("code", _("This code does not match. Check the time on your phone."))
    uri = device.config_url
    return render(
        request,
        "registration/otp_setup.html",
        {
            "form": form,
            "uri": uri,
            "secret": uri.split("secret=", 1)[1].split("&", 1)[0],
            "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
            "required": required,
            "next": _next(request),
        },
    )


def _otp_enabled(request, device, required):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and not required and form.is_valid():
        with transaction.atomic():
            matched = match_token(request.user, form.cleaned_data["code"])
        if matched is not None:
            TOTPDevice.objects.filter(user=request.user).delete()
            request.session[OTP_STATE_KEY] = otp_state(request.user)
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("otp-setup")
        form.add_error("code", _("This code is wrong, expired or already used."))
    return render(
        request,
        "registration/otp_enabled.html",
        {"form": form, "device": device, "required": required},
    )


def _team_members(user) -> list[User]:
    if not user.is_manager or user.team_id is None:
        raise Http404
    return list(User.objects.filter(team_id=user.team_id, is_active=True).order_by("username"))


@login_required
def team_sign_in(request: HttpRequest):
    """The manager's list of team members with failed sign-ins, to unlock them."""
    members = _team_members(request.user)
    failures = dict(
        AccessAttempt.objects.filter(username__in=[m.username for m in members])
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .values_list("username", "total")
    )
    rows = [
        {
            "member": m,
            "failures": failures[m.username],
            "locked": failures[m.username] >= settings.AXES_FAILURE_LIMIT,
        }
        for m in members
        if failures.get(m.username)
    ]
    return render(
        request, "concierge/team_sign_in.html", {"rows": rows, "nav_section": "team-sign-in"}
    )


@login_required
@require_POST
def team_unlock(request: HttpRequest, pk: int):
    members = {m.pk: m for m in _team_members(request.user)}
    member = members.get(pk)
    if member is None:
        raise Http404
    # Removes the member's failures, and with them what they added to their address's count.
    axes_reset(username=member.username)
    messages.success(request, _("%(name)s can sign in again.") % {"name": member.display_name})
    return redirect("team-sign-in")
