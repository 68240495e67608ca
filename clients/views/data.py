from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("not built yet")


client_import = client_export = client_erase = _todo
