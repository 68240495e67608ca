"""The vendor directory: restaurants, hotels, drivers… shared by the whole conciergerie."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from concierge.common.conflicts import EditConflict

from ..forms import VendorForm
from ..models import Vendor
from ..services import vendor_changes, vendor_save


def vendor_list(request):
    query = request.GET.get("q", "").strip()
    vendors = Vendor.objects.annotate(uses_count=Count("uses"))
    if query:
        vendors = vendors.filter(Q(name__icontains=query) | Q(contact_name__icontains=query))
    kind = request.GET.get("kind", "")
    if kind in Vendor.Kind.values:
        vendors = vendors.filter(kind=kind)
    page = Paginator(vendors.order_by("name", "pk"), 30).get_page(request.GET.get("page"))
    template = "requests/vendor_list.html" + ("#vendor-results" if request.htmx else "")
    return render(
        request,
        template,
        {"page": page, "query": query, "kind": kind, "kinds": Vendor.Kind.choices},
    )


@require_http_methods(["GET", "POST"])
def vendor_edit(request, pk=None):
    vendor = get_object_or_404(Vendor, pk=pk) if pk else Vendor()
    form = VendorForm(request.POST or None, instance=vendor)
    conflict = None
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            vendor_save(vendor=vendor, version=form.cleaned_data["version"], **fields)
        except EditConflict as exc:
            conflict = exc
            form = VendorForm(instance=exc.current)
        else:
            messages.success(request, _("Vendor saved."))
            return redirect("requests:vendors")
    context = {
        "form": form,
        "vendor": vendor,
        "conflict": conflict,
        "changes": vendor_changes(vendor) if vendor.pk else [],
    }
    return render(request, "requests/vendor_form.html", context, status=409 if conflict else 200)
