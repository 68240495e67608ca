from django.contrib import admin

from .models import Client


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "preferred_name", "tier", "primary_concierge"]
    list_filter = ["tier"]
    search_fields = ["last_name", "first_name", "preferred_name"]
    raw_id_fields = ["primary_concierge", "backup_concierge"]

    def get_queryset(self, request):
        # The same access rule as everywhere: an operator sees the clients of their own team.
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=Client.objects.visible_to(request.user).values("pk"))
        )
