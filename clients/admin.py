from django.contrib import admin

from .models import Client
from .search import refresh_search_text


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "preferred_name", "tier", "primary_concierge"]
    list_filter = ["tier"]
    search_fields = ["last_name", "first_name", "preferred_name"]
    raw_id_fields = ["primary_concierge", "backup_concierge"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The admin writes without the services: keep what search finds in step (names, tags).
        refresh_search_text(form.instance)
