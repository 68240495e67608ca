from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404("not built yet")
part_create = part_edit = part_delete = preference_confirm = _todo
