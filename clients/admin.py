from django.contrib import admin

from .models import Client


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "preferred_name", "tier", "primary_concierge"]
    list_filter = ["tier"]
    search_fields = ["last_name", "first_name", "preferred_name"]
    raw_id_fields = ["primary_concierge", "backup_concierge"]
