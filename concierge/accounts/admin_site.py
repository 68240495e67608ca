"""The admin is for superusers only (not for `is_staff` alone); see settings.INSTALLED_APPS."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "concierge.accounts.admin_site.SuperuserAdminSite"
