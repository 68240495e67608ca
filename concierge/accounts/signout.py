"""Signing out empties what the browser kept: the service worker's caches, IndexedDB (the outbox),
local and session storage. Twice over: the `Clear-Site-Data` header on the sign-out answer, and a
script on the signed-out page, for the browsers that ignore the header."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

CLEAR_SITE_DATA = '"cache", "storage"'


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("signed-out")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response


sign_out = SignOutView.as_view()


@login_not_required
@require_GET
def signed_out(request):
    response = render(request, "registration/logged_out.html")
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
