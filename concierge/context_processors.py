from django.urls import resolve
from django.urls.exceptions import Resolver404


def navigation(request):
    """Which section of the navigation is current."""
    try:
        namespace = resolve(request.path_info).namespace or resolve(request.path_info).url_name
    except Resolver404:
        namespace = ""
    return {"nav_section": namespace}
