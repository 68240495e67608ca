"""The signed-in user's menu (their card, the language switch, two-step sign-in, sign out), which
every page carries twice (the side navigation and the mobile menu).

    {% load menu %}  <div class="sidenav-user">{% user_menu %}</div>

As an included template it was about 40 nodes each time, 3,000 calls of a page's work; composed
here once per page and said again, every value escaped.
"""

from django import template
from django.conf import settings
from django.utils.encoding import force_str
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from concierge.common.choices import labels_of
from concierge.common.links import link
from concierge.common.markup import csrf_input, esc

from .memo import per_page

register = template.Library()


@register.simple_tag(takes_context=True)
def user_menu(context) -> SafeString:
    return per_page(context, "user_menu", lambda: _user_menu(context))


def _user_menu(context) -> SafeString:
    user, request = context["user"], context["request"]
    name = user.display_name
    role = labels_of(user._meta.get_field("role")).get(user.role, user.role)
    team = f" · {esc(str(user.team))}" if user.team else ""
    csrf = csrf_input(context)  # the page's own token, masked once
    current = get_language()
    languages = "".join(
        f'<button type="submit" name="language" value="{esc(code)}" class="chip'
        f'{" is-on" if code == current else ""}" lang="{esc(code)}">{esc(code.upper())}'
        "</button>"
        for code, _name in settings.LANGUAGES
    )
    team_sign_in = (
        f'<a class="btn btn-quiet btn-block" href="{esc(link("team-sign-in"))}">'
        f"{esc(_('Team sign-in'))}</a>"
        if user.is_manager
        else ""
    )
    return mark_safe(
        f'\n<div class="user-card">\n  <span class="avatar">{esc(name[:1].upper())}</span>\n'
        f'  <span class="user-card-text"><strong>{esc(name)}</strong>'
        f"<small>{esc(force_str(role))}{team}</small></span>\n</div>\n"
        f'<form action="{esc(link("language-set"))}" method="post" class="lang-switch">{csrf}\n'
        f'  <input name="next" type="hidden" value="{esc(request.get_full_path())}">\n'
        f"  \n  {languages}\n</form>\n"
        f'<a class="btn btn-quiet btn-block" href="{esc(link("otp-setup"))}">'
        f"{esc(_('Two-step sign-in'))}</a>\n{team_sign_in}\n"
        f'<form action="{esc(link("logout"))}" method="post" data-sign-out>{csrf}'
        f'<button type="submit" class="btn btn-quiet btn-block">{esc(_("Sign out"))}</button>'
        "</form>\n"
    )
