from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("not built yet")


request_create = request_details_fields = _todo
