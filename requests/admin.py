from django.contrib import admin

from .models import ChecklistItem, Feedback, RequestEvent, ServiceRequest, Vendor, VendorUse


class EventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    readonly_fields = ["kind", "from_value", "to_value", "note", "by", "at"]


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


class VendorUseInline(admin.TabularInline):
    model = VendorUse
    extra = 0
    raw_id_fields = ["vendor"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = ["title", "client", "category", "status", "priority", "assignee", "due_at"]
    list_filter = ["status", "category", "priority"]
    search_fields = ["title", "client__last_name"]
    raw_id_fields = ["client", "on_behalf_of", "assignee", "created_by"]
    # Status changes go through the workflow, which writes the event and locks the row.
    readonly_fields = ["status", "acknowledged_at", "fulfilled_at", "closed_at", "cancelled_at"]
    inlines = [ChecklistInline, VendorUseInline, EventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact_name", "phone", "email"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["service_request", "score", "recorded_by", "recorded_at"]

    def get_queryset(self, request):
        visible = ServiceRequest.objects.visible_to(request.user)
        return super().get_queryset(request).filter(service_request__in=visible)
