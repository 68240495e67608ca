from django.urls import resolve
from django.urls.exceptions import Resolver404


def navigation(request):
    """Which section of the navigation is current."""
    # The view's own match (set by the handler); resolving again costs a walk of the URLconf.
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return {"nav_section": ""}
    return {"nav_section": match.namespace or match.url_name}
