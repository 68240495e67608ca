from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("not built yet")
client_detail = client_identity_edit = client_timeline = client_history = interaction_create = _todo
