from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from .accounts import signout
from .accounts import views as accounts
from .views import account, agenda, app, calendar, capture, health, notifications, policies, team

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="agenda"), name="home"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda/reminders/new/", agenda.reminder_create_view, name="reminder-create"),
    path(
        "agenda/reminders/clients/", agenda.reminder_client_choices, name="reminder-client-choices"
    ),
    path("agenda/reminders/<int:pk>/done/", agenda.reminder_done, name="reminder-done"),
    path("agenda/reminders/<int:pk>/dismiss/", agenda.reminder_dismiss, name="reminder-dismiss"),
    path("agenda/reminders/<int:pk>/snooze/", agenda.reminder_snooze_view, name="reminder-snooze"),
    path("record/", capture.record_picker, name="record"),
    path("sw.js", app.service_worker, name="service-worker"),
    path("manifest.webmanifest", app.web_manifest, name="manifest"),
    path("offline/", app.offline, name="offline"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/count/", notifications.bell, name="bell"),
    path("notifications/read/", notifications.notifications_read_all, name="notifications-read"),
    path("notifications/<int:pk>/", notifications.notification_go, name="notification-go"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
    path("me/ping/", account.ping, name="ping"),
    path("me/language/", account.language_set, name="language-set"),
    path("me/calendar/", calendar.calendar_settings, name="calendar-settings"),
    path("team/", team.dashboard, name="team"),
    path("team/policies/", policies.policies, name="policies"),
    path("team/absences/", team.absences, name="absences"),
    path("team/absences/<int:pk>/end/", team.absence_end_view, name="absence-end"),
    path("team/members/<int:pk>/access/", team.member_access, name="member-access"),
    path("team/members/<int:pk>/reminders/", team.member_reminders, name="member-reminders"),
    # The manager's actions on clients, mounted beside the record's own URLs.
    path("clients/assign/", team.clients_bulk_assign, name="clients-assign"),
    path("clients/<int:pk>/assign/", team.client_assign, name="client-assign"),
    path("clients/<int:pk>/handover/", team.handover, name="handover"),
    path("clients/<int:pk>/access/", team.client_access, name="client-access"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "favicon.ico",
        # Resolved per request: the manifest does not exist before collectstatic (migrate runs first).
        login_not_required(RedirectView.as_view(url=lazy(static, str)("concierge/icon.svg"))),
        name="favicon",
    ),
    path("accounts/code/", accounts.otp_verify, name="otp-verify"),
    path("me/two-step/", accounts.otp_setup, name="otp-setup"),
    path("team/sign-in/", accounts.team_sign_in, name="team-sign-in"),
    path("team/sign-in/<int:pk>/unlock/", accounts.team_unlock, name="team-unlock"),
    # Before django.contrib.auth's own: signing out also empties the browser (accounts/signout.py).
    path("accounts/logout/", signout.sign_out, name="logout"),
    path("accounts/signed-out/", signout.signed_out, name="signed-out"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("clients/", include("clients.urls")),
    path("requests/", include("requests.urls")),
    path("admin/", admin.site.urls),
]
# No media URL, not even in development: photos and recordings are served by clients' views, which
# check access (clients/files.py).
